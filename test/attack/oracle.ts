/**
 * The expected answer, computed from the model independently of the runtime: whether an actor
 * passes an access rule (roles any-of with PUBLIC, platform roles, record conditions with
 * `$ctx.*`, or/and), whether the actor has the tenant context the feature's firewall needs, and
 * whether a row is inside the actor's tenant.
 */
import type { AccessModel, FeatureModel } from '../../src/compiler/model/ir.js';
import type { Actor } from './world.js';

type Row = Record<string, unknown>;

function operand(value: unknown, actor: Actor, orgIds: Record<'A' | 'B', string>): unknown {
  if (value === '$ctx.userId') return actor.userId;
  if (value === '$ctx.activeOrgId') return actor.org ? orgIds[actor.org] : null;
  return value;
}

function holds(op: string, actual: unknown, expected: unknown): boolean {
  if (expected === null || expected === undefined) return false;
  if (op === 'equals') return actual === expected;
  if (op === 'notEquals') return actual !== expected;
  if (op === 'in') return (expected as unknown[]).includes(actual);
  if (op === 'notIn') return !(expected as unknown[]).includes(actual);
  if (actual === null || actual === undefined) return false;
  const [a, b] = [Number(actual), Number(expected)];
  return op === 'lessThan' ? a < b : op === 'greaterThan' ? a > b : op === 'lessThanOrEqual' ? a <= b : a >= b;
}

/** Without a row, record conditions are not judged (the role phase). */
export function passes(rule: AccessModel, actor: Actor, orgIds: Record<'A' | 'B', string>, row?: Row): boolean {
  const signedIn = actor.userId !== null;
  const delegated = rule.roles !== undefined || rule.userRole !== undefined || rule.or !== undefined
    || rule.and !== undefined;
  if (!delegated && !signedIn) return false;
  if (rule.roles && !rule.roles.includes('PUBLIC') && !(signedIn && rule.roles.some((r) => actor.roles.includes(r))))
    return false;
  if (rule.userRole && !(signedIn && rule.userRole.includes('user'))) return false;
  if (row && rule.record) {
    for (const [field, cond] of Object.entries(rule.record))
      if (!holds(cond.op, row[field], operand(cond.value, actor, orgIds))) return false;
  }
  if (rule.or && !rule.or.some((r) => passes(r, actor, orgIds, row))) return false;
  if (rule.and && !rule.and.every((r) => passes(r, actor, orgIds, row))) return false;
  return true;
}

/** Whether the actor has what the firewall needs (an active organization, a user). */
export function hasScope(feature: FeatureModel, actor: Actor): boolean {
  if (feature.scope.organization && actor.org === null) return false;
  if (feature.scope.owner && actor.userId === null) return false;
  return !feature.scope.team;
}

/** Whether a row (API keys) lies inside the actor's tenant. */
export function visible(feature: FeatureModel, actor: Actor, row: Row, orgIds: Record<'A' | 'B', string>): boolean {
  if (row[feature.audit.deletedAt] !== null && row[feature.audit.deletedAt] !== undefined) return false;
  if (feature.scope.organization && row[feature.scope.organization] !== (actor.org ? orgIds[actor.org] : undefined))
    return false;
  if (feature.scope.owner && row[feature.scope.owner] !== actor.userId) return false;
  return true;
}

/** A database row (SQL column names) with API keys. */
export function apiRow(feature: FeatureModel, dbRow: Row | undefined): Row | undefined {
  if (!dbRow) return undefined;
  return Object.fromEntries(feature.table.columns.map((c) => [c.key, dbRow[c.sqlName]]));
}

/** A response that did what was asked: 2xx, and for batches no item failed. */
export function granted(res: { status: number; body: unknown }): boolean {
  const errors = (res.body as { errors?: unknown[] } | null)?.errors;
  return res.status >= 200 && res.status < 300 && !(Array.isArray(errors) && errors.length > 0);
}
