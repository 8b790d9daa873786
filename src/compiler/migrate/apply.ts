/**
 * @module compiler/migrate/apply
 * Applies a migrations folder with Drizzle's own migrator (the one the generated app's
 * `db:migrate` uses): to a local SQLite database (foreign keys on), or to PostgreSQL.
 * Idempotent: applied migrations are recorded in `__drizzle_migrations` and skipped.
 */
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { describePgConnectFailure, maskedUrl } from '../../runtime/data/postgres/pg-connect.js';
import { apiLoginStatement } from '../../runtime/data/postgres/pg-login.js';
import { QuickbackError } from '../../shared/errors.js';

export interface ApplyMigrationsInput {
  driver: 'better-sqlite3' | 'libsql' | 'node-postgres';
  url: string;
  migrationsFolder: string;
}

const COUNT = 'SELECT count(*) AS n FROM __drizzle_migrations';
const HAS_TABLE = "SELECT count(*) AS n FROM sqlite_master WHERE type = 'table' AND name = '__drizzle_migrations'";

function localFile(url: string): string | null {
  if (url === ':memory:') return null;
  if (/^(libsql|https?|wss?):/.test(url)) return null;
  return url.replace(/^file:/, '');
}

async function withBetterSqlite(file: string, migrationsFolder: string): Promise<number> {
  const { default: Database } = await import('better-sqlite3');
  const { drizzle } = await import('drizzle-orm/better-sqlite3');
  const { migrate } = await import('drizzle-orm/better-sqlite3/migrator');
  const sqlite = new Database(file);
  try {
    sqlite.pragma('foreign_keys = ON');
    const count = () => ((sqlite.prepare(HAS_TABLE).get() as { n: number }).n
      ? (sqlite.prepare(COUNT).get() as { n: number }).n
      : 0);
    const before = count();
    migrate(drizzle(sqlite), { migrationsFolder });
    return count() - before;
  } finally {
    sqlite.close();
  }
}

async function withLibsql(url: string, migrationsFolder: string): Promise<number> {
  const { createClient } = await import('@libsql/client');
  const { drizzle } = await import('drizzle-orm/libsql');
  const { migrate } = await import('drizzle-orm/libsql/migrator');
  const client = createClient({ url: url.startsWith('file:') || /^[a-z]+:/.test(url) ? url : `file:${url}` });
  try {
    await client.execute('PRAGMA foreign_keys = ON');
    const count = async () => (Number((await client.execute(HAS_TABLE)).rows[0].n)
      ? Number((await client.execute(COUNT)).rows[0].n)
      : 0);
    const before = await count();
    await migrate(drizzle(client), { migrationsFolder });
    return (await count()) - before;
  } finally {
    client.close();
  }
}

/**
 * PostgreSQL (any server: local, Neon, Supabase) through node-postgres; drizzle records migrations
 * in drizzle.__drizzle_migrations. The API's login is created first when DATABASE_URL has a password (runtime pg-login.ts).
 */
async function withNodePostgres(url: string, migrationsFolder: string): Promise<number> {
  const { default: pg } = await import('pg');
  const { drizzle } = await import('drizzle-orm/node-postgres');
  const { migrate } = await import('drizzle-orm/node-postgres/migrator');
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const count =
      async () => ((await client.query("SELECT to_regclass('drizzle.__drizzle_migrations') AS t")).rows[0].t === null
        ? 0
        : Number((await client.query('SELECT count(*) AS n FROM drizzle.__drizzle_migrations')).rows[0].n));
    const before = await count();
    const login = apiLoginStatement(url, (value) => client.escapeLiteral(value));
    if (login) await client.query(login);
    await migrate(drizzle(client), { migrationsFolder });
    return (await count()) - before;
  } finally {
    await client.end();
  }
}

export async function applyMigrations(input: ApplyMigrationsInput): Promise<{ applied: number }> {
  if (!existsSync(path.join(input.migrationsFolder, 'meta', '_journal.json'))) {
    throw new QuickbackError('QB_MIGRATE_NOTHING_TO_APPLY', `No migrations in ${input.migrationsFolder}`, {
      hint: 'Run `quickback compile` first.',
    });
  }
  const postgres = input.driver === 'node-postgres';
  const file = postgres ? null : localFile(input.url);
  if (file) mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  try {
    const applied = postgres
      ? await withNodePostgres(input.url, input.migrationsFolder)
      : input.driver === 'better-sqlite3'
      ? await withBetterSqlite(file ?? ':memory:', input.migrationsFolder)
      : await withLibsql(input.url, input.migrationsFolder);
    return { applied };
  } catch (cause) {
    const failure = postgres ? describePgConnectFailure(cause, input.url) : undefined;
    if (failure) throw new QuickbackError(failure.code, failure.message, { cause, hint: failure.hint });
    const message = cause instanceof Error ? cause.message : String(cause);
    throw new QuickbackError(
      'QB_MIGRATE_APPLY_FAILED',
      `Applying migrations to ${maskedUrl(input.url)} failed: ${message}`,
      {
        cause,
        hint: postgres
          ? "Check that the server is reachable and DATABASE_URL's role may create tables, roles and functions; --debug shows the failing statement."
          : 'Check that the database file is writable and was created by these migrations; --debug shows the failing statement.',
      },
    );
  }
}
