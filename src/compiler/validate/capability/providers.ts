/**
 * @module compiler/validate/capability/providers
 * NOT_SUPPORTED checks for provider descriptors: slots and kinds that are not built, options of
 * other targets (Cloudflare, D1, Neon) and Better Auth plugins that are not built.
 */
import type { Diagnostic } from '../../../shared/diagnostics.js';
import type { LoadedProject } from '../../load/types.js';
import { authPluginCapabilities, notSupported, providerCapabilities, providerOptionCapabilities } from '../capabilities.js';
import { configError } from '../project.js';
import { entriesOf, isRecord, valueAtDotted } from '../util.js';

export const EDITION = 'the open edition';
type Slot = keyof typeof providerCapabilities;

function builtKinds(slot: Slot): string[] {
  return Object.entries(providerCapabilities[slot].kinds).filter(([, built]) => built).map(([kind]) => kind);
}

function optionDiagnostics(project: LoadedProject, slot: Slot, kind: string, options: Record<string, unknown>): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const entry of providerOptionCapabilities.filter((e) => e.path.startsWith(`providers.${slot}.`))) {
    const option = entry.path.slice(`providers.${slot}.`.length);
    if (options[option] === undefined) continue;
    const applies = entry.appliesTo === undefined || entry.appliesTo.includes(kind);
    if (entry.built && applies) continue;
    const message = applies ? notSupported(entry.what, `${slot} ${kind}`) : `${entry.what} does not apply to ${slot} ${kind} (it only applies to ${slot} ${entry.appliesTo!.join(' or ')})`;
    out.push(configError(project, 'QB_VALIDATE_NOT_SUPPORTED', message, entry.path, entry.hint ?? `Remove \`${option}\` from ${slot} options.`));
  }
  return out;
}

function pluginDiagnostics(project: LoadedProject, plugins: unknown): Diagnostic[] {
  const named: [string, string][] = Array.isArray(plugins)
    ? plugins.map((name, i) => [String(name), `providers.auth.plugins[${i}]`])
    : entriesOf(plugins).filter(([, on]) => on !== false && on !== undefined).map(([name]) => [name, `providers.auth.plugins.${name}`]);
  const built = Object.keys(authPluginCapabilities).filter((name) => authPluginCapabilities[name]);
  return named
    .filter(([name]) => authPluginCapabilities[name] === false)
    .map(([name, at]) => configError(project, 'QB_VALIDATE_NOT_SUPPORTED', notSupported(`The Better Auth plugin \`${name}\``, 'auth better-auth'), at, `Plugins built today: ${built.join(', ')}.`));
}

function slotDiagnostics(project: LoadedProject, slot: Slot, descriptor: Record<string, unknown>): Diagnostic[] {
  const capability = providerCapabilities[slot];
  const kind = typeof descriptor.kind === 'string' ? descriptor.kind : undefined;
  if (!capability.built) {
    return [configError(project, 'QB_VALIDATE_NOT_SUPPORTED', notSupported(`The ${slot} provider${kind ? ` "${kind}"` : ''}`, EDITION), `providers.${slot}`, `Remove providers.${slot}.`)];
  }
  if (kind === undefined || !(kind in capability.kinds)) return [];
  if (!(capability.kinds as Record<string, boolean>)[kind]) {
    return [configError(project, 'QB_VALIDATE_NOT_SUPPORTED', notSupported(`The ${slot} "${kind}"`, EDITION), `providers.${slot}`, `Built today: ${builtKinds(slot).join(', ')}.`)];
  }
  const options = isRecord(descriptor.options) ? descriptor.options : {};
  return [...optionDiagnostics(project, slot, kind, options), ...(slot === 'auth' ? pluginDiagnostics(project, options.plugins) : [])];
}

export function providerCapabilityDiagnostics(project: LoadedProject): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const slot of Object.keys(providerCapabilities) as Slot[]) {
    const descriptor = valueAtDotted(project.config, `providers.${slot}`);
    if (isRecord(descriptor)) out.push(...slotDiagnostics(project, slot, descriptor));
  }
  return out;
}
