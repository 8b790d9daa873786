/**
 * @module quickback/actions
 * Record actions (`POST /:id/<name>`) and standalone actions (`<METHOD> /api/v1<path>`), one
 * pipeline for both and the same access engine as CRUD: auth gate → tenant scope → role phase →
 * input (query string for GET) → firewall-scoped read of the record → record conditions →
 * transition (claimed with a conditional UPDATE before the handler runs, so of two concurrent
 * callers exactly one wins; with If-Match, also only while the record is the one checked:
 * preconditions.ts) → unsafe audit (fail closed) → the user's handler with a scoped db.
 */
import { and, eq, type SQL } from 'drizzle-orm';
import { Hono, type Context } from 'hono';
import type { ZodType } from 'zod';
import type { AccessRule } from '../policy/access.js';
import { parseWith, readJsonObject } from '../core/body.js';
import type { AppContext } from '../core/context.js';
import { apiError, isApiError } from '../core/errors.js';
import { columnOf, notFound } from '../policy/firewall.js';
import type { ResourceDefinition } from '../core/resource.js';
import { byId, mask, parseId, updateSet, type Row } from '../data/rows.js';
import { fieldCrypto } from '../crypto/ctx-crypto.js';
import { openRow } from '../crypto/encryption.js';
import { scopedDb } from '../data/scoped-db.js';
import { openResult } from '../data/sealed-db.js';
import { authorize, requireRecordAccess } from '../policy/tenant.js';
import type { QueryDatabase, QuickbackEnv } from '../core/types.js';
import { conditional, stampedAfter, type Conditional } from '../data/preconditions.js';
import { auditUnsafe, requireUnsafeCaller, type UnsafeOptions } from './unsafe.js';

export interface ActionArgs<I> {
  /** Scoped to the caller's tenant on every resource table. */
  db: QueryDatabase;
  /** Unscoped: unsafe actions only. */
  unsafeDb?: QueryDatabase;
  ctx: AppContext;
  /** Record actions: the row, after the transition was claimed. */
  record?: Row;
  input: I;
  c: Context<QuickbackEnv>;
  /** Record actions: firewall AND id of this record (for the handler's own statements). */
  whereRecord?: SQL;
}

export type ActionHandler<I = unknown> = (args: ActionArgs<I>) => unknown;

export interface ActionDefinition {
  name: string;
  kind: 'record' | 'standalone';
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Relative to the mount point: `/:id/escalate` or `/tickets/open-count`. */
  path: string;
  access: AccessRule;
  input: ZodType<Record<string, unknown>>;
  transition?: { field: string; fromTo: Record<string, readonly string[]>; to?: string; via?: string };
  unsafe?: UnsafeOptions;
  execute: ActionHandler<never>;
}

const BRAND = Symbol.for('quickback:action-error');

/** Thrown by handlers: answered as `{ error, layer: "access", code, details }` with a 4xx status. */
export class ActionError extends Error {
  constructor(
    message: string,
    readonly code: string,
    readonly status = 400,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    Object.defineProperty(this, BRAND, { value: true });
  }
}

/** Thrown by handlers that find the record no longer in the state they expected. */
export class TransitionLostError extends Error {
  constructor(readonly field: string, readonly from: unknown, readonly to: unknown) {
    super(`${field} is no longer ${String(from)}`);
  }
}

async function readInput(c: Context<QuickbackEnv>, action: ActionDefinition): Promise<Record<string, unknown>> {
  const raw = action.method === 'GET' ? c.req.query() : await readJsonObject(c);
  return parseWith(action.input, raw);
}

async function claimTransition(
  c: Context<QuickbackEnv>,
  resource: ResourceDefinition,
  ctx: AppContext,
  action: ActionDefinition,
  id: string | number,
  row: Row,
  input: Row,
  pre?: Conditional,
): Promise<Row> {
  const t = action.transition!;
  const from = row[t.field];
  const to = t.via ? input[t.via] : t.to;
  const allowed = typeof from === 'string' && Object.prototype.hasOwnProperty.call(t.fromTo, from)
    ? t.fromTo[from]
    : undefined;
  if (!allowed || !allowed.includes(to as string)) {
    throw apiError('ACCESS_ACTION_NOT_ALLOWED_FOR_STATE', {
      details: { field: t.field, current: from, target: to, allowed: allowed ?? [] },
    });
  }
  const claim = async (where: SQL, stored: Row): Promise<Row | undefined> => {
    const set = updateSet(resource, ctx, { [t.field]: to });
    return (await c.get('db').update(resource.table).set(pre ? stampedAfter(resource, set, stored) : set).where(
      and(where, eq(columnOf(resource, t.field)!, from as string)),
    ).returning())[0];
  };
  const claimed = pre ? await pre.write(claim) : await claim(byId(resource, ctx, id), row);
  if (!claimed) throw apiError('ACCESS_TRANSITION_LOST', { details: { field: t.field, expected: from } });
  return claimed as Row;
}

