/**
 * @module compiler/model/firewall
 * Derives a feature's firewall: the predicates ANDed into every statement, the columns stamped
 * from the request context on create, and the error mode. All three authoring forms (auto,
 * named scopes, predicate array) normalise to the same predicate list.
 */
import type { ColumnSpec } from '../../dsl/columns/spec.js';
import type { NamedFirewall, ResourceSpec } from '../../dsl/feature.js';
import type { ContextSource, FeatureModel, FirewallPredicate } from './ir.js';

export const ORG_SYNONYMS = ['organizationId', 'organisationId', 'orgId', 'organization', 'organisation', 'org'];
const SOURCE: Record<'organization' | 'owner' | 'user' | 'team', ContextSource> = {
  organization: 'ctx.activeOrgId',
  owner: 'ctx.userId',
  user: 'ctx.userId',
  team: 'ctx.activeTeamId',
};

/** Isolation candidates of the auto form: `q.scope()` columns and well-known column names. */
export function isolationCandidates(columns: Record<string, ColumnSpec>): { column: string; source: ContextSource }[] {
  const found: { column: string; source: ContextSource }[] = [];
  for (const [key, spec] of Object.entries(columns)) {
    if (spec.type === 'scope' && spec.scope) found.push({ column: key, source: SOURCE[spec.scope] });
    else if (ORG_SYNONYMS.includes(key)) found.push({ column: key, source: 'ctx.activeOrgId' });
    else if (key === 'userId') found.push({ column: key, source: 'ctx.userId' });
    else if (key === 'teamId') found.push({ column: key, source: 'ctx.activeTeamId' });
  }
  return found;
}

function fromNamed(named: NamedFirewall): FirewallPredicate[] {
  const out: FirewallPredicate[] = [];
  if (named.exception) return out;
  if (named.organization)
    out.push({
      column: named.organization.column ?? 'organizationId',
      equals: (named.organization.source as ContextSource) ?? 'ctx.activeOrgId',
    });
  if (named.owner)
    out.push({
      column: named.owner.column ?? 'ownerId',
      equals: (named.owner.source as ContextSource) ?? 'ctx.userId',
    });
  if (named.team)
    out.push({
      column: named.team.column ?? 'teamId',
      equals: (named.team.source as ContextSource) ?? 'ctx.activeTeamId',
    });
  return out;
}

function scopeOf(predicates: FirewallPredicate[]): FeatureModel['scope'] {
  const scope: FeatureModel['scope'] = {};
  for (const p of predicates) {
    if (!('equals' in p)) continue;
    if (p.equals === 'ctx.activeOrgId') scope.organization ??= p.column;
    else if (p.equals === 'ctx.userId') scope.owner ??= p.column;
    else scope.team ??= p.column;
  }
  return scope;
}

export function deriveFirewall(
  config: ResourceSpec,
  columns: Record<string, ColumnSpec>,
  deletedAt: string,
): { firewall: FeatureModel['firewall']; scope: FeatureModel['scope'] } {
  const declared = config.firewall;
  let predicates: FirewallPredicate[];
  let exception = false;
  let errorMode = config.firewallErrorMode ?? 'reveal';
  let softDelete = true;
  if (Array.isArray(declared)) {
    predicates = declared.map((
      p,
    ) => ('isNull' in p
      ? { column: p.field, isNull: true as const }
      : { column: p.field, equals: p.equals as ContextSource })
    );
  } else if (declared) {
    predicates = fromNamed(declared);
    exception = declared.exception === true;
    errorMode = declared.errorMode ?? errorMode;
    softDelete = declared.softDelete !== false;
  } else {
    predicates = isolationCandidates(columns).slice(0, 1).map((c) => ({ column: c.column, equals: c.source }));
  }
  const softColumn = !Array.isArray(declared) && typeof declared?.softDelete === 'object'
    ? declared.softDelete.column ?? deletedAt
    : deletedAt;
  if (softDelete && !predicates.some((p) => 'isNull' in p && p.column === softColumn))
    predicates.push({ column: softColumn, isNull: true });
  return { firewall: { predicates, errorMode, exception }, scope: scopeOf(predicates) };
}
