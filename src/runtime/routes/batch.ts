/**
 * @module quickback/batch
 * `/batch`: POST creates `records`, PATCH updates `records` (each with its id), DELETE deletes
 * `ids`, PUT upserts `records` (client ids). At most 100 per request. Every item passes the same
 * pipeline as its single-row route (access, guards, values, firewall, masking). Results:
 * `{ success, errors: [{ index, id?, error }], meta }`, 201 (create, all ok) / 200 / 207 (some
 * failed). The items that passed their checks are written in one atomic unit (runPlain); with
 * `options.failFast` the first failure of any item rolls all of them back (400
 * BATCH_FAIL_FAST_STOPPED, nothing written). One exception on D1 and Neon HTTP (`batch` mode):
 * an item whose statement matched no row there (the record changed or went away after its
 * checks) is known only after the batch committed, so the others are written; the answer says so
 * (207: the others in `success`, that item in `errors`), failFast or not, and nothing runs twice.
 */
import { Hono, type Context } from 'hono';
import { readJsonObject } from '../core/body.js';
import type { AppContext } from '../core/context.js';
import { apiError, isApiError, type ApiError } from '../core/errors.js';
import type { ResourceDefinition } from '../core/resource.js';
import { hideForeignId, mask, type Row } from '../data/rows.js';
import { batchItem, type BatchOp, type Prepared } from './batch-items.js';
import { authorize } from '../policy/tenant.js';
import { AtomicFailure, runAtomicParts } from '../data/transaction.js';
import { toDatabaseApiError } from '../core/db-errors.js';
import { openRows } from '../crypto/encryption.js';
import { announced, recordChange } from '../events/changes.js';
import { markFailed, markedParts, remark, unmark, type Marker } from '../data/idempotency-marker.js';
import type { QuickbackEnv, C } from '../core/types.js';

export const MAX_BATCH_SIZE = 100;
type BatchErrors = { index: number; id?: unknown; error: ReturnType<ApiError['toBody']> }[];

function asApiError(err: unknown): ApiError {
  if (isApiError(err)) return err;
  const mapped = toDatabaseApiError(err);
  if (mapped) return mapped;
  throw err;
}

async function readBatch(c: C, key: 'records' | 'ids'): Promise<{ items: unknown[]; failFast: boolean }> {
  const body = await readJsonObject(c);
  const extra = Object.keys(body).filter((k) => k !== key && k !== 'options');
  const options = body.options ?? {};
  const badOptions = typeof options !== 'object' || options === null || Array.isArray(options)
    || Object.keys(options).some((k) => k !== 'failFast')
    || !['boolean', 'undefined'].includes(typeof (options as Row).failFast);
  if (!Array.isArray(body[key]) || extra.length > 0 || badOptions) {
    throw apiError('VALIDATION_FAILED', {
      message: `A batch body is { ${key}: [...], options?: { failFast?: boolean } }`,
      details: {
        fields: Object.fromEntries([
          ...(Array.isArray(body[key]) ? [] : [[key, 'Required array']]),
          ...extra.map((k) => [k, 'Unknown field']),
          ...(badOptions ? [['options', 'Only { failFast: boolean }']] : []),
        ]),
      },
    });
  }
  const items = body[key] as unknown[];
  if (items.length > MAX_BATCH_SIZE)
    throw apiError('BATCH_SIZE_EXCEEDED', {
      details: { max: MAX_BATCH_SIZE, received: items.length },
      hint: `Split the batch into chunks of ${MAX_BATCH_SIZE}.`,
    });
  return { items, failFast: (options as Row).failFast === true };
}

type Runnable = Extract<Prepared, { run: unknown }>;

/** What a replay of this attempt answers, were it the one that commits (idempotency-replay.ts). */
function outcome(
  resource: ResourceDefinition,
  op: BatchOp,
  items: Runnable[],
  errors: BatchErrors,
  total: number,
  failFast: boolean,
): Marker {
  const ids = items.map((item) => item.target);
  const status = errors.length > 0 ? 207 : op === 'create' && items.length > 0 ? 201 : 200;
  const meta = { total, succeeded: items.length, failed: errors.length, failFast, transactional: true };
  return {
    state: 'written',
    kind: 'batch',
    resource: resource.name,
    op,
    status,
    ids: ids.some((id) => id === undefined) ? null : (ids as (string | number)[]),
    errors: [...errors].sort((a, b) => a.index - b.index),
    meta,
  };
}

