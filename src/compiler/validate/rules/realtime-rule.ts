/**
 * @module compiler/validate/rules/realtime-rule
 * Realtime (seed 000, reference §7.1). The project switch needs Better Auth (tickets are signed
 * with its secret, callers come from its sessions) and a runtime whose websocket is built (Workers:
 * a Durable Object; Node: the server's upgrade listener; Bun: Bun.serve's websocket). `wsTicket`
 * names an `authz.roles` role whose `via` table references the scope table and has a user column.
 * A table's `realtime` warns when the project's is off; its `fields` must be columns,
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
import {
  authzRoles,
  configError,
  knownColumns,
  providerKind,
  publicResources,
  resourceConfig,
  resourceError,
  resourcePath,
  roleHierarchy,
} from '../project.js';
import { valueAtDotted } from '../util.js';
import type { QuickbackConfigInput } from '../../../dsl/config.js';

const AT = 'providers.database.realtime';

function projectDiagnostics(project: LoadedProject): Diagnostic[] {
  const out: Diagnostic[] = [];
  const auth = providerKind(project.config, 'auth') ?? 'better-auth';
  if (auth !== 'better-auth')
    out.push(
      configError(
        project,
        'QB_VALIDATE_NOT_SUPPORTED',
        notSupported('Realtime', `auth ${auth} (tickets are issued to Better Auth sessions)`),
        AT,
        'Use defineAuth("better-auth"), or remove realtime.',
      ),
    );
  const ws = valueAtDotted(project.config, 'providers.database.options.realtime.wsTicket') as {
    role?: unknown;
    scopeTable?: unknown;
  } | undefined;
  if (ws && typeof ws.role === 'string' && typeof ws.scopeTable === 'string')
    out.push(...wsTicketProblems(project, ws.role, ws.scopeTable));
  return out;
}

/** wsTicket: the role is an authz role whose `via` table links a user column to the scope table. */
function wsTicketProblems(project: LoadedProject, role: string, scopeTable: string): Diagnostic[] {
  const at = `${AT}.wsTicket`;
  const via = valueAtDotted(project.config, `authz.roles.${role}.via`);
  if (typeof via !== 'string') {
    return [
      configError(
        project,
        'QB_VALIDATE_INVALID_OPTION',
        `wsTicket.role "${role}" is not declared under authz.roles`,
        `${at}.role`,
        `Add authz: { roles: { ${role}: { via: "<relationship table>" } } } to quickback.config.ts.`,
      ),
    ];
  }
  const named = (name: string) => project.resources.find((r) => r.name === name);
  const scope = named(scopeTable);
  if (!scope)
    return [
      configError(
        project,
        'QB_VALIDATE_UNKNOWN_REFERENCE',
        `wsTicket.scopeTable "${scopeTable}" is not a feature`,
        `${at}.scopeTable`,
        `Features: ${project.resources.map((r) => r.name).join(', ')}.`,
      ),
    ];
  const relation = named(via);
  const viaAt = `authz.roles.${role}.via`;
  if (!relation)
    return [
      configError(
        project,
        'QB_VALIDATE_UNKNOWN_REFERENCE',
        `authz role "${role}": via "${via}" is not a feature`,
        viaAt,
        `Features: ${project.resources.map((r) => r.name).join(', ')}.`,
      ),
    ];
  const columns = Object.entries(relation.columns ?? {});
  const out: Diagnostic[] = [];
  if (
    !columns.some(([, spec]) =>
      typeof spec?.references?.target === 'string' && spec.references.target.split('.')[0] === scope.name
    )
  ) {
    out.push(
      configError(
        project,
        'QB_VALIDATE_INVALID_OPTION',
        `authz role "${role}": ${via} has no column referencing ${scope.name}`,
        viaAt,
        `Add a column such as ${scope.name}Id: q.text().required().references("${scope.name}") to ${via}.`,
      ),
    );
  }
  if (
    !columns.some(([key, spec]) =>
      key === 'userId' || (spec?.type === 'scope' && (spec.scope === 'owner' || spec.scope === 'user'))
    )
  ) {
    out.push(
      configError(
        project,
        'QB_VALIDATE_INVALID_OPTION',
        `authz role "${role}": ${via} has no user column (q.scope("owner") or userId)`,
        viaAt,
        `Add userId: q.text().required() to ${via}: the user the row links to ${scope.name}.`,
      ),
    );
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
    if (
      spec === undefined || spec === false
      || (typeof spec === 'object' && spec !== null && (spec as { enabled?: boolean }).enabled === false)
    ) continue;
    if (!on) {
      out.push(
        warning(
          'QB_WARN_OPTION_NO_EFFECT',
          `\`realtime\` of ${resource.name} has no effect: the project's realtime is off`,
          {
            file: resource.file,
            at: resourcePath(resource, 'realtime'),
            hint: `Turn it on: defineDatabase(..., { realtime: true }) (or quickback enable realtime).`,
          },
        ),
      );
      continue;
    }
    let scoped = true;
    try {
      const { scope } = deriveFirewall(resource.config, resource.columns, AUDIT_KEYS.deletedAt);
      scoped = scope.organization !== undefined || scope.owner !== undefined;
    } catch { /* the firewall rules report it */ }
    if (!scoped)
      out.push(
        warning(
          'QB_WARN_OPTION_NO_EFFECT',
          `\`realtime\` of ${resource.name} has no effect: the table has no organization or owner firewall to push its rows to`,
          {
            file: resource.file,
            at: resourcePath(resource, 'realtime'),
            hint:
              'Scope the table (firewall: { organization: {} } or { owner: {} }), or push with createRealtime() yourself.',
          },
        ),
      );
    if (typeof spec !== 'object' || spec === null) continue;
    const { fields, requiredRoles } = spec as { fields?: unknown[]; requiredRoles?: unknown[] };
    const columns = knownColumns(resource);
    (fields ?? []).forEach((field, i) => {
      if (typeof field === 'string' && !columns.includes(field))
        out.push(
          resourceError(
            resource,
            'QB_VALIDATE_INVALID_OPTION',
            `realtime.fields: "${field}" is not a column of ${resource.name}`,
            ['realtime', 'fields', i],
            `Columns: ${columns.join(', ')}.`,
          ),
        );
    });
    (requiredRoles ?? []).forEach((role, i) => {
      if (
        typeof role === 'string' && !roles.includes(role.replace(/\+$/, ''))
        && !authzRoles(project.config).includes(role)
      )
        out.push(
          resourceError(
            resource,
            'QB_VALIDATE_INVALID_ACCESS',
            `realtime.requiredRoles: "${role}" is not a role of auth.roleHierarchy`,
            ['realtime', 'requiredRoles', i],
            `Roles: ${roles.join(', ')} (add + for "this role and above").`,
          ),
        );
    });
  }
  return out;
}
