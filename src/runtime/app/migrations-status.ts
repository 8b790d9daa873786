/**
 * @module quickback/migrations-status
 * Whether the database is behind the migrations the app ships (src/db/migrations.ts, generated
 * from quickback/drizzle/<db>/meta/_journal.json). Checked once at boot (the first request on
 * Workers); while pending, re-checked at most once a second, so `npm run db:migrate` in another
 * terminal heals a running server; while ok, never again, unless a query fails with "no such
 * table/column" (`schemaMissing`), which makes the next request check again.
 *
 * What each target records: drizzle's migrator `__drizzle_migrations.created_at` (SQLite) and
 * `drizzle.__drizzle_migrations.created_at` (PostgreSQL), the journal's `when`, applied in order;
 * wrangler `d1_migrations.name`, the migration's file name.
 */
import { sql } from 'drizzle-orm';

/** One database's shipped journal: its tags in order, and the last entry's `when`. */
export interface ShippedMigrations {
  tags: readonly string[];
  when: number;
}
export type MigrationDialect = 'sqlite' | 'd1' | 'postgresql';
/** `missing`: the database itself does not exist (PostgreSQL 3D000). */
export type MigrationState = 'ok' | 'pending' | 'missing';

/** A Drizzle handle of any driver: SQLite ones have `all`, PostgreSQL ones `execute`. */
interface RawDatabase {
  all?(query: unknown): unknown;
  execute?(query: unknown): unknown;
}
export type ProbeTarget = readonly [db: unknown, shipped: ShippedMigrations];

interface Link {
  code?: unknown;
  message?: unknown;
  cause?: unknown;
}

function* links(error: unknown): Generator<Link> {
  let current = error;
  for (let depth = 0; depth < 5 && typeof current === 'object' && current !== null; depth++) {
    yield current as Link;
    current = (current as Link).cause;
  }
}

/** A query failed because a table, column or schema the app expects is not there (yet). */
export function schemaMissing(error: unknown): boolean {
  for (const link of links(error)) {
    const code = String(link.code ?? '');
    if (code === '42P01' || code === '42703' || code === '3F000') return true;
    if (/no such table|no such column|has no column named/.test(String(link.message ?? ''))) return true;
  }
  return false;
}

/** PostgreSQL: the database named by the URL does not exist. */
export function databaseMissing(error: unknown): boolean {
  for (const link of links(error)) if (String(link.code ?? '') === '3D000') return true;
  return false;
}

/**
 * Before the first migration: the API's login (`quickback_api`, which the RLS migration creates)
 * does not exist, or may not read drizzle's table yet (the grant comes with the same migration).
 */
function loginNotMigrated(error: unknown): boolean {
  for (const link of links(error)) {
    const code = String(link.code ?? '');
    const message = String(link.message ?? '');
    if (code === '28000' && /role "quickback_api/.test(message)) return true;
    if (code === '42501' && /__drizzle_migrations|schema drizzle/.test(message)) return true;
  }
  return false;
}

async function rows(db: unknown, query: string): Promise<Record<string, unknown>[]> {
  const raw = db as RawDatabase;
  if (raw.all) return (await raw.all(sql.raw(query))) as Record<string, unknown>[];
  const result = (await raw.execute!(sql.raw(query))) as Record<string, unknown>[] | {
    rows: Record<string, unknown>[];
  };
  return Array.isArray(result) ? result : result.rows;
}

/** Compares one database with its shipped journal: pending when anything shipped is not applied. */
async function probeOne(dialect: MigrationDialect, db: unknown, shipped: ShippedMigrations): Promise<MigrationState> {
  if (shipped.tags.length === 0) return 'ok';
  try {
    if (dialect === 'd1') {
      const applied = new Set((await rows(db, 'SELECT name FROM d1_migrations')).map((r) => String(r.name)));
      return shipped.tags.every((tag) => applied.has(`${tag}.sql`)) ? 'ok' : 'pending';
    }
    const table = dialect === 'postgresql' ? 'drizzle.__drizzle_migrations' : '__drizzle_migrations';
    const [last] = await rows(db, `SELECT max(created_at) AS at FROM ${table}`);
    return Number(last?.at ?? 0) >= shipped.when ? 'ok' : 'pending';
  } catch (error) {
    if (databaseMissing(error)) return 'missing';
    if (schemaMissing(error) || loginNotMigrated(error)) return 'pending';
    throw error;
  }
}

/** Every database of the app, in order; the first that is not ok decides. Unreachable servers throw. */
export async function probeMigrations(
  dialect: MigrationDialect,
  targets: readonly ProbeTarget[],
): Promise<MigrationState> {
  for (const [db, shipped] of targets) {
    const state = await probeOne(dialect, db, shipped);
    if (state !== 'ok') return state;
  }
  return 'ok';
}
