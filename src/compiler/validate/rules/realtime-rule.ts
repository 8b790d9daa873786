/**
 * @module compiler/validate/rules/realtime-rule
 * Realtime (seed 000, reference §7.1). The project switch needs Better Auth (tickets are signed
 * with its secret, callers come from its sessions) and a runtime whose websocket is built (Workers:
 * a Durable Object; Node: the server's upgrade listener; Bun: Bun.serve's websocket); `wsTicket` is not
 * built yet. A table's `realtime` warns when the project's is off; its `fields` must be columns,
 * its `requiredRoles` roles of the hierarchy (`admin+` forms allowed); a table with no tenant
 * (no organization or owner firewall) has nowhere to push, so it warns.
 */
import type { Diagnostic } from '../../../shared/diagnostics.js';
import { warning } from '../../../shared/diagnostics.js';
import type { LoadedProject } from '../../load/types.js';
import { AUDIT_KEYS } from '../../model/columns.js';
import { deriveFirewall } from '../../model/firewall.js';
import { projectRealtimeOn } from '../../model/realtime.js';
import { notSupported } from '../capabilities.js';
import { configError, knownColumns, providerKind, publicResources, resourceConfig, resourceError, resourcePath, roleHierarchy } from '../project.js';
import { valueAtDotted } from '../util.js';
import type { QuickbackConfigInput } from '../../../dsl/config.js';

const AT = 'providers.database.realtime';

function projectDiagnostics(project: LoadedProject): Diagnostic[] {
  const out: Diagnostic[] = [];
  const auth = providerKind(project.config, 'auth') ?? 'better-auth';
  if (auth !== 'better-auth') out.push(configError(project, 'QB_VALIDATE_NOT_SUPPORTED', notSupported('Realtime', `auth ${auth} (tickets are issued to Better Auth sessions)`), AT, 'Use defineAuth("better-auth"), or remove realtime.'));
  if (valueAtDotted(project.config, 'providers.database.options.realtime.wsTicket') !== undefined) {
    out.push(configError(project, 'QB_VALIDATE_NOT_SUPPORTED', notSupported('Relationship-scoped websocket tickets (`realtime.wsTicket`)', 'this edition'), `${AT}.wsTicket`, 'Leave wsTicket out: tickets are scoped to the active organization (or the caller).'));
  }
  return out;
}

export function realtimeRule(project: LoadedProject): Diagnostic[] {
  let on = false;
  try {
    on = projectRealtimeOn(project.config as QuickbackConfigInput);
  } catch {
    return []; // a malformed config: the schema rule reports it
  }
  const out = on ? projectDiagnostics(project) : [];
  const roles = roleHierarchy(project.config);
  for (const resource of publicResources(project)) {
    const spec = resourceConfig(resource).realtime;
    if (spec === undefined || spec === false || (typeof spec === 'object' && spec !== null && (spec as { enabled?: boolean }).enabled === false)) continue;
    if (!on) {
      out.push(warning('QB_WARN_OPTION_NO_EFFECT', `\`realtime\` of ${resource.name} has no effect: the project's realtime is off`, { file: resource.file, at: resourcePath(resource, 'realtime'), hint: `Turn it on: defineDatabase(..., { realtime: true }) (or quickback enable realtime).` }));
      continue;
    }
    let scoped = true;
    try {
      const { scope } = deriveFirewall(resource.config, resource.columns, AUDIT_KEYS.deletedAt);
      scoped = scope.organization !== undefined || scope.owner !== undefined;
    } catch { /* the firewall rules report it */ }
    if (!scoped) out.push(warning('QB_WARN_OPTION_NO_EFFECT', `\`realtime\` of ${resource.name} has no effect: the table has no organization or owner firewall to push its rows to`, { file: resource.file, at: resourcePath(resource, 'realtime'), hint: 'Scope the table (firewall: { organization: {} } or { owner: {} }), or push with createRealtime() yourself.' }));
    if (typeof spec !== 'object' || spec === null) continue;
    const { fields, requiredRoles } = spec as { fields?: unknown[]; requiredRoles?: unknown[] };
    const columns = knownColumns(resource);
    (fields ?? []).forEach((field, i) => {
      if (typeof field === 'string' && !columns.includes(field)) out.push(resourceError(resource, 'QB_VALIDATE_INVALID_OPTION', `realtime.fields: "${field}" is not a column of ${resource.name}`, ['realtime', 'fields', i], `Columns: ${columns.join(', ')}.`));
    });
    (requiredRoles ?? []).forEach((role, i) => {
      if (typeof role === 'string' && !roles.includes(role.replace(/\+$/, ''))) out.push(resourceError(resource, 'QB_VALIDATE_INVALID_ACCESS', `realtime.requiredRoles: "${role}" is not a role of auth.roleHierarchy`, ['realtime', 'requiredRoles', i], `Roles: ${roles.join(', ')} (add + for "this role and above").`));
    });
  }
  return out;
}
