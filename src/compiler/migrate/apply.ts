/**
 * @module compiler/migrate/apply
 * Applies a migrations folder to a local SQLite database with Drizzle's own migrator (the one the
 * generated app's `db:migrate` uses), foreign keys on. Idempotent: applied migrations are
 * recorded in `__drizzle_migrations` and skipped.
 */
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { QuickbackError } from '../../shared/errors.js';

export interface ApplyMigrationsInput { driver: 'better-sqlite3' | 'libsql'; url: string; migrationsFolder: string }

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
    const count = () => ((sqlite.prepare(HAS_TABLE).get() as { n: number }).n ? (sqlite.prepare(COUNT).get() as { n: number }).n : 0);
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
    const count = async () => (Number((await client.execute(HAS_TABLE)).rows[0].n) ? Number((await client.execute(COUNT)).rows[0].n) : 0);
    const before = await count();
    await migrate(drizzle(client), { migrationsFolder });
    return (await count()) - before;
  } finally {
    client.close();
  }
}

export async function applyMigrations(input: ApplyMigrationsInput): Promise<{ applied: number }> {
  if (!existsSync(path.join(input.migrationsFolder, 'meta', '_journal.json'))) {
    throw new QuickbackError('QB_MIGRATE_NOTHING_TO_APPLY', `No migrations in ${input.migrationsFolder}`, { hint: 'Run `quickback compile` first.' });
  }
  const file = localFile(input.url);
  if (file) mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  try {
    const applied = input.driver === 'better-sqlite3'
      ? await withBetterSqlite(file ?? ':memory:', input.migrationsFolder)
      : await withLibsql(input.url, input.migrationsFolder);
    return { applied };
  } catch (cause) {
    const message = cause instanceof Error ? cause.message : String(cause);
    throw new QuickbackError('QB_MIGRATE_APPLY_FAILED', `Applying migrations to ${input.url} failed: ${message}`, {
      cause, hint: 'Check that the database file is writable and was created by these migrations; --debug shows the failing statement.',
    });
  }
}
