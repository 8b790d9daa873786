/**
 * @module scripts/docs/config
 * docs/reference/config.md from the zod schemas of quickback.config.ts
 * (src/compiler/validate/schema/{config,providers}.ts) and the capability table
 * (src/compiler/validate/capabilities.ts) that says which accepted options are not built yet.
 */
import {
  configCapabilities,
  providerCapabilities,
  providerOptionCapabilities,
} from '../../src/compiler/validate/capabilities.js';
import { configSchema, providerSlots } from '../../src/compiler/validate/schema/config.js';
import { GENERATED, table } from './markdown.js';
import { jsonSchema, rowsOf, type Row } from './schema.js';

/** "not built" notes of the capability table for one option path. */
function status(path: string): string {
  const off = configCapabilities.filter((e) => e.path === path && !e.built);
  return off.map((e) => (e.value === undefined ? 'not built' : `not built: ${JSON.stringify(e.value)}`)).join('; ');
}

function appliesTo(slot: string, path: string): string {
  const option = path.split('.')[0].replace('[]', '');
  const entry = providerOptionCapabilities.find((e) => e.path === `providers.${slot}.${option}`);
  return entry?.appliesTo ? entry.appliesTo.join(', ') : 'all';
}

function optionRows(rows: Row[], extra: (row: Row) => string): string[][] {
  return rows.map((r) => [`\`${r.path}\``, r.type, r.required ? 'yes' : '', extra(r)]);
}

export function configPage(): string {
  const parts = [
    '# Configuration reference',
    '',
    GENERATED,
    '',
    '`quickback/quickback.config.ts` default-exports `defineConfig({...})`. Every object is strict: an',
    'unknown key is `QB_VALIDATE_UNKNOWN_OPTION`, naming the nearest valid key. An option the schema',
    'accepts but this edition does not build is refused with `QB_VALIDATE_NOT_SUPPORTED` when it is',
    'set ("not built" below), never ignored. The guides explain what each option does; this page lists',
    'them all.',
    '',
    '## Top level',
    '',
    table(
      ['option', 'type', 'required', 'status'],
      optionRows(rowsOf(jsonSchema(configSchema), '', ['providers']), (r) => status(r.path)),
    ),
    '',
    '## Providers',
    '',
    '`providers: { runtime, database, auth?, storage?, fileStorage? }`, each made by its `define*`',
    'function: `defineDatabase("neon", { pooled: true })`. Options of another kind than the one chosen',
    'are refused with `QB_VALIDATE_NOT_SUPPORTED` ("applies to" below).',
    '',
  ];
  for (const [slot, { define, kinds, options }] of Object.entries(providerSlots)) {
    const built = providerCapabilities[slot as keyof typeof providerCapabilities].kinds as Record<string, boolean>;
    const kindList = kinds.map((k) => (built[k] ? `\`"${k}"\`` : `\`"${k}"\` (not built)`)).join(', ');
    parts.push(`### \`providers.${slot}\`: \`${define}(kind, options?)\``, '', `Kinds: ${kindList}.`, '');
    parts.push(
      table(
        ['option', 'type', 'required', 'applies to'],
        optionRows(rowsOf(jsonSchema(options), ''), (r) => appliesTo(slot, r.path)),
      ),
      '',
    );
  }
  return parts.join('\n');
}
