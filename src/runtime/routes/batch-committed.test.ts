/**
 * `/batch` on the `batch` transaction mode (D1, Neon HTTP), in process: better-sqlite3 behind a
 * D1-shaped `batch` (one transaction per batch) and `run`. The batch commits before its rows are
 * read, so an item whose UPDATE matched no row (its record went away after the checks) is only
 * known after the commit: the other items are written once, not again, and the answer says so.
 * Triggers log every UPDATE of a record (a second run of the batch shows in the count) and every
 * state of an Idempotency-Key's row (the marker a crash after the commit would leave).
 */
import Database from 'better-sqlite3';
import type { sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { integer, real, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { Hono } from 'hono';
import { afterAll, describe, expect, it } from 'vitest';
import * as z from 'zod';
import { batchRoutes } from './batch.js';
import { anonymousContext } from '../core/context.js';
import { isApiError } from '../core/errors.js';
import { idempotency } from './idempotency.js';
import type { ResourceDefinition } from '../core/resource.js';
import type { Query } from '../data/transaction.js';
import type { QueryDatabase, QuickbackEnv } from '../core/types.js';

const docs = sqliteTable('docs', {
  id: text('id').primaryKey(),
  title: text('title'),
  orgId: text('org_id').notNull(),
  createdAt: text('created_at'),
  modifiedAt: text('modified_at'),
  deletedAt: text('deleted_at'),
  createdBy: text('created_by'),
  modifiedBy: text('modified_by'),
  deletedBy: text('deleted_by'),
});
const keys = sqliteTable('idempotency_keys', {
  id: text('id').primaryKey(),
  userId: text('user_id').notNull(),
  fingerprint: text('fingerprint').notNull(),
  status: integer('status'),
  headers: text('headers'),
  body: text('body'),
  lockedUntil: real('locked_until').notNull(),
  expiresAt: real('expires_at').notNull(),
});
const sqlite = new Database(':memory:');
sqlite.exec(
  `CREATE TABLE docs (id TEXT PRIMARY KEY, title TEXT, org_id TEXT NOT NULL, created_at TEXT, modified_at TEXT, deleted_at TEXT, created_by TEXT, modified_by TEXT, deleted_by TEXT);
  CREATE TABLE writes (id TEXT NOT NULL);
  CREATE TRIGGER logged AFTER UPDATE ON docs BEGIN INSERT INTO writes (id) VALUES (new.id); END;
  CREATE TABLE idempotency_keys (id text primary key, user_id text not null, fingerprint text not null, status integer, headers text, body text, locked_until real not null, expires_at real not null);
  CREATE TABLE key_states (status integer, headers text);
  CREATE TRIGGER key_logged AFTER UPDATE ON idempotency_keys BEGIN INSERT INTO key_states VALUES (new.status, new.headers); END;`,
);
const plain = drizzle(sqlite);
afterAll(() => sqlite.close());

/** Runs once, just before the next batch: another writer deleting a record after this request checked it. */
let beforeBatch: (() => void) | undefined;
// D1's shape: batch() runs its statements in one transaction, run() builds a statement for it.
const db = Object.assign(Object.create(plain), {
  batch: async (queries: Query[]) => {
    beforeBatch?.();
    beforeBatch = undefined;
    return sqlite.transaction(() => queries.map((q) => q.all()))();
  },
  run: (query: ReturnType<typeof sql>) => ({ all: () => plain.all(query) }),
}) as QueryDatabase;

const system = ['id', 'orgId', 'createdAt', 'modifiedAt', 'deletedAt', 'createdBy', 'modifiedBy', 'deletedBy'];
const resource = {
  name: 'docs',
  table: docs,
  id: { key: 'id', type: 'text', clientIds: false, generate: () => 'unused' },
  fields: [...system.map((key) => ({ key, kind: 'text', system: true, filterable: false, searchable: false })), {
    key: 'title',
    kind: 'text',
    system: false,
    filterable: false,
    searchable: false,
  }],
  firewall: {
    predicates: [{ column: 'orgId', equals: 'ctx.activeOrgId' }, { column: 'deletedAt', isNull: true }],
    errorMode: 'reveal',
  },
  scope: { organization: 'orgId' },
  access: { read: {}, create: {}, update: {}, delete: {} },
  deleteMode: 'soft',
  audit: {
    createdAt: 'createdAt',
    modifiedAt: 'modifiedAt',
    deletedAt: 'deletedAt',
    createdBy: 'createdBy',
    modifiedBy: 'modifiedBy',
    deletedBy: 'deletedBy',
  },
  createBody: z.object({ title: z.string() }).strict(),
  updateBody: z.object({ title: z.string() }).partial().strict(),
  guards: { lists: false, createable: [], updatable: [], immutable: [], protected: {} },
  masking: {},
  views: {},
  batch: { create: true, update: true, delete: true, upsert: false },
  put: false,
} as unknown as ResourceDefinition;

const app = new Hono<QuickbackEnv>();
app.onError((
  err,
  c,
) => (isApiError(err) ? c.json(err.toBody(), err.status as 400) : c.json({ crash: String(err) }, 500)));
app.use('*', async (c, next) => {
  c.set('db', db);
  c.set('transactions', 'batch');
  c.set('ctx', {
    ...anonymousContext,
    authenticated: true,
    userId: 'u1',
    userRole: 'user',
    activeOrgId: 'o1',
    roles: ['member'],
  });
  await next();
});
app.use('*', idempotency({ table: keys, env: () => ({}) }));
app.route('/docs/batch', batchRoutes(resource));

/** Three records; the middle one is deleted between the batch's checks and its write. */
async function patchWithMiddleGone(prefix: string, failFast: boolean, headers: Record<string, string> = {}) {
  const ids = [1, 2, 3].map((n) => `${prefix}${n}`);
  for (const id of ids) sqlite.prepare("INSERT INTO docs (id, title, org_id) VALUES (?, 'old', 'o1')").run(id);
  beforeBatch = () => sqlite.prepare('DELETE FROM docs WHERE id = ?').run(ids[1]);
  const res = await app.request('/docs/batch', {
    method: 'PATCH',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({
      records: ids.map((id) => ({ id, title: 'new' })),
      ...(failFast ? { options: { failFast } } : {}),
    }),
  });
  const writes = sqlite.prepare(
    `SELECT id, count(*) AS n FROM writes WHERE id LIKE '${prefix}%' GROUP BY id ORDER BY id`,
  ).all() as { id: string; n: number }[];
  const titles = sqlite.prepare(`SELECT id, title FROM docs WHERE id LIKE '${prefix}%' ORDER BY id`).all();
  return {
    ids,
    res,
    status: res.status,
    body: (await res.json()) as {
      success: { id: string; title: string }[];
      errors: { index: number; id: string; error: { code: string } }[];
      meta: unknown;
    },
    writes,
    titles,
  };
}

describe('/batch on a D1-like batch whose item matched no row after the commit', () => {
  it('a plain batch writes every other item exactly once and reports each once', async () => {
    const { ids, status, body, writes, titles } = await patchWithMiddleGone('p', false);
    expect(writes).toEqual([{ id: ids[0], n: 1 }, { id: ids[2], n: 1 }]);
    expect(titles).toEqual([{ id: ids[0], title: 'new' }, { id: ids[2], title: 'new' }]);
    expect(status).toBe(207);
    expect(body.success.map((row) => [row.id, row.title])).toEqual([[ids[0], 'new'], [ids[2], 'new']]);
    expect(body.errors.map((e) => [e.index, e.id, e.error.code])).toEqual([[1, ids[1], 'FIREWALL_NOT_FOUND']]);
    expect(body.meta).toMatchObject({ total: 3, succeeded: 2, failed: 1 });
  });

  it('a failFast batch says what was written instead of "nothing was written"', async () => {
    const { ids, status, body, writes } = await patchWithMiddleGone('f', true);
    expect(writes).toEqual([{ id: ids[0], n: 1 }, { id: ids[2], n: 1 }]);
    expect(status).toBe(207);
    expect(body.success.map((row) => row.id)).toEqual([ids[0], ids[2]]);
    expect(body.errors.map((e) => [e.index, e.id, e.error.code])).toEqual([[1, ids[1], 'FIREWALL_NOT_FOUND']]);
    expect(body.meta).toMatchObject({ total: 3, succeeded: 2, failed: 1, failFast: true });
  });

  it('with an Idempotency-Key, its marker records that outcome, and a retry replays it', async () => {
    const key = { 'idempotency-key': 'k-batch' };
    const { ids, body } = await patchWithMiddleGone('k', false, key);
    const states = sqlite.prepare('SELECT status, headers FROM key_states').all() as {
      status: number | null;
      headers: string;
    }[];
    const marker = JSON.parse(states.findLast((state) => state.status === null)!.headers);
    expect(marker).toMatchObject({
      state: 'written',
      kind: 'batch',
      op: 'update',
      status: 207,
      ids: [ids[0], ids[2]],
      meta: { total: 3, succeeded: 2, failed: 1 },
    });
    expect(marker.errors).toEqual(body.errors);
    const retry = await app.request('/docs/batch', {
      method: 'PATCH',
      headers: { 'content-type': 'application/json', ...key },
      body: JSON.stringify({ records: ids.map((id) => ({ id, title: 'new' })) }),
    });
    expect({ status: retry.status, replayed: retry.headers.get('idempotent-replayed'), body: await retry.json() })
      .toEqual({ status: 207, replayed: 'true', body });
    expect(sqlite.prepare("SELECT count(*) AS n FROM writes WHERE id LIKE 'k%'").get()).toEqual({ n: 2 });
  });
});
