/**
 * Atomic writes over Neon's HTTP driver (no interactive transactions): a unit of parts runs as
 * one batch, and when it fails the probe batches (PostgreSQL's raised exception as the always-
 * failing statement) name the part that failed, with nothing written.
 */
import { neon, neonConfig } from '@neondatabase/serverless';
import { sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/neon-http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AtomicFailure, runAtomicParts, statement } from '../../src/runtime/transaction.js';
import type { QueryDatabase } from '../../src/runtime/types.js';
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
});
afterAll(async () => {
  await endpoint?.close();
  await database?.drop();
});

const insert = (id: number) => statement((tx) => (tx as unknown as typeof db).execute(sql`INSERT INTO t VALUES (${id})`), () => id);
const count = async () => Number((await db.execute(sql`SELECT count(*) AS n FROM t`)).rows[0].n);

describe('batch mode over Neon\'s HTTP driver', () => {
  it('writes every part or none, and names the failing part', async () => {
    const failure = await runAtomicParts(db as unknown as QueryDatabase, 'batch', [insert(1), insert(2), insert(2), insert(3)]).catch((err: unknown) => err);
    expect(failure).toBeInstanceOf(AtomicFailure);
    expect((failure as AtomicFailure).part).toBe(2);
    expect(String(((failure as AtomicFailure).cause as Error).message)).toContain('t_pkey');
    expect(await count()).toBe(0);
    expect(await runAtomicParts(db as unknown as QueryDatabase, 'batch', [insert(1), insert(2)])).toEqual([1, 2]);
    expect(await count()).toBe(2);
  });
});