/** The items of a `batch`-mode unit that committed although some refused their rows (transaction.ts `committed`). */
class PartlyWritten {
  constructor(
    readonly written: Runnable[],
    readonly rows: Row[],
    readonly refused: { item: Runnable; cause: unknown }[],
  ) {}
}

function itemError(resource: ResourceDefinition, op: BatchOp, item: Runnable, cause: unknown): BatchErrors[number] {
  return {
    index: item.index,
    ...(item.id !== undefined ? { id: item.id } : {}),
    error: asApiError(op === 'upsert' ? hideForeignId(resource, cause) : cause).toBody(),
  };
}

/** A committed unit's refused items become errors, the key's marker records that outcome; the written rows. */
async function settle(
  c: C,
  resource: ResourceDefinition,
  op: BatchOp,
  done: PartlyWritten,
  errors: BatchErrors,
  total: number,
  failFast: boolean,
): Promise<Row[]> {
  for (const { item, cause } of done.refused) errors.push(itemError(resource, op, item, cause));
  await remark(c, outcome(resource, op, done.written, errors, total, failFast));
  return done.rows;
}

/**
 * The items in one atomic unit, with the Idempotency-Key marker when a key is held; a failing
 * marker is no item's failure. A unit that committed although items refused their rows throws
 * PartlyWritten.
 */
async function runItems(c: C, items: Runnable[], marker: () => Marker): Promise<Row[]> {
  if (items.length === 0) return [];
  try {
    return (await runAtomicParts(
      c.get('db'),
      c.get('transactions'),
      await markedParts(c, items.map((item) => item.run), marker),
    )).slice(0, items.length);
  } catch (err) {
    if (err instanceof AtomicFailure && err.committed) {
      const outcomes = err.committed.slice(0, items.length);
      const refused = outcomes.flatMap((o, i) => (o.ok ? [] : [{ item: items[i], cause: o.error }]));
      const rows = outcomes.flatMap((o) => (o.ok ? [o.value as Row] : []));
      if (refused.length === 0) return rows; // only the marker refused: the key's row is gone (expired or released)
      throw new PartlyWritten(items.filter((_, i) => outcomes[i].ok), rows, refused);
    }
    await unmark(c);
    if (err instanceof AtomicFailure && err.part >= items.length) return markFailed(c, err.cause);
    throw err;
  }
}

/**
 * A plain batch: every item that passed its checks, written in one atomic unit (one transaction,
 * or one D1 / Neon HTTP batch), so a crash writes all of them or none. An item the database
 * refuses (a unique value, say) is left out with its error and the others are written again
 * without it: the failed attempt rolled back. A D1 / Neon HTTP batch that committed although an
 * item matched no row is not run again: that item is an error, the others are written.
 */
async function runPlain(
  c: C,
  resource: ResourceDefinition,
  op: BatchOp,
  prepared: Prepared[],
  errors: BatchErrors,
  failFast: boolean,
): Promise<Row[]> {
  let items = prepared.filter((item): item is Runnable => 'run' in item);
  while (items.length > 0) {
    try {
      const attempt = items;
      return await runItems(c, attempt, () => outcome(resource, op, attempt, errors, prepared.length, failFast));
    } catch (err) {
      if (err instanceof PartlyWritten) return settle(c, resource, op, err, errors, prepared.length, failFast);
      if (!(err instanceof AtomicFailure)) throw err;
      const item = items[err.part];
      errors.push(itemError(resource, op, item, err.cause));
      items = items.filter((other) => other !== item);
    }
  }
  return [];
}

/** A failFast batch whose unit rolled back: nothing was written. */
function stopped(resource: ResourceDefinition, op: BatchOp, items: Runnable[], err: unknown): ApiError {
  const index = err instanceof AtomicFailure ? items[err.part].index : items[0]?.index ?? 0;
  const cause = err instanceof AtomicFailure ? err.cause : err;
  return apiError('BATCH_FAIL_FAST_STOPPED', {
    details: { index, error: asApiError(op === 'upsert' ? hideForeignId(resource, cause) : cause).toBody() },
    hint: 'Nothing was written. Fix the record at details.index and resend the batch.',
  });
}

