/**
 * @module quickback/access
 * The one access engine for every route. Rules are data (roles already expanded at compile time).
 * Two phases: `pre` checks roles before any row is read (so a foreign id and a missing id look the
 * same); `record` adds the row conditions after the firewall read. On list routes the record
 * conditions become SQL (`accessWhere`), so members see a filtered list instead of a 403.
 * Platform admins pass every rule.
 */
import { and, eq, gt, gte, inArray, isNull, lt, lte, ne, notInArray, or, type Column, type SQL } from 'drizzle-orm';
import { contextValue, type AppContext } from '../core/context.js';
import type { AccessRule, Condition } from '../core/resource.js';

export type { AccessRule, Condition } from '../core/resource.js';

export const PUBLIC = 'PUBLIC';

/**
 * A platform admin (Better Auth user role `admin`) passes every access rule, record conditions
 * included (reference §1.5); the firewall still scopes every statement to a tenant.
 */
export function isPlatformAdmin(ctx: AppContext): boolean {
  return ctx.authenticated && ctx.userRole === 'admin';
}

/** Condition operands: `$ctx.*` strings read the request context; null/undefined never match. */
function operand(value: unknown, ctx: AppContext): unknown {
  return typeof value === 'string' && value.startsWith('$ctx.') ? contextValue(ctx, value) : value;
}

/** The values of an `in`/`notIn` list that can match: null and undefined never do. */
const present = (list: unknown[]) => list.filter((v) => v !== null && v !== undefined);

function compare(op: Condition['op'], actual: unknown, expected: unknown): boolean {
  if (expected === null || expected === undefined) return false;
  switch (op) {
    case 'equals':
      return actual === expected;
    case 'notEquals':
      return actual !== expected;
    // null in a list never matches (SQL's IN and the RLS printer agree); a row's null is in no list.
    case 'in':
      return Array.isArray(expected) && actual !== null && actual !== undefined && present(expected).includes(actual);
    case 'notIn':
      return Array.isArray(expected)
        && (actual === null || actual === undefined || !present(expected).includes(actual));
    default: {
      if (actual === null || actual === undefined || actual === '') return false;
      const a = Number(actual);
      const b = Number(expected);
      if (!Number.isFinite(a) || !Number.isFinite(b)) return false;
      return op === 'lessThan' ? a < b : op === 'greaterThan' ? a > b : op === 'lessThanOrEqual' ? a <= b : a >= b;
    }
  }
}

function principalAllows(rule: AccessRule, ctx: AppContext): boolean {
  const delegated = rule.roles !== undefined || rule.userRole !== undefined || rule.or !== undefined
    || rule.and !== undefined;
  if (!delegated && !ctx.authenticated) return false;
  if (
    rule.roles && !rule.roles.includes(PUBLIC) && !(ctx.authenticated && rule.roles.some((r) => ctx.roles.includes(r)))
  ) return false;
  if (rule.userRole && !(ctx.authenticated && ctx.userRole !== null && rule.userRole.includes(ctx.userRole)))
    return false;
  return true;
}

/**
 * Evaluates a rule. Without a record (phase `pre`) record conditions are not judged yet; with a
 * record every condition must hold.
 */
export function evaluateAccess(rule: AccessRule, ctx: AppContext, record?: Record<string, unknown>): boolean {
  if (isPlatformAdmin(ctx)) return true;
  if (!principalAllows(rule, ctx)) return false;
  if (record && rule.record) {
    for (const [field, cond] of Object.entries(rule.record)) {
      if (!compare(cond.op, record[field], operand(cond.value, ctx))) return false;
    }
  }
  if (rule.or && !rule.or.some((r) => evaluateAccess(r, ctx, record))) return false;
  if (rule.and && !rule.and.every((r) => evaluateAccess(r, ctx, record))) return false;
  return true;
}

/** Whether an anonymous caller could pass (PUBLIC somewhere on a passing path). */
export function allowsAnonymous(rule: AccessRule): boolean {
  return evaluateAccess(rule, {
    authenticated: false,
    userId: null,
    userRole: null,
    activeOrgId: null,
    activeTeamId: null,
    roles: [],
    user: null,
  });
}

function conditionSql(column: Column, cond: Condition, ctx: AppContext): AccessFilter {
  const expected = operand(cond.value, ctx);
  if (expected === null || expected === undefined) return false;
  switch (cond.op) {
    case 'equals':
      return eq(column, expected);
    case 'notEquals':
      return or(isNull(column), ne(column, expected))!;
    case 'in':
      return Array.isArray(expected) && present(expected).length > 0 ? inArray(column, present(expected)) : false;
    case 'notIn':
      if (!Array.isArray(expected)) return false;
      return present(expected).length > 0 ? or(isNull(column), notInArray(column, present(expected)))! : true;
    case 'lessThan':
      return lt(column, expected);
    case 'greaterThan':
      return gt(column, expected);
    case 'lessThanOrEqual':
      return lte(column, expected);
    case 'greaterThanOrEqual':
      return gte(column, expected);
  }
}

export type AccessFilter = boolean | SQL;

function all(parts: AccessFilter[]): AccessFilter {
  if (parts.some((p) => p === false)) return false;
  const sqls = parts.filter((p): p is SQL => p !== true);
  return sqls.length === 0 ? true : sqls.length === 1 ? sqls[0] : and(...sqls)!;
}

function any(parts: AccessFilter[]): AccessFilter {
  if (parts.some((p) => p === true)) return true;
  const sqls = parts.filter((p): p is SQL => p !== false);
  return sqls.length === 0 ? false : sqls.length === 1 ? sqls[0] : or(...sqls)!;
}

/** The rule as a row filter: `true` (every row), `false` (none: answer 403) or an SQL condition. */
export function accessWhere(
  rule: AccessRule,
  ctx: AppContext,
  columnOf: (field: string) => Column | undefined,
): AccessFilter {
  if (isPlatformAdmin(ctx)) return true;
  if (!principalAllows(rule, ctx)) return false;
  const parts: AccessFilter[] = [];
  for (const [field, cond] of Object.entries(rule.record ?? {})) {
    const column = columnOf(field);
    parts.push(column ? conditionSql(column, cond, ctx) : false);
  }
  if (rule.or) parts.push(any(rule.or.map((r) => accessWhere(r, ctx, columnOf))));
  if (rule.and) parts.push(all(rule.and.map((r) => accessWhere(r, ctx, columnOf))));
  return all(parts);
}
