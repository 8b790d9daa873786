/**
 * Atomic writes over Neon's HTTP driver (no interactive transactions): a unit of parts runs as
 * one batch, and when it fails the probe batches (PostgreSQL's raised exception as the always-
 * failing statement) name the part that failed, with nothing written. An Idempotency-Key marker
 * (idempotency-marker.ts) commits in the same batch, and fails it once the key was taken over.
 */
import { neon, neonConfig } from '@neondatabase/serverless';
import { sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/neon-http';
import { doublePrecision, integer, pgTable, text } from 'drizzle-orm/pg-core';
import type { Context } from 'hono';
import { writeMarked, type KeyHold } from '../../src/runtime/data/idempotency-marker.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AtomicFailure, runAtomicParts, statement } from '../../src/runtime/data/transaction.js';
import type { QueryDatabase, QuickbackEnv } from '../../src/runtime/core/types.js';
import { startNeonHttpEndpoint } from '../helpers/neon-http.js';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres.js';

let database: TestDatabase;
let endpoint: Awaited<ReturnType<typeof startNeonHttpEndpoint>>;
let db: ReturnType<typeof drizzle>;

beforeAll(async () => {
  database = await createTestDatabase('neon_http_batch');
  endpoint = await startNeonHttpEndpoint();
  neonConfig.fetchEndpoint = endpoint.url;
  db = drizzle(neon(database.url));
  await db.execute(sql`CREATE TABLE t (id int PRIMARY KEY)`);
  await db.execute(
    sql`CREATE TABLE idempotency_keys (id text PRIMARY KEY, user_id text NOT NULL, fingerprint text NOT NULL, status integer, headers text, body text, locked_until double precision NOT NULL, expires_at double precision NOT NULL)`,
  );
});
afterAll(async () => {
  await endpoint?.close();
  await database?.drop();
});

const insert = (id: number) =>
  statement((tx) => (tx as unknown as typeof db).execute(sql`INSERT INTO t VALUES (${id})`), () => id);
const count = async () => Number((await db.execute(sql`SELECT count(*) AS n FROM t`)).rows[0].n);

describe("batch mode over Neon's HTTP driver", () => {
  it('writes every part or none, and names the failing part', async () => {
    const failure = await runAtomicParts(db as unknown as QueryDatabase, 'batch', [
      insert(1),
      insert(2),
      insert(2),
      insert(3),
    ]).catch((err: unknown) => err);
    expect(failure).toBeInstanceOf(AtomicFailure);
    expect((failure as AtomicFailure).part).toBe(2);
    expect(String(((failure as AtomicFailure).cause as Error).message)).toContain('t_pkey');
    expect(await count()).toBe(0);
    expect(await runAtomicParts(db as unknown as QueryDatabase, 'batch', [insert(1), insert(2)])).toEqual([1, 2]);
    expect(await count()).toBe(2);
  });
});

const keys = pgTable('idempotency_keys', {
  id: text('id').primaryKey(),
  userId: text('user_id').notNull(),
  fingerprint: text('fingerprint').notNull(),
  status: integer('status'),
  headers: text('headers'),
  body: text('body'),
  lockedUntil: doublePrecision('locked_until').notNull(),
  expiresAt: doublePrecision('expires_at').notNull(),
});

describe("Idempotency-Key marker over Neon's HTTP driver", () => {
  it("commits in the write's batch, and a key taken over fails the batch: nothing written, 409", async () => {
    await db.insert(keys).values({
      id: 'k',
      userId: 'u',
      fingerprint: 'f',
      headers: '{"state":"running"}',
      lockedUntil: 5,
      expiresAt: 9e15,
    });
    const hold: KeyHold = { table: keys, id: 'k', lockedUntil: 5, declared: true };
    const vars: Record<string, unknown> = { db, transactions: 'batch', idempotency: hold };
    const c = { get: (name: string) => vars[name] } as unknown as Context<QuickbackEnv>;
    const before = await count();
    const marker = { state: 'written', kind: 'deleted', status: 200 } as const;
    expect(await writeMarked(c, insert(10), () => marker)).toBe(10);
    expect({ count: await count(), headers: JSON.parse((await db.select().from(keys))[0].headers!) }).toEqual({
      count: before + 1,
      headers: marker,
    });
    await db.update(keys).set({ lockedUntil: 6, headers: '{"state":"running"}' }); // a retry took the key over
    const refused = await writeMarked(c, insert(11), () => marker).catch((err: unknown) => err);
    expect({
      code: (refused as { code?: string }).code,
      count: await count(),
      headers: (await db.select().from(keys))[0].headers,
    }).toEqual({ code: 'IDEMPOTENCY_KEY_IN_PROGRESS', count: before + 1, headers: '{"state":"running"}' });
  });
});
