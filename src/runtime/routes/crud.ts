/**
 * @module quickback/crud
 * The CRUD routes of a resource, written once: list (+ views), get, create, PATCH update,
 * delete (+ cascade), PUT upsert, and the batch routes. Order per route (reference §6): auth
 * gate → tenant scope → role check (before any read, so foreign and missing ids look the same) →
 * firewall-scoped read → record conditions → body keys (guards) → values → references visible
 * through their resource's firewall (references.ts) → one firewall-scoped statement → masking.
 */
import type { SQL } from 'drizzle-orm';
import { Hono, type Context } from 'hono';
import { batchRoutes } from './batch.js';
import { readJsonObject } from '../core/body.js';
import { writeData } from '../policy/guards.js';
import type { AppContext } from '../core/context.js';
import { apiError } from '../core/errors.js';
import { notFound } from '../policy/firewall.js';
import { listRoute, viewRoute } from './list-route.js';
import type { ResourceDefinition } from '../core/resource.js';
import { byId, deleteRows, hideForeignId, mask, newRow, parseId, updateSet, type Row } from '../data/rows.js';
import { requireReferences } from '../policy/references.js';
import { authorize, requireRecordAccess } from '../policy/tenant.js';
import type { Work } from '../data/transaction.js';
import { writeMarked, writeRows } from '../data/idempotency-marker.js';
import { replayable } from './idempotency-replay.js';
import { openRow, sealChanges, sealNew } from '../crypto/encryption.js';
import { announced, recordChange } from '../events/changes.js';
import { conditional, representation, stampedAfter, unlessLost, type Conditional } from '../data/preconditions.js';
import type { QuickbackEnv, C } from '../core/types.js';

/** `pre`: the request's If-Match / If-None-Match (preconditions.ts), which reads the row itself. */
async function fetchScoped(
  c: C,
  resource: ResourceDefinition,
  ctx: AppContext,
  pre?: Conditional,
): Promise<{ id: string | number; row: Row }> {
  const id = parseId(resource, c.req.param('id'));
  if (id === undefined) throw notFound(resource);
  const [row] = pre
    ? [await pre.read(id)]
    : await c.get('db').select().from(resource.table).where(byId(resource, ctx, id)).limit(1);
  if (!row) throw notFound(resource);
  return { id, row };
}

/** Inserts and returns the row as its readers see it (encrypted columns opened). */
export async function insertOne(c: C, resource: ResourceDefinition, ctx: AppContext, data: Row): Promise<Row> {
  const row = newRow(resource, ctx, data);
  requireRecordAccess(resource.access.create, ctx, row);
  await requireReferences(c.get('db'), resource, ctx, row);
  const sealed = await sealNew(c, resource, row);
  const id = row[resource.id.key] as string | number | undefined;
  const [inserted] = await writeRows(
    c,
    (db) => db.insert(resource.table).values(sealed).returning(),
    () => ({
      state: 'written',
      kind: 'record',
      resource: resource.name,
      status: 201,
      ids: id === undefined ? null : [id],
    }),
  );
  const opened = await openRow(c, resource, inserted as Row);
  recordChange(c, resource, 'INSERT', opened);
  return opened;
}

/**
 * `stored`: the row as read (its encrypted values are re-encrypted under the current key when older);
 * `pre`: the update applies only to the row its preconditions were checked on.
 */
async function updateOne(
  c: C,
  resource: ResourceDefinition,
  ctx: AppContext,
  id: string | number,
  data: Row,
  stored: Row,
  pre?: Conditional,
): Promise<Row> {
  await requireReferences(c.get('db'), resource, ctx, data);
  const apply = async (where: SQL, row: Row): Promise<Row | undefined> => {
    const set = await sealChanges(c, resource, updateSet(resource, ctx, data), row);
    const values = pre ? stampedAfter(resource, set, row) : set;
    return (await writeRows(
      c,
      (db) => db.update(resource.table).set(values).where(where).returning(),
      () => ({ state: 'written', kind: 'record', resource: resource.name, status: 200, ids: [id] }),
    ))[0];
  };
  const updated = pre ? await pre.write(apply) : await apply(byId(resource, ctx, id), stored);
  if (!updated) throw notFound(resource);
  const opened = await openRow(c, resource, updated as Row);
  recordChange(c, resource, 'UPDATE', opened, { [resource.id.key]: id });
  return opened;
}

function methodNotAllowed(allowed: string[]) {
  return (c: C) => {
    c.header('Allow', allowed.join(', '));
    throw apiError('METHOD_NOT_ALLOWED', { details: { allowed } });
  };
}

