/**
 * The Idempotency-Key marker on the `batch` path (D1 and Neon HTTP: no interactive transaction,
 * one atomic batch), in process: better-sqlite3 behind a D1-shaped `batch` (one transaction per
 * batch) and `run`, a keyed route writing through `writeMarked`, and a crash simulated by a route
 * that never answers after its write attempt (its key keeps no response, as after SIGKILL).
 */
import Database from 'better-sqlite3';
import type { sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { integer, real, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { anonymousContext } from '../core/context.js';
import { isApiError } from '../core/errors.js';
import { idempotency } from '../routes/idempotency.js';
import { writeMarked } from './idempotency-marker.js';
import type { Query } from './transaction.js';
import type { QueryDatabase, QuickbackEnv } from '../core/types.js';

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
const items = sqliteTable('items', { id: text('id').primaryKey(), title: text('title').notNull().unique() });

function setup(env: Record<string, string> = {}) {
  const sqlite = new Database(':memory:');
  sqlite.exec(
    'CREATE TABLE idempotency_keys (id text primary key, user_id text not null, fingerprint text not null, status integer, headers text, body text, locked_until real not null, expires_at real not null); CREATE TABLE items (id text primary key, title text not null unique)',
  );
  const plain = drizzle(sqlite);
  // D1's shape: batch() runs its statements in one transaction, run() builds a statement for it.
  const db = Object.assign(Object.create(plain), {
    batch: async (queries: Query[]) => sqlite.transaction(() => queries.map((q) => q.all()))(),
    run: (query: ReturnType<typeof sql>) => ({ all: () => plain.all(query) }),
  }) as QueryDatabase;
  const app = new Hono<QuickbackEnv>();
  app.onError((
    err,
    c,
  ) => (isApiError(err) ? c.json(err.toBody(), err.status as 409) : c.json({ error: String(err) }, 500)));
  app.use('*', async (c, next) => {
    c.set('db', db);
    c.set('transactions', 'batch');
    c.set('ctx', { ...anonymousContext, authenticated: true, userId: 'u1' });
    await next();
  });
  app.use('*', idempotency({ table: keys, env: () => env }));
  let hang = true;
  /** Inserts `title` and a second row (`also`: refused when taken) in one marked unit; while `hang`, never answers after that attempt. */
  app.post('/items/:title', async (c) => {
    const title = c.req.param('title');
    const insert = (value: string) => (tx: QueryDatabase) =>
      tx.insert(items).values({ id: value, title: value }).returning();
    const refuse = c.req.query('refuse') === '1'; // as a write that matched no row: its finish throws
    const work = {
      build: (tx: QueryDatabase) => [insert(title)(tx), insert(c.req.query('also') ?? `${title}-2`)(tx)],
      finish: () => {
        if (refuse) throw new Error('no row');
      },
    };
    await writeMarked(c, work, () => ({ state: 'written', kind: 'deleted', status: 200 })).catch((err: unknown) => {
      if (!hang) throw err;
    });
    if (hang) await new Promise(() => undefined);
    return c.json({ success: true });
  });
  const send = (title: string, query = '') =>
    app.request(`/items/${title}${query}`, { method: 'POST', headers: { 'idempotency-key': `k-${title}` } });
  const key = () =>
    sqlite.prepare('SELECT status, headers FROM idempotency_keys').get() as {
      status: number | null;
      headers: string | null;
    };
  const expire = () => sqlite.prepare('UPDATE idempotency_keys SET locked_until = 0').run();
  const count = () => (sqlite.prepare('SELECT count(*) AS n FROM items').get() as { n: number }).n;
  return {
    sqlite,
    plain,
    send,
    key,
    expire,
    count,
    answer: () => {
      hang = false;
    },
  };
}

describe('Idempotency-Key marker on a D1-like batch', () => {
  it('commits with the write: after a crash the retry replays the rebuilt response, no second write', async () => {
    const s = setup();
    void s.send('a');
    await expect.poll(() => s.count()).toBe(2);
    expect(JSON.parse(s.key().headers!)).toEqual({ state: 'written', kind: 'deleted', status: 200 });
    s.expire();
    const retry = await s.send('a');
    expect({ status: retry.status, replayed: retry.headers.get('idempotent-replayed'), body: await retry.json() })
      .toEqual({ status: 200, replayed: 'true', body: { success: true } });
    expect({ count: s.count(), status: s.key().status }).toEqual({ count: 2, status: 200 });
  });

  it('rolls back with a failing write: the key stays unmarked, and after a crash a retry takes it over and writes once', async () => {
    const s = setup();
    s.plain.insert(items).values({ id: 'x', title: 'taken' }).run();
    void s.send('b', '?also=taken');
    await expect.poll(() => s.key()?.headers).toBe(JSON.stringify({ state: 'running' }));
    await new Promise((r) => setTimeout(r, 50)); // the failed batch has come back
    expect({ headers: s.key().headers, count: s.count() }).toEqual({
      headers: JSON.stringify({ state: 'running' }),
      count: 1,
    });
    s.sqlite.prepare("DELETE FROM items WHERE title = 'taken'").run();
    s.expire();
    s.answer();
    const rerun = await s.send('b', '?also=taken');
    expect({ status: rerun.status, replayed: rerun.headers.get('idempotent-replayed'), count: s.count() }).toEqual({
      status: 200,
      replayed: null,
      count: 2,
    });
    const again = await s.send('b', '?also=taken');
    expect({ status: again.status, replayed: again.headers.get('idempotent-replayed'), count: s.count() }).toEqual({
      status: 200,
      replayed: 'true',
      count: 2,
    });
  });

  it('declares the key again when a committed batch is refused by its rows (no row matched)', async () => {
    const s = setup();
    void s.send('e', '?refuse=1');
    await expect.poll(() => s.count()).toBe(2); // a batch commits before its rows are read
    await expect.poll(() => s.key().headers).toBe(JSON.stringify({ state: 'running' }));
  });

  it('fences a request whose key was taken over: its write and marker roll back (409)', async () => {
    const s = setup({
      QUICKBACK_DEV: '1',
      QUICKBACK_TEST_IDEMPOTENCY_PAUSE_AT: 'write',
      QUICKBACK_TEST_IDEMPOTENCY_PAUSE_MS: '300',
    });
    s.answer();
    const slow = s.send('d');
    await expect.poll(() => s.key()?.headers).toBe(JSON.stringify({ state: 'running' }));
    s.sqlite.prepare('UPDATE idempotency_keys SET locked_until = locked_until + 1').run(); // another retry's takeover
    const res = await slow;
    expect({ status: res.status, code: ((await res.json()) as { code: string }).code, count: s.count() }).toEqual({
      status: 409,
      code: 'IDEMPOTENCY_KEY_IN_PROGRESS',
      count: 0,
    });
  });
});
