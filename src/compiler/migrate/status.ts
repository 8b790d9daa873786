/**
 * @module compiler/migrate/status
 * Which shipped migrations a project's LOCAL databases have applied, per database (targets.ts):
 * the journal (quickback/drizzle/<db>/meta/_journal.json: tag, when, SQL file) against what the
 * database recorded, by the rule each applier uses:
 * - SQLite file and PostgreSQL (drizzle's migrator): a migration is applied when its journal `when`
 *   is at most the newest `created_at` of `__drizzle_migrations` (PostgreSQL: `drizzle.__drizzle_migrations`).
 * - D1 (wrangler): its file name (`0001_alter_todos.sql`) is a row of `d1_migrations` in wrangler's
 *   local SQLite file for the binding (.wrangler/state/v3/d1, the state `wrangler dev` uses).
 * Read-only. A remote database (libsql://, a PostgreSQL server not on this machine, D1 with
 * experimental_remote, DATABASE_URL unset) is never connected to: its `state` is `unchecked` and
 * `applied` / `pending` are null. A local database that does not exist yet is `missing`: all pending.
 *
 * Stable API (used by `quickback dev` and undo): `migrationStatus(projectRoot, model)` and
 * `targetStatus(target)`; `readJournal(folder)`.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describePgConnectFailure } from '../../runtime/data/postgres/pg-connect.js';
import { QuickbackError } from '../../shared/errors.js';
import type { AppModel } from '../model/ir.js';
import type { MigrationJournal } from '../load/types.js';
import { migrationTargets, type MigrationTarget } from './targets.js';

export interface ShippedMigration {
  /** Journal tag, e.g. `0001_alter_todos`. */
  tag: string;
  /** Journal `when` (ms): drizzle's `folderMillis`. */
  when: number;
  /** Absolute path of the SQL file (`<migrationsFolder>/<tag>.sql`). */
  file: string;
}

export interface DatabaseMigrationStatus {
  target: MigrationTarget;
  /** Every migration of the journal, in journal order (empty without a journal). */
  shipped: ShippedMigration[];
  /** checked: read from the local database; missing: it does not exist yet (nothing applied); unchecked: remote, not read. */
  state: 'checked' | 'missing' | 'unchecked';
  /** Applied shipped migrations, in journal order; null when unchecked. */
  applied: ShippedMigration[] | null;
  /** Shipped migrations not applied yet, in journal order; null when unchecked. */
  pending: ShippedMigration[] | null;
}

/** The journal's migrations of one folder; [] when it has no journal. */
export function readJournal(migrationsFolder: string): ShippedMigration[] {
  const file = path.join(migrationsFolder, 'meta', '_journal.json');
  if (!existsSync(file)) return [];
  const journal = JSON.parse(readFileSync(file, 'utf8')) as MigrationJournal;
  return journal.entries.map((e) => ({ tag: e.tag, when: e.when, file: path.join(migrationsFolder, `${e.tag}.sql`) }));
}

/** SQLite (and D1's local file): a read-only query, or null when the file or table does not exist. */
async function sqliteRows<T>(file: string, table: string, sql: string): Promise<T[] | null> {
  if (!existsSync(file)) return null;
  const { default: Database } = await import('better-sqlite3');
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const has = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(table);
    return has ? (db.prepare(sql).all() as T[]) : [];
  } finally {
    db.close();
  }
}

/** drizzle's newest created_at on PostgreSQL (null: none yet); `missing` when the database does not exist. */
async function postgresLast(url: string): Promise<number | null | 'missing'> {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: url });
  try {
    await client.connect();
  } catch (cause) {
    const failure = describePgConnectFailure(cause, url);
    if (failure?.code === 'QB_MIGRATE_DATABASE_MISSING') return 'missing';
    if (failure) throw new QuickbackError(failure.code, failure.message, { cause, hint: failure.hint });
    throw cause;
  }
  try {
    if ((await client.query("SELECT to_regclass('drizzle.__drizzle_migrations') AS t")).rows[0].t === null) return null;
    const { last } = (await client.query('SELECT max(created_at) AS last FROM drizzle.__drizzle_migrations')).rows[0];
    return last === null ? null : Number(last);
  } finally {
    await client.end();
  }
}

const byRule = (shipped: ShippedMigration[], last: number | null) =>
  shipped.filter((m) => last !== null && m.when <= last);

/** One target's status (see the module comment). */
export async function targetStatus(target: MigrationTarget): Promise<DatabaseMigrationStatus> {
  const shipped = readJournal(target.migrationsFolder);
  const result = (
    state: DatabaseMigrationStatus['state'],
    applied: ShippedMigration[] | null,
  ): DatabaseMigrationStatus => ({
    target,
    shipped,
    state,
    applied,
    pending: applied === null ? null : shipped.filter((m) => !applied.includes(m)),
  });
  if (!target.local || target.url === undefined) return result('unchecked', null);
  if (target.kind === 'postgresql') {
    const last = await postgresLast(target.url);
    return last === 'missing' ? result('missing', []) : result('checked', byRule(shipped, last));
  }
  if (target.url === ':memory:') return result('missing', []);
  const file = target.url.replace(/^file:/, '');
  if (target.kind === 'd1') {
    const rows = await sqliteRows<{ name: string }>(file, 'd1_migrations', 'SELECT name FROM d1_migrations');
    if (rows === null) return result('missing', []);
    const names = new Set(rows.map((r) => r.name));
    return result('checked', shipped.filter((m) => names.has(path.basename(m.file))));
  }
  const rows = await sqliteRows<{ last: number | null }>(
    file,
    '__drizzle_migrations',
    'SELECT max(created_at) AS last FROM __drizzle_migrations',
  );
  if (rows === null) return result('missing', []);
  const last = rows[0]?.last ?? null;
  return result('checked', byRule(shipped, last === null ? null : Number(last)));
}

/** Every database of the project (targets.ts), in target order. */
export async function migrationStatus(projectRoot: string, model: AppModel): Promise<DatabaseMigrationStatus[]> {
  const statuses: DatabaseMigrationStatus[] = [];
  for (const target of migrationTargets(projectRoot, model)) statuses.push(await targetStatus(target));
  return statuses;
}