/** `recordActions`: the resource's `/:id/<action>` routes (see actions.ts). */
export function crudRoutes(resource: ResourceDefinition, recordActions?: Hono<QuickbackEnv>): Hono<QuickbackEnv> {
  const app = new Hono<QuickbackEnv>();
  replayable(resource);
  if (recordActions) app.route('/', recordActions);
  app.get('/', (c) => listRoute(c, resource, c.req.query('view')));
  app.get('/views/:view', (c) => viewRoute(c, resource, c.req.param('view')));
  app.route('/batch', batchRoutes(resource));
  app.post('/', async (c) => {
    const ctx = await authorize(c, resource, resource.access.create);
    const body = await readJsonObject(c);
    return representation(
      c,
      resource,
      ctx,
      await insertOne(c, resource, ctx, writeData(resource, body, 'create')),
      201,
    );
  });
  app.get('/:id', async (c) => {
    const ctx = await authorize(c, resource, resource.access.read);
    const { row } = await fetchScoped(c, resource, ctx);
    requireRecordAccess(resource.access.read, ctx, row);
    return c.json(mask(resource, ctx, await openRow(c, resource, row)));
  });
  app.patch('/:id', async (c) => {
    const ctx = await authorize(c, resource, resource.access.update);
    const pre = conditional(c, resource, ctx, resource.access.update);
    const { id, row } = await fetchScoped(c, resource, ctx, pre);
    requireRecordAccess(resource.access.update, ctx, row);
    await pre?.check(row);
    const data = writeData(resource, await readJsonObject(c), 'update');
    return representation(c, resource, ctx, await updateOne(c, resource, ctx, id, data, row, pre));
  });
  app.delete('/:id', async (c) => {
    const ctx = await authorize(c, resource, resource.access.delete);
    const pre = conditional(c, resource, ctx, resource.access.delete);
    const { id, row } = await fetchScoped(c, resource, ctx, pre);
    requireRecordAccess(resource.access.delete, ctx, row);
    await pre?.check(row);
    // A unit that deleted nothing rolls back (unlessLost), its Idempotency-Key marker with it.
    const remove = (work: Work<Row[]>) =>
      writeMarked(c, work, () => ({ state: 'written', kind: 'deleted', status: 200 }));
    const deleted = pre
      ? await pre.write((where) => unlessLost(deleteRows(resource, ctx, where), remove))
      : await unlessLost(deleteRows(resource, ctx, byId(resource, ctx, id)), remove);
    if (!deleted || deleted.length === 0) throw notFound(resource);
    if (announced(resource, 'DELETE'))
      recordChange(c, resource, 'DELETE', await openRow(c, resource, deleted[deleted.length - 1]));
    return c.json({ success: true });
  });
  if (resource.put) app.put('/:id', (c) => upsert(c, resource));
  app.all('/', methodNotAllowed(['GET', 'POST']));
  app.all('/:id', methodNotAllowed(resource.put ? ['GET', 'PATCH', 'PUT', 'DELETE'] : ['GET', 'PATCH', 'DELETE']));
  return app;
}

/**
 * PUT /:id with client ids: update the row in scope, or create it with this id. An id that
 * exists in another tenant answers like a foreign id on every other route (not a 409).
 */
async function upsert(c: C, resource: ResourceDefinition) {
  const ctx = await authorize(c, resource, { or: [resource.access.create, resource.access.update] });
  const id = parseId(resource, c.req.param('id'));
  if (id === undefined)
    throw apiError('VALIDATION_FAILED', { details: { fields: { [resource.id.key]: 'Invalid id' } } });
  const pre = conditional(c, resource, ctx, resource.access.update);
  const [existing] = pre
    ? [await pre.read(id)]
    : await c.get('db').select().from(resource.table).where(byId(resource, ctx, id)).limit(1);
  const rule = existing ? resource.access.update : resource.access.create;
  await authorize(c, resource, rule);
  if (existing) requireRecordAccess(rule, ctx, existing);
  await pre?.check(existing);
  const body = await readJsonObject(c);
  if (resource.id.key in body && body[resource.id.key] !== id)
    throw apiError('VALIDATION_FAILED', {
      details: { fields: { [resource.id.key]: 'Must match the id in the path' } },
    });
  const { [resource.id.key]: _ignored, ...fields } = body;
  if (existing)
    return representation(
      c,
      resource,
      ctx,
      await updateOne(c, resource, ctx, id, writeData(resource, fields, 'update'), existing, pre),
    );
  const data = writeData(resource, { ...fields, [resource.id.key]: id }, 'create');
  try {
    return representation(c, resource, ctx, await insertOne(c, resource, ctx, data), 201);
  } catch (err) {
    // Created meanwhile in the caller's scope: the preconditions are checked against that record (412).
    const raced = pre ? await pre.read(id) : undefined;
    if (raced) await pre!.check(raced);
    throw hideForeignId(resource, err);
  }
}