/** Rows of the resource in a handler's result: opened (when still encrypted), then masked. */
async function maskResult(
  c: Context<QuickbackEnv>,
  resource: ResourceDefinition | null,
  ctx: AppContext,
  value: unknown,
): Promise<unknown> {
  if (!resource) return value;
  const isRow = (v: unknown): v is Row =>
    typeof v === 'object' && v !== null && !Array.isArray(v) && resource.id.key in v;
  const one = async (v: unknown) => (isRow(v) ? mask(resource, ctx, await openResult(c, resource, v) as Row) : v);
  return Array.isArray(value) ? Promise.all(value.map(one)) : one(value);
}

async function run(
  c: Context<QuickbackEnv>,
  resource: ResourceDefinition | null,
  resources: readonly ResourceDefinition[],
  action: ActionDefinition,
): Promise<Response> {
  // A cross-tenant unsafe action has no tenant scope to require.
  const ctx = await authorize(c, action.unsafe?.crossTenant ? null : resource, action.access);
  if (action.unsafe) requireUnsafeCaller(ctx, action.unsafe);
  const input = await readInput(c, action);
  let record: Row | undefined;
  let whereRecord: SQL | undefined;
  let revert: (() => Promise<unknown>) | undefined;
  let pre: Conditional | undefined;
  if (action.kind === 'record' && resource) {
    const id = parseId(resource, c.req.param('id'));
    if (id === undefined) throw notFound(resource);
    whereRecord = byId(resource, ctx, id);
    pre = action.method === 'GET' ? undefined : conditional(c, resource, ctx, action.access);
    [record] = pre ? [await pre.read(id)] : await c.get('db').select().from(resource.table).where(whereRecord).limit(1);
    if (!record) throw notFound(resource);
    requireRecordAccess(action.access, ctx, record);
    await pre?.check(record);
    record = await openRow(c, resource, record);
  }
  const unsafeDb = action.unsafe ? await auditUnsafe(c, ctx, action, resource, record) : undefined;
  if (action.transition && resource && record && whereRecord) {
    const before = record;
    record = await openRow(
      c,
      resource,
      await claimTransition(c, resource, ctx, action, before[resource.id.key] as string | number, before, input, pre),
    );
    const { field } = action.transition;
    const where = and(whereRecord, eq(columnOf(resource, field)!, record[field] as string));
    revert = () =>
      c.get('db').update(resource.table).set(updateSet(resource, ctx, { [field]: before[field] })).where(where);
  } else if (pre && resource && record && whereRecord) {
    // If-Match without a transition: the record is claimed by stamping modifiedAt (so of racing callers one runs), undone if the handler fails.
    const before = record;
    const { modifiedAt, modifiedBy } = resource.audit;
    record = await openRow(
      c,
      resource,
      await pre.write(async (where, stored) =>
        (await c.get('db').update(resource.table).set(stampedAfter(resource, updateSet(resource, ctx, {}), stored))
          .where(where).returning())[0] as Row | undefined
      ),
    );
    const where = and(whereRecord, eq(columnOf(resource, modifiedAt)!, record[modifiedAt]));
    revert = () =>
      c.get('db').update(resource.table).set({ [modifiedAt]: before[modifiedAt], [modifiedBy]: before[modifiedBy] })
        .where(where);
  }
  try {
    const handlerCtx = c.get('keys') ? { ...ctx, crypto: fieldCrypto(c, ctx) } : ctx;
    const result = await (action.execute as ActionHandler<Row>)({
      db: scopedDb(c.get('db'), ctx, resources, c),
      unsafeDb: unsafeDb && c.get('keys') ? scopedDb(unsafeDb, null, resources, c) : unsafeDb,
      ctx: handlerCtx,
      record,
      input,
      c,
      whereRecord,
    });
    if (result instanceof Response) return result;
    return c.json(((await maskResult(c, resource, ctx, result ?? null)) ?? null) as object);
  } catch (err) {
    await revert?.().catch(() => {});
    if (err instanceof TransitionLostError)
      throw apiError('ACCESS_TRANSITION_LOST', { details: { field: err.field, expected: err.from } });
    if (
      typeof err === 'object' && err !== null && (err as Record<symbol, unknown>)[BRAND] === true && !isApiError(err)
    ) {
      const e = err as ActionError;
      if (e.status < 400 || e.status > 499) throw err;
      return c.json(
        { error: e.message, layer: 'access', code: e.code, ...(e.details ? { details: e.details } : {}) },
        e.status as 400,
      );
    }
    throw err;
  }
}

/** The routes of a resource's record actions (added to its CRUD app) or of standalone actions. */
export function actionRoutes(
  resource: ResourceDefinition | null,
  resources: readonly ResourceDefinition[],
  actions: readonly ActionDefinition[],
): Hono<QuickbackEnv> {
  const app = new Hono<QuickbackEnv>();
  for (const action of actions) app.on(action.method, action.path, (c) => run(c, resource, resources, action));
  return app;
}
