/**
 * Direct SQL as an API identity: the role and claims the API sets per transaction (runtime
 * rls.ts), inside a transaction that is always rolled back, plus the oracle the RLS policies
 * must agree with: the API's own firewall and access evaluation (runtime access.ts).
 */
import pg from 'pg';
import { evaluateAccess } from '../../src/runtime/policy/access.js';
import type { AppContext } from '../../src/runtime/core/context.js';
import type { FeatureModel } from '../../src/compiler/model/ir.js';
import type { Actor, World } from '../attack/world.js';

export type Row = Record<string, unknown>;

export function claimsOf(world: World, actor: Actor): { role: string; claims: string } {
  const role = actor.userId ? 'authenticated' : 'anon';
  return {
    role,
    claims: JSON.stringify({
      sub: actor.userId,
      role,
      org_id: actor.org ? world.orgIds[actor.org] : null,
      team_id: null,
    }),
  };
}

/** Runs `fn` as the actor (role + claims, transaction-local) and rolls everything back. Errors come back as values. */
export async function asActor<T>(
  client: pg.Client,
  world: World,
  actor: Actor,
  fn: () => Promise<T>,
): Promise<T | { error: string; code: string }> {
  const { role, claims } = claimsOf(world, actor);
  await client.query('BEGIN');
  try {
    await client.query("select set_config('role', $1, true), set_config('request.jwt.claims', $2, true)", [
      role,
      claims,
    ]);
    return await fn();
  } catch (err) {
    return { error: (err as Error).message, code: (err as { code?: string }).code ?? '' };
  } finally {
    await client.query('ROLLBACK');
  }
}

export function contextOf(world: World, actor: Actor): AppContext {
  return {
    authenticated: actor.userId !== null,
    userId: actor.userId,
    userRole: null,
    activeOrgId: actor.org ? world.orgIds[actor.org] : null,
    activeTeamId: null,
    roles: actor.roles,
    user: actor.userId ? { id: actor.userId, email: '', name: '' } : null,
  };
}

/** A row as stored (SQL names) → API keys, for evaluateAccess. */
export function apiRow(feature: FeatureModel, row: Row): Row {
  return Object.fromEntries(feature.table.columns.map((c) => [c.key, row[c.sqlName]]));
}

/** The firewall's scope (without soft delete, which is an API convention). */
export function inScope(feature: FeatureModel, ctx: AppContext, row: Row): boolean {
  const soft = feature.deleteMode === 'soft' ? feature.audit.deletedAt : undefined;
  return feature.firewall.predicates.every((p) => {
    if ('isNull' in p) return p.column === soft || row[p.column] === null || row[p.column] === undefined;
    const value = p.equals === 'ctx.activeOrgId'
      ? ctx.activeOrgId
      : p.equals === 'ctx.userId'
      ? ctx.userId
      : ctx.activeTeamId;
    return value !== null && row[p.column] === value;
  });
}

export type Command = 'select' | 'insert' | 'update' | 'delete';

/** What the API's rules say this actor may do to this row (the oracle the policies mirror). */
export function expected(feature: FeatureModel, ctx: AppContext, command: Command, row: Row): boolean {
  if (!inScope(feature, ctx, row)) return false;
  const may = (rule: FeatureModel['access']['read']) => evaluateAccess(rule, ctx, row);
  if (command === 'insert') return ctx.authenticated && may(feature.access.create);
  const readable = may(feature.access.read);
  if (command === 'select') return readable;
  // A row one may change is a row one may read; a soft delete is an UPDATE that delete access allows.
  if (command === 'update')
    return ctx.authenticated && readable
      && (may(feature.access.update) || (feature.deleteMode === 'soft' && may(feature.access.delete)));
  return ctx.authenticated && readable && feature.deleteMode === 'hard' && may(feature.access.delete);
}
