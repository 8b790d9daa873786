import Database from 'better-sqlite3';
import { createClient } from '@libsql/client';
import { drizzle as drizzleSqlite } from 'drizzle-orm/better-sqlite3';
import { migrate as migrateSqlite } from 'drizzle-orm/better-sqlite3/migrator';
import { drizzle as drizzleLibsql } from 'drizzle-orm/libsql';
import { migrate as migrateLibsql } from 'drizzle-orm/libsql/migrator';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestDatabase, PGLITE } from '../../../test/helpers/postgres.js';
import { freePort } from '../../../test/helpers/server.js';
import { toDatabaseApiError } from '../core/db-errors.js';
import { probeMigrations, schemaMissing, type ShippedMigrations } from './migrations-status.js';

const folders: string[] = [];
afterAll(() => folders.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

/** A migrations folder as the compiler writes it, with the first `count` of two migrations; and what the app ships for it. */
function migrationsFolder(count: 1 | 2): { dir: string; shipped: ShippedMigrations } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'qb-migrations-'));
  folders.push(dir);
  mkdirSync(path.join(dir, 'meta'));
  const all = [
    {
      idx: 0,
      version: '7',
      when: 1_700_000_000_000,
      tag: '0000_init',
      breakpoints: true,
      sql: 'CREATE TABLE notes (id TEXT PRIMARY KEY)',
    },
    {
      idx: 1,
      version: '7',
      when: 1_700_000_000_001,
      tag: '0001_alter_notes',
      breakpoints: true,
      sql: 'ALTER TABLE notes ADD COLUMN title TEXT',
    },
  ].slice(0, count);
  for (const entry of all) writeFileSync(path.join(dir, `${entry.tag}.sql`), `${entry.sql};\n`);
  const entries = all.map(({ sql: _sql, ...entry }) => entry);
  writeFileSync(path.join(dir, 'meta', '_journal.json'), JSON.stringify({ version: '7', dialect: 'sqlite', entries }));
  return { dir, shipped: { tags: entries.map((e) => e.tag), when: entries[entries.length - 1].when } };
}

describe('probeMigrations on SQLite (drizzle migrator: __drizzle_migrations.created_at)', () => {
  it('better-sqlite3: pending without the table, ok once migrated, pending again when the app ships one more', async () => {
    const db = drizzleSqlite(new Database(':memory:'));
    const one = migrationsFolder(1);
    expect(await probeMigrations('sqlite', [[db, one.shipped]])).toBe('pending');
    migrateSqlite(db, { migrationsFolder: one.dir });
    expect(await probeMigrations('sqlite', [[db, one.shipped]])).toBe('ok');
    const two = migrationsFolder(2);
    expect(await probeMigrations('sqlite', [[db, two.shipped]])).toBe('pending');
    migrateSqlite(db, { migrationsFolder: two.dir });
    expect(await probeMigrations('sqlite', [[db, two.shipped]])).toBe('ok');
  });

  it('libsql: the first database that is behind decides (split features and auth databases)', async () => {
    const features = drizzleLibsql(createClient({ url: ':memory:' }));
    const auth = drizzleLibsql(createClient({ url: ':memory:' }));
    const one = migrationsFolder(1);
    await migrateLibsql(features, { migrationsFolder: one.dir });
    expect(await probeMigrations('sqlite', [[features, one.shipped], [auth, one.shipped]])).toBe('pending');
    await migrateLibsql(auth, { migrationsFolder: one.dir });
    expect(await probeMigrations('sqlite', [[features, one.shipped], [auth, one.shipped]])).toBe('ok');
  });

  it('D1 (wrangler: d1_migrations.name is the file name): every shipped file must be recorded', async () => {
    const sqlite = new Database(':memory:');
    const db = drizzleSqlite(sqlite);
    const shipped = migrationsFolder(2).shipped;
    expect(await probeMigrations('d1', [[db, shipped]])).toBe('pending');
    sqlite.exec(
      "CREATE TABLE d1_migrations (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT UNIQUE, applied_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP); INSERT INTO d1_migrations (name) VALUES ('0000_init.sql')",
    );
    expect(await probeMigrations('d1', [[db, shipped]])).toBe('pending');
    sqlite.exec("INSERT INTO d1_migrations (name) VALUES ('0001_alter_notes.sql')");
    expect(await probeMigrations('d1', [[db, shipped]])).toBe('ok');
  });

  it('a journal with no entries is ok without a query', async () => {
    expect(await probeMigrations('sqlite', [[{}, { tags: [], when: 0 }]])).toBe('ok');
  });

  it("schemaMissing: SQLite's missing table and column, not its constraint failures", () => {
    const sqlite = new Database(':memory:');
    sqlite.exec('CREATE TABLE t (id TEXT PRIMARY KEY)');
    const failure = (statement: string) => {
      try {
        sqlite.exec(statement);
      } catch (error) {
        return new Error('Failed query', { cause: error });
      }
    };
    expect(schemaMissing(failure('SELECT * FROM nope'))).toBe(true);
    expect(schemaMissing(failure('SELECT title FROM t'))).toBe(true);
    expect(schemaMissing(failure("INSERT INTO t (id, title) VALUES ('a', 'b')"))).toBe(true);
    sqlite.exec("INSERT INTO t VALUES ('a')");
    expect(schemaMissing(failure("INSERT INTO t VALUES ('a')"))).toBe(false);
  });
});

describe('probeMigrations on PostgreSQL (drizzle.__drizzle_migrations)', () => {
  it('pending before the first migration, ok after it, pending for one more; 42P01 and 42703 are schemaMissing', async () => {
    const database = await createTestDatabase('probe');
    const pool = new pg.Pool({ connectionString: database.url });
    try {
      const db = drizzlePg(pool);
      const one = migrationsFolder(1);
      expect(await probeMigrations('postgresql', [[db, one.shipped]])).toBe('pending');
      await migratePg(db, { migrationsFolder: one.dir });
      expect(await probeMigrations('postgresql', [[db, one.shipped]])).toBe('ok');
      expect(await probeMigrations('postgresql', [[db, migrationsFolder(2).shipped]])).toBe('pending');
      expect(schemaMissing(await pool.query('SELECT title FROM notes').catch((e: unknown) => e))).toBe(true);
      expect(schemaMissing(await pool.query('SELECT * FROM nope').catch((e: unknown) => e))).toBe(true);
    } finally {
      await pool.end();
      await database.drop();
    }
  });

  // PGlite serves each database on a server of its own: no server there answers for a database it does not have.
  it.skipIf(PGLITE)(
    'a database that does not exist is "missing"; a server that does not answer throws (DATABASE_UNAVAILABLE)',
    async () => {
      const database = await createTestDatabase('probe-gone');
      await database.drop();
      const gone = new pg.Pool({ connectionString: database.url });
      const refused = new pg.Pool({ connectionString: `postgres://postgres@127.0.0.1:${await freePort()}/app` });
      try {
        const shipped = migrationsFolder(1).shipped;
        expect(await probeMigrations('postgresql', [[drizzlePg(gone), shipped]])).toBe('missing');
        expect(toDatabaseApiError(await gone.query('SELECT 1').catch((e: unknown) => e))?.code).toBe(
          'DATABASE_NOT_FOUND',
        );
        const thrown = await probeMigrations('postgresql', [[drizzlePg(refused), shipped]]).catch((e: unknown) => e);
        expect(toDatabaseApiError(thrown)?.code).toBe('DATABASE_UNAVAILABLE');
      } finally {
        await gone.end();
        await refused.end();
      }
    },
  );
});
