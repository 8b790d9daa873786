/**
 * @module compiler/rls/policies
 * A feature's firewall and access rules as RLS predicates, mirroring the API's evaluation
 * (runtime firewall.ts, access.ts): the firewall scopes every command; access adds the role
 * phase (`has_any_role`, the platform admin's bypass, `userRole`) and record conditions. Every
 * helper call is a sub-select, so PostgreSQL evaluates it once per query (an InitPlan), not
 * once per row. Predicates come in two flavours: for `authenticated` and for `anon` (who has no
 * roles, so only PUBLIC rules without record conditions on the caller can let them in).
 */
import { QuickbackError } from '../../shared/errors.js';
import type { AccessModel, ConditionModel, FeatureModel } from '../model/ir.js';

export type Principal = 'authenticated' | 'anon';
export const FALSE = 'false';
export const TRUE = 'true';

export const call = (name: string) => `(select quickback.${name})`;

function and(parts: string[]): string {
  if (parts.includes(FALSE)) return FALSE;
  const rest = [...new Set(parts.filter((p) => p !== TRUE))];
  return rest.length === 0 ? TRUE : rest.length === 1 ? rest[0] : rest.map((p) => `(${p})`).join(' AND ');
}

function or(parts: string[]): string {
  if (parts.includes(TRUE)) return TRUE;
  const rest = [...new Set(parts.filter((p) => p !== FALSE))];
  return rest.length === 0 ? FALSE : rest.length === 1 ? rest[0] : rest.map((p) => `(${p})`).join(' OR ');
}

export const quote = (value: string) => `'${value.replace(/'/g, "''")}'`;

/** SQL for a context reference, or a literal. */
function operand(value: unknown, feature: FeatureModel, who: Principal): string | null {
  if (typeof value === 'string' && value.startsWith('$ctx.')) {
    const source = value.slice(5);
    if (who === 'anon') return null;
    const map: Record<string, string> = {
      userId: call('user_id()'),
      activeOrgId: call('get_active_org_id()'),
      activeTeamId: call('active_team_id()'),
      userRole: call('user_role()'),
    };
    if (map[source]) return map[source];
    throw new QuickbackError(
      'QB_VALIDATE_NOT_SUPPORTED',
      `The record condition value "${value}" has no RLS equivalent`,
      {
        file: feature.source,
        hint:
          'On neon/supabase, compare record fields with $ctx.userId, $ctx.activeOrgId, $ctx.activeTeamId, $ctx.userRole or a literal.',
      },
    );
  }
  if (value === null || value === undefined) return null;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value === 'boolean') return value ? TRUE : FALSE;
  return quote(String(value));
}

function condition(column: string, cond: ConditionModel, feature: FeatureModel, who: Principal): string {
  const c = `"${column}"`;
  if (cond.op === 'in' || cond.op === 'notIn') {
    if (!Array.isArray(cond.value)) return FALSE;
    const items = cond.value.map((v) => operand(v, feature, who)).filter((v): v is string => v !== null);
    if (cond.op === 'in') return items.length === 0 ? FALSE : `${c} IN (${items.join(', ')})`;
    return items.length === 0 ? TRUE : `${c} IS NULL OR ${c} NOT IN (${items.join(', ')})`;
  }
  const value = operand(cond.value, feature, who);
  if (value === null) return FALSE;
  const op = {
    equals: '=',
    notEquals: '<>',
    lessThan: '<',
    greaterThan: '>',
    lessThanOrEqual: '<=',
    greaterThanOrEqual: '>=',
  }[cond.op];
  return cond.op === 'notEquals' ? `${c} IS NULL OR ${c} <> ${value}` : `${c} ${op} ${value}`;
}

/** The columns a rule's record conditions read (they need an index). */
export function ruleColumns(rule: AccessModel, feature: FeatureModel): string[] {
  const own = Object.keys(rule.record ?? {}).map((key) => sqlColumn(feature, key)).filter((c): c is string =>
    c !== null
  );
  return [
    ...own,
    ...(rule.or ?? []).flatMap((r) => ruleColumns(r, feature)),
    ...(rule.and ?? []).flatMap((r) => ruleColumns(r, feature)),
  ];
}

function sqlColumn(feature: FeatureModel, key: string): string | null {
  return feature.table.columns.find((c) => c.key === key)?.sqlName ?? null;
}

/** A rule without the platform admin's bypass (nested rules inherit the one at the top). */
function ruleSql(rule: AccessModel, feature: FeatureModel, who: Principal, organizations: boolean): string {
  const delegated = rule.roles !== undefined || rule.userRole !== undefined || rule.or !== undefined
    || rule.and !== undefined;
  const parts: string[] = [];
  if (!delegated && who === 'anon') return FALSE;
  if (rule.roles && !rule.roles.includes('PUBLIC')) {
    parts.push(
      who === 'anon' || !organizations ? FALSE : `${call(`has_any_role(ARRAY[${rule.roles.map(quote).join(', ')}])`)}`,
    );
  }
  if (rule.userRole)
    parts.push(who === 'anon' ? FALSE : `${call('user_role()')} IN (${rule.userRole.map(quote).join(', ')})`);
  for (const [key, cond] of Object.entries(rule.record ?? {})) {
    const column = sqlColumn(feature, key);
    parts.push(column ? condition(column, cond, feature, who) : FALSE);
  }
  if (rule.or) parts.push(or(rule.or.map((r) => ruleSql(r, feature, who, organizations))));
  if (rule.and) parts.push(and(rule.and.map((r) => ruleSql(r, feature, who, organizations))));
  return and(parts);
}

/** `evaluateAccess` (runtime/access.ts) as SQL over the row: the platform admin passes, once at the top. */
export function accessPredicate(
  rule: AccessModel,
  feature: FeatureModel,
  who: Principal,
  organizations: boolean,
): string {
  const own = ruleSql(rule, feature, who, organizations);
  return who === 'anon' ? own : or([call('is_platform_admin()'), own]);
}

/** The firewall's row scope (runtime firewall.ts), without the soft-delete filter: soft delete is an API convention. */
export function firewallPredicate(feature: FeatureModel, who: Principal): string {
  const soft = feature.deleteMode === 'soft' ? feature.audit.deletedAt : undefined;
  const parts = feature.firewall.predicates.map((p) => {
    const column = `"${sqlColumn(feature, p.column) ?? p.column}"`;
    if ('isNull' in p) return p.column === soft ? TRUE : `${column} IS NULL`;
    if (who === 'anon' && p.equals !== 'ctx.activeOrgId') return FALSE;
    const source = {
      'ctx.activeOrgId': 'get_active_org_id()',
      'ctx.userId': 'user_id()',
      'ctx.activeTeamId': 'active_team_id()',
    }[p.equals];
    return `${column} = ${call(source)}`;
  });
  return and(parts);
}

export const combine = { and, or };
