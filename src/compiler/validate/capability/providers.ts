/**
 * @module compiler/validate/capability/providers
 * NOT_SUPPORTED checks for provider descriptors: slots and kinds that are not built, options of
 * other targets (Cloudflare, D1, Neon) and Better Auth plugins that are not built.
 */
import type { Diagnostic } from '../../../shared/diagnostics.js';
import type { LoadedProject } from '../../load/types.js';
import {
  authPluginCapabilities,
  notSupported,
  providerCapabilities,
  providerOptionCapabilities,
} from '../capabilities.js';
import { configError } from '../project.js';
import { entriesOf, isRecord, valueAtDotted } from '../util.js';

export const EDITION = 'the open edition';
type Slot = keyof typeof providerCapabilities;

function builtKinds(slot: Slot): string[] {
  return Object.entries(providerCapabilities[slot].kinds).filter(([, built]) => built).map(([kind]) => kind);
}

function optionDiagnostics(
  project: LoadedProject,
  slot: Slot,
  kind: string,
  options: Record<string, unknown>,
): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const entry of providerOptionCapabilities.filter((e) => e.path.startsWith(`providers.${slot}.`))) {
    const option = entry.path.slice(`providers.${slot}.`.length);
    if (options[option] === undefined) continue;
    const applies = entry.appliesTo === undefined || entry.appliesTo.includes(kind);
    if (entry.built && applies) continue;
    const message = applies
      ? notSupported(entry.what, `${slot} ${kind}`)
      : `${entry.what} does not apply to ${slot} ${kind} (it only applies to ${slot} ${entry.appliesTo!.join(' or ')})`;
    out.push(
      configError(
        project,
        'QB_VALIDATE_NOT_SUPPORTED',
        message,
        entry.path,
        entry.hint ?? `Remove \`${option}\` from ${slot} options.`,
      ),
    );
  }
  return out;
}

function pluginDiagnostics(project: LoadedProject, plugins: unknown): Diagnostic[] {
  const named: [string, string][] = Array.isArray(plugins)
    ? plugins.map((name, i) => [String(name), `providers.auth.plugins[${i}]`])
    : entriesOf(plugins).filter(([, on]) => on !== false && on !== undefined).map((
      [name],
    ) => [name, `providers.auth.plugins.${name}`]);
  const built = Object.keys(authPluginCapabilities).filter((name) => authPluginCapabilities[name]);
  return named
    .filter(([name]) => authPluginCapabilities[name] === false)
    .map(([name, at]) =>
      configError(
        project,
        'QB_VALIDATE_NOT_SUPPORTED',
        notSupported(`The Better Auth plugin \`${name}\``, 'auth better-auth'),
        at,
        `Plugins built today: ${built.join(', ')}.`,
      )
    );
}

/** The first path under `value` that is not plain JSON (a function, undefined, NaN, a class instance), or null. */
function nonJsonAt(value: unknown, at: string): string | null {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return null;
  if (typeof value === 'number') return Number.isFinite(value) ? null : at;
  if (Array.isArray(value)) return value.map((v, i) => nonJsonAt(v, `${at}[${i}]`)).find((p) => p !== null) ?? null;
  if (isRecord(value) && Object.getPrototypeOf(value) === Object.prototype)
    return Object.entries(value).map(([k, v]) => nonJsonAt(v, `${at}.${k}`)).find((p) => p !== null) ?? null;
  return at;
}

/** Object-form plugin options go to the plugin as JSON; the organization plugin's are derived from the config instead. */
function pluginOptionDiagnostics(project: LoadedProject, plugins: unknown): Diagnostic[] {
  if (Array.isArray(plugins)) return [];
  const out: Diagnostic[] = [];
  for (const [name, options] of entriesOf(plugins).filter(([, v]) => isRecord(v) && Object.keys(v).length > 0)) {
    const at = `providers.auth.plugins.${name}`;
    if (name === 'organization') {
      out.push(
        configError(
          project,
          'QB_VALIDATE_NOT_SUPPORTED',
          notSupported('Options of the organization plugin', 'auth better-auth'),
          at,
          'Use organization: true; roles come from auth.roleHierarchy and teams are enabled by team-scoped features.',
        ),
      );
      continue;
    }
    const bad = nonJsonAt(options, at);
    if (bad)
      out.push(
        configError(
          project,
          'QB_VALIDATE_INVALID_OPTION',
          `Plugin options are written into the generated auth as JSON: ${bad} is not a JSON value`,
          bad,
          'Use strings, numbers, booleans, arrays and plain objects.',
        ),
      );
  }
  return out;
}

function slotDiagnostics(project: LoadedProject, slot: Slot, descriptor: Record<string, unknown>): Diagnostic[] {
  const capability = providerCapabilities[slot];
  const kind = typeof descriptor.kind === 'string' ? descriptor.kind : undefined;
  if (!capability.built) {
    return [
      configError(
        project,
        'QB_VALIDATE_NOT_SUPPORTED',
        notSupported(`The ${slot} provider${kind ? ` "${kind}"` : ''}`, EDITION),
        `providers.${slot}`,
        `Remove providers.${slot}.`,
      ),
    ];
  }
  if (kind === undefined || !(kind in capability.kinds)) return [];
  if (!(capability.kinds as Record<string, boolean>)[kind]) {
    return [
      configError(
        project,
        'QB_VALIDATE_NOT_SUPPORTED',
        notSupported(`The ${slot} "${kind}"`, EDITION),
        `providers.${slot}`,
        `Built today: ${builtKinds(slot).join(', ')}.`,
      ),
    ];
  }
  const options = isRecord(descriptor.options) ? descriptor.options : {};
  return [
    ...optionDiagnostics(project, slot, kind, options),
    ...(slot === 'auth' && kind === 'better-auth'
      ? [...pluginDiagnostics(project, options.plugins), ...pluginOptionDiagnostics(project, options.plugins)]
      : []),
  ];
}

export function providerCapabilityDiagnostics(project: LoadedProject): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const slot of Object.keys(providerCapabilities) as Slot[]) {
    const descriptor = valueAtDotted(project.config, `providers.${slot}`);
    if (isRecord(descriptor)) out.push(...slotDiagnostics(project, slot, descriptor));
  }
  return out;
}
