/**
 * @module compiler/validate/rules/firewall-checks
 * Checks of an explicit firewall, in both forms: the predicate array
 * (`[{ field, equals: "ctx.activeOrgId" }, { field, isNull: true }]`) and named scopes
 * (`{ owner?, organization?, team?, softDelete?, errorMode?, exception? }`).
 */
import { nearest } from '../../../dsl/kind.js';
import type { Diagnostic } from '../../../shared/diagnostics.js';
import type { ResourceInput } from '../../load/types.js';
import { declaredColumns, knownColumns, resourceError } from '../project.js';
import { didYouMean, isRecord, type Segment } from '../util.js';

export const TEAM_SOURCE = 'ctx.activeTeamId';
export const CONTEXT_SOURCES = ['ctx.activeOrgId', 'ctx.userId', TEAM_SOURCE];
export const SCOPE_OF_SOURCE: Record<string, string> = {
  'ctx.activeOrgId': 'organization',
  'ctx.userId': 'owner',
  [TEAM_SOURCE]: 'team',
};
const NAMED_SCOPES = [
  { scope: 'owner', column: 'ownerId', example: 'ownerId: q.scope("owner")' },
  { scope: 'organization', column: 'organizationId', example: 'organizationId: q.scope("organization")' },
  { scope: 'team', column: 'teamId', example: 'teamId: q.scope("team")' },
] as const;

/** A context value (`equals` / `source`): one of CONTEXT_SOURCES. */
function checkSource(resource: ResourceInput, value: unknown, path: Segment[]): Diagnostic[] {
  if (typeof value !== 'string') return [];
  if (!CONTEXT_SOURCES.includes(value)) {
    return [
      resourceError(
        resource,
        'QB_VALIDATE_INVALID_FIREWALL',
        `"${value}" is not a firewall context value (${CONTEXT_SOURCES.join(', ')})`,
        path,
        didYouMean(value, CONTEXT_SOURCES),
      ),
    ];
  }
  return [];
}

function checkColumn(
  resource: ResourceInput,
  column: unknown,
  columns: string[],
  path: Segment[],
  hint: string,
): Diagnostic[] {
  if (typeof column !== 'string' || columns.includes(column)) return [];
  const guess = nearest(column, columns);
  return [
    resourceError(
      resource,
      'QB_VALIDATE_UNKNOWN_COLUMN',
      `The firewall uses column "${column}", which "${resource.name}" does not have`,
      path,
      guess ? `Did you mean "${guess}"?` : hint,
    ),
  ];
}

export function checkPredicates(resource: ResourceInput, predicates: unknown[]): Diagnostic[] {
  if (predicates.length === 0) {
    return [
      resourceError(
        resource,
        'QB_VALIDATE_INVALID_FIREWALL',
        'An empty firewall isolates nothing',
        ['firewall'],
        'Add a predicate such as { field: "organizationId", equals: "ctx.activeOrgId" }, or use firewall: { exception: true } for a public table.',
      ),
    ];
  }
  const columns = knownColumns(resource);
  return predicates.flatMap((p, i) => (isRecord(p)
    ? [
      ...checkColumn(resource, p.field, columns, ['firewall', i, 'field'], `Columns: ${columns.join(', ')}`),
      ...checkSource(resource, p.equals, ['firewall', i, 'equals']),
    ]
    : [])
  );
}

function checkScope(
  resource: ResourceInput,
  named: Record<string, unknown>,
  entry: (typeof NAMED_SCOPES)[number],
): Diagnostic[] {
  const value = named[entry.scope];
  if (value === undefined || value === false) return [];
  const options = isRecord(value) ? value : {};
  const path: Segment[] = options.column === undefined
    ? ['firewall', entry.scope]
    : ['firewall', entry.scope, 'column'];
  const hint = `Add ${entry.example} to columns, or set firewall.${entry.scope}.column.`;
  return [
    ...checkColumn(resource, options.column ?? entry.column, declaredColumns(resource), path, hint),
    ...checkSource(resource, options.source, ['firewall', entry.scope, 'source']),
  ];
}

export function checkNamedFirewall(resource: ResourceInput, named: unknown): Diagnostic[] {
  if (!isRecord(named)) return [];
  const scoped = NAMED_SCOPES.filter((s) => named[s.scope] !== undefined && named[s.scope] !== false).map((s) =>
    s.scope
  );
  if (named.exception === true && scoped.length > 0) {
    return [
      resourceError(
        resource,
        'QB_VALIDATE_INVALID_FIREWALL',
        `\`firewall.exception: true\` opts out of isolation and cannot be combined with ${scoped.join(', ')}`,
        ['firewall', 'exception'],
        'Remove exception for a scoped table, or remove the scopes for a public one.',
      ),
    ];
  }
  if (named.exception !== true && scoped.length === 0) {
    return [
      resourceError(
        resource,
        'QB_VALIDATE_INVALID_FIREWALL',
        'The firewall declares no scope (owner, organization or team), so it isolates nothing',
        ['firewall'],
        'Add organization: {} or owner: {}, or exception: true for a public table.',
      ),
    ];
  }
  const out = NAMED_SCOPES.flatMap((entry) => checkScope(resource, named, entry));
  if (isRecord(named.softDelete))
    out.push(
      ...checkColumn(
        resource,
        named.softDelete.column,
        knownColumns(resource),
        ['firewall', 'softDelete', 'column'],
        'Name a timestamp column, or leave column out for deletedAt.',
      ),
    );
  return out;
}