async function execute(
  c: C,
  resource: ResourceDefinition,
  ctx: AppContext,
  op: BatchOp,
  prepared: Prepared[],
  failFast: boolean,
) {
  const success: Row[] = [];
  const errors: BatchErrors = [];
  const firstError = prepared.find((p) => 'error' in p);
  if (failFast && firstError && 'error' in firstError) {
    throw apiError('BATCH_FAIL_FAST_STOPPED', {
      details: { index: firstError.index, error: firstError.error.toBody() },
    });
  }
  if (failFast) {
    const items = prepared.filter((item): item is Runnable => 'run' in item);
    try {
      success.push(
        ...(await runItems(c, items, () => outcome(resource, op, items, errors, prepared.length, failFast))),
      );
    } catch (err) {
      if (isApiError(err) && err.code === 'IDEMPOTENCY_KEY_IN_PROGRESS') throw err; // the key was taken over: nothing written
      if (!(err instanceof PartlyWritten)) throw stopped(resource, op, items, err);
      success.push(...(await settle(c, resource, op, err, errors, prepared.length, failFast)));
    }
  } else {
    for (const item of prepared)
      if ('error' in item)
        errors.push({
          index: item.index,
          ...(item.id !== undefined ? { id: item.id } : {}),
          error: item.error.toBody(),
        });
    success.push(...(await runPlain(c, resource, op, prepared, errors, failFast)));
    errors.sort((a, b) => a.index - b.index);
  }
  const meta = {
    total: prepared.length,
    succeeded: success.length,
    failed: errors.length,
    failFast,
    transactional: true,
  };
  const status = errors.length > 0 ? 207 : op === 'create' && success.length > 0 ? 201 : 200;
  const opened = op !== 'delete' || announced(resource, 'DELETE') ? await openRows(c, resource, success) : [];
  for (const row of opened)
    recordChange(
      c,
      resource,
      op === 'create' ? 'INSERT' : op === 'delete' ? 'DELETE' : 'UPDATE',
      row,
      op === 'delete' || op === 'create' ? null : { [resource.id.key]: row[resource.id.key] },
    );
  const body = {
    success: op === 'delete'
      ? success.map((row) => ({ [resource.id.key]: row[resource.id.key] }))
      : opened.map((row) => mask(resource, ctx, row)),
    errors,
    meta,
  };
  return c.json(body, status);
}

export function batchRoutes(resource: ResourceDefinition): Hono<QuickbackEnv> {
  const app = new Hono<QuickbackEnv>();
  const route = (op: BatchOp, key: 'records' | 'ids') => async (c: C) => {
    const rule = op === 'create'
      ? resource.access.create
      : op === 'update'
      ? resource.access.update
      : op === 'delete'
      ? resource.access.delete
      : { or: [resource.access.create, resource.access.update] };
    const ctx = await authorize(c, resource, rule);
    const { items, failFast } = await readBatch(c, key);
    const prepared = await batchItem(c, resource, ctx, op, items);
    return execute(c, resource, ctx, op, prepared, failFast);
  };
  if (resource.batch.create) app.post('/', route('create', 'records'));
  if (resource.batch.update) app.patch('/', route('update', 'records'));
  if (resource.batch.delete) app.delete('/', route('delete', 'ids'));
  if (resource.batch.upsert && resource.put) app.put('/', route('upsert', 'records'));
  const allowed = [
    ['POST', resource.batch.create],
    ['PATCH', resource.batch.update],
    ['DELETE', resource.batch.delete],
    ['PUT', resource.batch.upsert && resource.put],
  ].filter(([, on]) => on).map(([m]) => m as string);
  app.all('/', (c) => {
    c.header('Allow', allowed.join(', '));
    throw apiError(
      allowed.length ? 'METHOD_NOT_ALLOWED' : 'ROUTE_NOT_FOUND',
      allowed.length ? { details: { allowed } } : undefined,
    );
  });
  return app;
}
