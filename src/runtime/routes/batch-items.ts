/**
 * @module quickback/batch-items
 * Prepares each item of a batch before anything is written: shape, id, the firewall-scoped read
 * of existing rows (one query), record conditions, guards, values and the references of all items
 * (one query per referenced table, references.ts). An item either fails here
 * (its error goes into `errors`) or becomes one atomic unit of work (transaction.ts).
 */
import type { Context } from 'hono';
import { evaluateAccess } from '../policy/access.js';
import { writeData } from '../policy/guards.js';
import type { AppContext } from '../core/context.js';
import { apiError, isApiError, type ApiError } from '../core/errors.js';
import { notFound } from '../policy/firewall.js';
import type { ResourceDefinition } from '../core/resource.js';
import { byId, byIds, deleteRows, newRow, parseId, updateSet, type Row } from '../data/rows.js';
import { roleRequired } from '../policy/tenant.js';
import { statement, type Work } from '../data/transaction.js';
import { sealChanges, sealNew } from '../crypto/encryption.js';
import { referenceCheck } from '../policy/references.js';
import type { QuickbackEnv, C } from '../core/types.js';

export type BatchOp = 'create' | 'update' | 'delete' | 'upsert';
/** `target`: the id the item writes, known before it is written (undefined: assigned by the database). */
export type Prepared = { index: number; id?: unknown; target?: string | number; run: Work<Row> } | {
  index: number;
  id?: unknown;
  error: ApiError;
};

async function attempt(
  index: number,
  id: unknown,
  target: string | number | undefined,
  build: () => Work<Row> | Promise<Work<Row>>,
): Promise<Prepared> {
  try {
    return { index, ...(id !== undefined ? { id } : {}), target, run: await build() };
  } catch (err) {
    if (!isApiError(err)) throw err;
    return { index, ...(id !== undefined ? { id } : {}), error: err };
  }
}

/** An item that passed its own checks: the values it writes (references still to check) and how it becomes work. */
type Draft = {
  index: number;
  id?: unknown;
  target?: string | number;
  data?: Row;
  make: () => Work<Row> | Promise<Work<Row>>;
};

const isObject = (v: unknown): v is Row => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A new row, stamped and checked against the create rule; its references are checked with the batch's. */
function insertDraft(c: C, resource: ResourceDefinition, ctx: AppContext, data: Row): Omit<Draft, 'index' | 'id'> {
  const row = newRow(resource, ctx, data);
  if (!evaluateAccess(resource.access.create, ctx, row)) throw apiError('ACCESS_CONDITION_FAILED');
  return {
    data: row,
    target: row[resource.id.key] as string | number | undefined,
    make: async () => {
      const sealed = await sealNew(c, resource, row);
      return statement((tx) => tx.insert(resource.table).values(sealed).returning(), (rows) => rows[0]);
    },
  };
}

async function updateWork(
  c: C,
  resource: ResourceDefinition,
  ctx: AppContext,
  id: string | number,
  data: Row,
  stored: Row,
): Promise<Work<Row>> {
  const set = await sealChanges(c, resource, updateSet(resource, ctx, data), stored);
  return statement((tx) => tx.update(resource.table).set(set).where(byId(resource, ctx, id)).returning(), ([row]) => {
    if (!row) throw notFound(resource);
    return row;
  });
}

/** Ids per read of existing rows: with the firewall's own parameters, one SELECT stays under D1's 100 bound parameters. */
export const READ_CHUNK = 50;

async function existingRows(
  c: C,
  resource: ResourceDefinition,
  ctx: AppContext,
  ids: (string | number)[],
): Promise<Map<unknown, Row>> {
  const unique = [...new Set(ids)];
  const rows: Row[] = [];
  for (let start = 0; start < unique.length; start += READ_CHUNK) {
    rows.push(
      ...await c.get('db').select().from(resource.table).where(
        byIds(resource, ctx, unique.slice(start, start + READ_CHUNK)),
      ),
    );
  }
  return new Map(rows.map((row) => [row[resource.id.key], row]));
}

