/**
 * @module compiler/validate/rules/organizations-rule
 * Organization scope and organization roles only mean something when the organizations feature
 * is on: without it no request ever has an active organization or a member role, so an
 * org-scoped (or team-scoped) table would return nothing and a role rule would deny everyone.
 * Both are errors.
 */
import type { Diagnostic } from '../../../shared/diagnostics.js';
import type { LoadedProject, ResourceInput } from '../../load/types.js';
import { organizationsEnabled } from '../../model/config.js';
import { isolationCandidates } from '../../model/firewall.js';
import { publicResources, resourceConfig, resourceError } from '../project.js';
import { isRecord, type Segment } from '../util.js';

const ORG_SOURCE = 'ctx.activeOrgId';
/** Teams live inside organizations, so a team scope needs them too. */
const TENANT_SOURCES = [ORG_SOURCE, 'ctx.activeTeamId'];
const ENABLE_HINT = 'Enable organizations in quickback.config.ts: features: ["organizations"].';
const ACCESS_PLACES: Segment[][] = [
  ['read', 'access'],
  ...(['create', 'update', 'delete'] as const).flatMap((op) => [['crud', op, 'access'], [op, 'access']]),
];

/** Where the resource is scoped by organization, if it is. */
function orgScopePath(resource: ResourceInput): Segment[] | undefined {
  const firewall = resourceConfig(resource).firewall;
  if (firewall === undefined) {
    const candidates = isolationCandidates(resource.columns ?? {});
    return candidates.length === 1 && TENANT_SOURCES.includes(candidates[0].source)
      ? ['columns', candidates[0].column]
      : undefined;
  }
  if (Array.isArray(firewall)) {
    const i = firewall.findIndex((p) => isRecord(p) && TENANT_SOURCES.includes(p.equals as string));
    return i < 0 ? undefined : ['firewall', i, 'equals'];
  }
  if (!isRecord(firewall) || firewall.exception === true) return undefined;
  const named = firewall.organization;
  if (named !== undefined && named !== false) return ['firewall', 'organization'];
  if (firewall.team !== undefined && firewall.team !== false) return ['firewall', 'team'];
  for (const scope of ['owner', 'team'] as const) {
    const entry = firewall[scope];
    if (isRecord(entry) && entry.source === ORG_SOURCE) return ['firewall', scope, 'source'];
  }
  return undefined;
}

function valueAt(root: unknown, path: Segment[]): unknown {
  return path.reduce<unknown>(
    (
      node,
      key,
    ) => (isRecord(node) || Array.isArray(node) ? (node as Record<string, unknown>)[key as string] : undefined),
    root,
  );
}

/** Paths of every non-PUBLIC `roles` entry in an access rule (nested or/and included). */
function rolePaths(rule: unknown, path: Segment[]): Segment[][] {
  if (!isRecord(rule)) return [];
  const out: Segment[][] = [];
  if (Array.isArray(rule.roles))
    rule.roles.forEach((role, i) => {
      if (role !== 'PUBLIC') out.push([...path, 'roles', i]);
    });
  for (const combinator of ['or', 'and'] as const) {
    const list = rule[combinator];
    if (Array.isArray(list)) list.forEach((nested, i) => out.push(...rolePaths(nested, [...path, combinator, i])));
  }
  return out;
}

function checkResource(resource: ResourceInput): Diagnostic[] {
  const out: Diagnostic[] = [];
  const scoped = orgScopePath(resource);
  if (scoped) {
    out.push(
      resourceError(
        resource,
        'QB_VALIDATE_INVALID_FIREWALL',
        `"${resource.name}" is scoped by organization, but the organizations feature is not enabled`,
        scoped,
        `${ENABLE_HINT} Or scope the table by owner: ownerId: q.scope("owner").`,
      ),
    );
  }
  const config = resourceConfig(resource);
  for (const place of ACCESS_PLACES) {
    for (const path of rolePaths(valueAt(config, place), place)) {
      out.push(
        resourceError(
          resource,
          'QB_VALIDATE_INVALID_ACCESS',
          `Role "${
            String(valueAt(config, path))
          }" is an organization role, but the organizations feature is not enabled`,
          path,
          `${ENABLE_HINT} Without organizations use {} (any signed-in user), "PUBLIC", or userRole: [...] with the admin plugin.`,
        ),
      );
    }
  }
  return out;
}

export function organizationsRule(project: LoadedProject): Diagnostic[] {
  if (!isRecord(project.config) || organizationsEnabled(project.config)) return [];
  return publicResources(project).flatMap(checkResource);
}
