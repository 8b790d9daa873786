/**
 * @module compiler/validate/rules/access-rule
 * Access rules (read, create, update, delete, in either authoring form, nested or/and): every
 * role (with a trailing `+` removed) is in auth.roleHierarchy or is exactly `PUBLIC`; `"*"` and
 * `"PUBLIC+"` are malformed; record conditions name real columns. Also view access and the
 * roles of masking rules.
 */
import type { Diagnostic } from '../../../shared/diagnostics.js';
import type { LoadedProject, ResourceInput } from '../../load/types.js';
import { authzRoles, knownColumns, resourceConfig, resourceError, roleHierarchy } from '../project.js';
import { didYouMean, entriesOf, isRecord, valueAt, valueAtDotted, type Segment } from '../util.js';

const PUBLIC = 'PUBLIC';
const ACCESS_PLACES: Segment[][] = [
  ['read', 'access'],
  ...(['create', 'update', 'delete'] as const).flatMap((op) => [['crud', op, 'access'], [op, 'access']]),
];

interface Scope {
  resource: ResourceInput;
  hierarchy: string[];
  columns: string[];
}

function roleProblem(scope: Scope, role: string, path: Segment[]): Diagnostic | undefined {
  const fail = (code: Diagnostic['code'], message: string, hint?: string) =>
    resourceError(scope.resource, code, message, path, hint);
  if (role === '*')
    return fail(
      'QB_VALIDATE_INVALID_ACCESS',
      '"*" is not a role',
      'Use "PUBLIC" for routes that need no sign-in, or "member+" for every member.',
    );
  if (role === `${PUBLIC}+`)
    return fail(
      'QB_VALIDATE_INVALID_ACCESS',
      '"PUBLIC+" is not valid: PUBLIC is not part of the role hierarchy',
      'Use "PUBLIC" on its own.',
    );
  const base = role.endsWith('+') ? role.slice(0, -1) : role;
  if (base === PUBLIC || scope.hierarchy.includes(base)) return undefined;
  return fail(
    'QB_VALIDATE_UNKNOWN_ROLE',
    `Role "${role}" is not in auth.roleHierarchy (${scope.hierarchy.join(', ')})`,
    didYouMean(base, [...scope.hierarchy, PUBLIC], 'Roles') ?? 'Add it to auth.roleHierarchy in quickback.config.ts.',
  );
}

function checkRule(scope: Scope, rule: unknown, path: Segment[]): Diagnostic[] {
  if (!isRecord(rule)) return [];
  const out: Diagnostic[] = [];
  if (Array.isArray(rule.roles)) {
    rule.roles.forEach((role, i) => {
      const problem = typeof role === 'string' ? roleProblem(scope, role, [...path, 'roles', i]) : undefined;
      if (problem) out.push(problem);
    });
  }
  for (const [key] of entriesOf(rule.record)) {
    if (scope.columns.includes(key)) continue;
    out.push(
      resourceError(
        scope.resource,
        'QB_VALIDATE_UNKNOWN_COLUMN',
        `The access rule's record condition names column "${key}", which "${scope.resource.name}" does not have`,
        [...path, 'record', key],
        didYouMean(key, scope.columns, 'Columns'),
      ),
    );
  }
  for (const combinator of ['or', 'and'] as const) {
    const list = rule[combinator];
    if (Array.isArray(list))
      list.forEach((nested, i) => out.push(...checkRule(scope, nested, [...path, combinator, i])));
  }
  return out;
}

function checkResource(resource: ResourceInput, hierarchy: string[]): Diagnostic[] {
  const config = resourceConfig(resource);
  const scope: Scope = { resource, hierarchy, columns: knownColumns(resource) };
  const views: Segment[][] = entriesOf(valueAtDotted(config, 'read.views')).map((
    [name],
  ) => ['read', 'views', name, 'access']);
  const out = [...ACCESS_PLACES, ...views].flatMap((path) => checkRule(scope, valueAt(config, path), path));
  for (const [key, mask] of entriesOf(config.masking)) {
    for (const place of ['show', 'query'] as const) {
      const roles = valueAtDotted(mask, `${place}.roles`);
      if (!Array.isArray(roles)) continue;
      roles.forEach((role, i) => {
        const problem = typeof role === 'string'
          ? (role === PUBLIC
            ? resourceError(resource, 'QB_VALIDATE_INVALID_MASKING', 'PUBLIC cannot see masked values', [
              'masking',
              key,
              place,
              'roles',
              i,
            ], 'Remove the mask instead.')
            : roleProblem(scope, role, ['masking', key, place, 'roles', i]))
          : undefined;
        if (problem) out.push(problem);
      });
    }
  }
  return out;
}

export function accessRule(project: LoadedProject): Diagnostic[] {
  // Relationship roles (authz.roles) may be named too: realtime scope channels hold them.
  const hierarchy = [...roleHierarchy(project.config), ...authzRoles(project.config)];
  return project.resources.flatMap((resource) => checkResource(resource, hierarchy));
}