function draft(index: number, id: unknown, plan: () => Omit<Draft, 'index' | 'id'>): Draft | Prepared {
  try {
    return { index, ...(id !== undefined ? { id } : {}), ...plan() };
  } catch (err) {
    if (!isApiError(err)) throw err;
    return { index, ...(id !== undefined ? { id } : {}), error: err };
  }
}

/** Every item's references checked together (one query per referenced table), then built. */
async function prepare(
  c: C,
  resource: ResourceDefinition,
  ctx: AppContext,
  drafts: (Draft | Prepared)[],
): Promise<Prepared[]> {
  const ready = drafts.filter((d): d is Draft => 'make' in d);
  const check = await referenceCheck(c.get('db'), resource, ctx, ready.flatMap((d) => (d.data ? [d.data] : [])));
  return Promise.all(drafts.map((d) => ('make' in d
    ? attempt(d.index, d.id, d.target, () => {
      if (d.data) check(d.data);
      return d.make();
    })
    : d)
  ));
}

export async function batchItem(
  c: C,
  resource: ResourceDefinition,
  ctx: AppContext,
  op: BatchOp,
  items: unknown[],
): Promise<Prepared[]> {
  const idKey = resource.id.key;
  if (op === 'create') {
    return prepare(
      c,
      resource,
      ctx,
      items.map((item, index) => draft(index, undefined, () => {
        if (!isObject(item)) throw apiError('VALIDATION_FAILED', { message: 'Each record must be a JSON object' });
        return insertDraft(c, resource, ctx, writeData(resource, item, 'create'));
      })),
    );
  }
  const rawIds = op === 'delete' ? items : items.map((item) => (isObject(item) ? item[idKey] : undefined));
  if (op !== 'delete' && rawIds.some((id) => id === undefined || id === null)) {
    throw apiError('BATCH_MISSING_IDS', {
      details: { indexes: rawIds.flatMap((id, i) => (id === undefined || id === null ? [i] : [])) },
      hint: `Every record needs its "${idKey}".`,
    });
  }
  const ids = rawIds.map((raw) => parseId(resource, raw));
  const existing = await existingRows(c, resource, ctx, ids.filter((id): id is string | number => id !== undefined));
  return prepare(
    c,
    resource,
    ctx,
    items.map((item, index) => draft(index, rawIds[index], () => {
      const id = ids[index];
      const row = id === undefined ? undefined : existing.get(id);
      if (op === 'delete') {
        if (!row || id === undefined) throw notFound(resource);
        if (!evaluateAccess(resource.access.delete, ctx, row)) throw apiError('ACCESS_CONDITION_FAILED');
        const cascade = deleteRows(resource, ctx, byId(resource, ctx, id));
        return {
          target: id,
          make: () => ({
            build: cascade.build,
            finish: (results) => {
              const [deleted] = cascade.finish(results);
              if (!deleted) throw notFound(resource);
              return deleted;
            },
          }),
        };
      }
      const { [idKey]: _id, ...fields } = item as Row;
      if (op === 'upsert' && !row && id !== undefined) {
        if (!evaluateAccess(resource.access.create, ctx)) throw roleRequired(resource.access.create);
        return insertDraft(c, resource, ctx, writeData(resource, { ...fields, [idKey]: id }, 'create'));
      }
      if (!row || id === undefined) throw notFound(resource);
      if (op === 'upsert' && !evaluateAccess(resource.access.update, ctx)) throw roleRequired(resource.access.update);
      if (!evaluateAccess(resource.access.update, ctx, row)) throw apiError('ACCESS_CONDITION_FAILED');
      const data = writeData(resource, fields, 'update');
      return { data, target: id, make: () => updateWork(c, resource, ctx, id, data, row) };
    })),
  );
}
