import Database from 'better-sqlite3';
import { createClient } from '@libsql/client';
import { describe, expect, it } from 'vitest';
import pg from 'pg';
import { createServer, type AddressInfo } from 'node:net';
import { createTestDatabase } from '../../../test/helpers/postgres.js';
import { toDatabaseApiError } from './db-errors.js';

const SCHEMA = [
  'PRAGMA foreign_keys = ON',
  'CREATE TABLE p (id TEXT PRIMARY KEY)',
  'CREATE TABLE t (id TEXT PRIMARY KEY, slug TEXT UNIQUE, title TEXT NOT NULL, p_id TEXT REFERENCES p(id))',
  "INSERT INTO t (id, slug, title) VALUES ('a', 's', 'x')",
];
const FAILING: [string, string][] = [
  ["INSERT INTO t (id, slug, title) VALUES ('b', 's', 'x')", 'UNIQUE_VIOLATION'],
  ["INSERT INTO t (id, title) VALUES ('a', 'x')", 'UNIQUE_VIOLATION'],
  ["INSERT INTO t (id, slug) VALUES ('c', 'z')", 'NOT_NULL_VIOLATION'],
  ["INSERT INTO t (id, title, p_id) VALUES ('d', 'x', 'missing')", 'FOREIGN_KEY_VIOLATION'],
];

describe('toDatabaseApiError', () => {
  it.each(FAILING)('better-sqlite3: %s → %s', (statement, code) => {
    const db = new Database(':memory:');
    SCHEMA.forEach((s) => db.exec(s));
    let thrown: unknown;
    try {
      db.exec(statement);
    } catch (error) {
      thrown = error;
    }
    expect(toDatabaseApiError(thrown)?.code).toBe(code);
    db.close();
  });

  it.each(FAILING)('libsql (wrapped in a cause chain): %s → %s', async (statement, code) => {
    const client = createClient({ url: ':memory:' });
    for (const s of SCHEMA) await client.execute(s);
    const thrown = await client.execute(statement).then(
      () => undefined,
      (error) => new Error('Failed query', { cause: error }),
    );
    const mapped = toDatabaseApiError(thrown);
    expect(mapped?.code).toBe(code);
    expect(mapped?.status).toBeLessThan(500);
    client.close();
  });

  /** A client on a fresh database of the local server, dropped afterwards. */
  async function withDatabase(label: string, run: (client: pg.Client) => Promise<void>): Promise<void> {
    const db = await createTestDatabase(label);
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    try {
      await run(client);
    } finally {
      await client.end();
      await db.drop();
    }
  }

  it('PostgreSQL (node-postgres, the local server): the SQLSTATE maps, the column is named, the value is not copied', async () => {
    await withDatabase('db_errors', async (client) => {
      await client.query(
        'CREATE TABLE p (id text PRIMARY KEY); CREATE TABLE t (id text PRIMARY KEY, slug text UNIQUE, title text NOT NULL, p_id text REFERENCES p(id))',
      );
      await client.query("INSERT INTO t (id, slug, title) VALUES ('a', 'secret-slug', 'x')");
      const cases: [string, string, string][] = [
        ["INSERT INTO t (id, slug, title) VALUES ('b', 'secret-slug', 'x')", 'UNIQUE_VIOLATION', 'slug'],
        ["INSERT INTO t (id, title) VALUES ('a', 'x')", 'UNIQUE_VIOLATION', 'id'],
        ["INSERT INTO t (id, slug) VALUES ('c', 'z')", 'NOT_NULL_VIOLATION', 'title'],
        ["INSERT INTO t (id, title, p_id) VALUES ('d', 'x', 'missing')", 'FOREIGN_KEY_VIOLATION', 'p_id'],
      ];
      for (const [statement, code, column] of cases) {
        const thrown = await client.query(statement).then(
          () => undefined,
          (error) => new Error('Failed query', { cause: error }),
        );
        const mapped = toDatabaseApiError(thrown);
        expect([mapped?.code, mapped?.details]).toEqual([code, { column }]);
        expect(JSON.stringify(mapped?.toBody())).not.toContain('secret-slug');
      }
    });
  });

  it('PostgreSQL: an unreachable server is 503 DATABASE_UNAVAILABLE, a row level security refusal 403', async () => {
    const refused = await new pg.Client({ connectionString: 'postgres://postgres@127.0.0.1:1/none' }).connect().then(
      () => undefined,
      (error) => error,
    );
    expect(toDatabaseApiError(new Error('Failed query', { cause: refused }))).toMatchObject({
      code: 'DATABASE_UNAVAILABLE',
      status: 503,
    });
    await withDatabase('db_errors_rls', async (client) => {
      await client.query(
        "DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'qb_db_errors_probe') THEN CREATE ROLE qb_db_errors_probe NOLOGIN; END IF; END $$",
      );
      await client.query(
        "CREATE TABLE r (id text PRIMARY KEY, org text); ALTER TABLE r ENABLE ROW LEVEL SECURITY; GRANT ALL ON r TO qb_db_errors_probe; CREATE POLICY p ON r TO qb_db_errors_probe USING (org = 'a') WITH CHECK (org = 'a')",
      );
      await client.query('BEGIN; SET LOCAL ROLE qb_db_errors_probe');
      const denied = await client.query("INSERT INTO r VALUES ('x', 'b')").then(() => undefined, (error) => error);
      await client.query('ROLLBACK');
      expect(toDatabaseApiError(new Error('Failed query', { cause: denied }))).toMatchObject({
        code: 'ACCESS_DENIED_BY_DATABASE',
        status: 403,
      });
    });
  });

  it("Neon's HTTP driver: a refused fetch is 503, followed through the error's `sourceError`", async () => {
    const closed = await new Promise<number>((resolve) => {
      const server = createServer().listen(0, '127.0.0.1', () => {
        const { port } = server.address() as AddressInfo;
        server.close(() => resolve(port));
      });
    });
    const refused = await fetch(`http://127.0.0.1:${closed}/sql`).then(() => undefined, (error) => error);
    const neonError = Object.assign(new Error(`Error connecting to database: ${refused}`), { sourceError: refused });
    expect(toDatabaseApiError(new Error('Failed query', { cause: neonError }))).toMatchObject({
      code: 'DATABASE_UNAVAILABLE',
      status: 503,
    });
  });

  it('names the column when the message does', () => {
    expect(toDatabaseApiError(new Error('UNIQUE constraint failed: t.slug'))?.details).toEqual({ column: 'slug' });
  });

  it('leaves anything else alone (a real 500)', () => {
    expect(toDatabaseApiError(new Error('disk I/O error'))).toBeUndefined();
    expect(toDatabaseApiError('boom')).toBeUndefined();
  });
});
