/**
 * @module compiler/validate/rules/config-schema-rule
 * Checks quickback.config.ts against the config schema: unknown keys, wrong types and values,
 * missing required options. Provider options are reported without the word `options`
 * (`providers.database.generateId`), as they are written in `defineDatabase(kind, {...})`.
 */
import type { Diagnostic } from '../../../shared/diagnostics.js';
import type { LoadedProject } from '../../load/types.js';
import { configError } from '../project.js';
import { configSchema, providerSlots, type ProviderSlot } from '../schema/config.js';
import { issuesToDiagnostics, type IssueTarget } from '../schema/issues.js';
import { formatPath, isRecord } from '../util.js';

const MISSING_HINTS: Record<string, string> = {
  name: 'Example: name: "my-app"',
  providers:
    'Example: providers: { runtime: defineRuntime("node"), database: defineDatabase("better-sqlite3"), auth: defineAuth("better-auth") }',
  'providers.runtime': 'Example: runtime: defineRuntime("node")',
  'providers.database': 'Example: database: defineDatabase("better-sqlite3")',
};

const DESCRIPTOR_KEYS = new Set(['options', 'kind', 'provider']);

/** Zod path → `at`: `providers.database.options.generateId` is written `providers.database.generateId`. */
export function configPath(path: readonly PropertyKey[]): string | undefined {
  const segments = path.filter((s, i) => !(i === 2 && path[0] === 'providers' && DESCRIPTOR_KEYS.has(String(s))));
  const at = formatPath(segments as (string | number | symbol)[]);
  return at === '' ? undefined : at;
}

/** Slots holding something that is not a descriptor made by their define function. */
function brokenProviders(
  project: LoadedProject,
  providers: unknown,
): { slots: Set<string>; diagnostics: Diagnostic[] } {
  const slots = new Set<string>();
  const diagnostics: Diagnostic[] = [];
  if (!isRecord(providers)) return { slots, diagnostics };
  for (const slot of Object.keys(providerSlots) as ProviderSlot[]) {
    const value = providers[slot];
    if (value === undefined) continue;
    const { define } = providerSlots[slot];
    const ok = isRecord(value) && value.provider === slot && typeof value.kind === 'string' && isRecord(value.options);
    if (ok) continue;
    slots.add(slot);
    const other = isRecord(value) && typeof value.provider === 'string'
      ? ` (it holds a ${value.provider} provider)`
      : '';
    diagnostics.push(
      configError(
        project,
        'QB_VALIDATE_INVALID_OPTION',
        `\`providers.${slot}\` must be made with ${define}(kind, options)${other}`,
        `providers.${slot}`,
        `Example: ${slot}: ${define}("${
          providerSlots[slot].kinds.find((k) => k !== 'cloudflare') ?? providerSlots[slot].kinds[0]
        }")`,
      ),
    );
  }
  return { slots, diagnostics };
}

export function configSchemaRule(project: LoadedProject): Diagnostic[] {
  const config: unknown = project.config;
  if (!isRecord(config)) {
    return [
      configError(
        project,
        'QB_VALIDATE_INVALID_OPTION',
        'The config must be an object made with defineConfig({...})',
        undefined,
        'Example: export default defineConfig({ name: "my-app", providers: { runtime: defineRuntime("node"), database: defineDatabase("better-sqlite3") } })',
      ),
    ];
  }
  const broken = brokenProviders(project, config.providers);
  const result = configSchema.safeParse(config);
  if (result.success) return broken.diagnostics;
  const issues = result.error.issues.filter((issue) =>
    !(issue.path[0] === 'providers' && broken.slots.has(String(issue.path[1])))
  );
  const target: IssueTarget = {
    schema: configSchema,
    data: config,
    file: project.configFile,
    at: configPath,
    rootLabel: 'The config',
  };
  const mapped = issuesToDiagnostics(issues, target).map((d) =>
    d.code === 'QB_VALIDATE_MISSING_OPTION' && !d.hint && d.at && MISSING_HINTS[d.at]
      ? { ...d, hint: MISSING_HINTS[d.at] }
      : d
  );
  return [...broken.diagnostics, ...mapped];
}
