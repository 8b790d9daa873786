/**
 * @module compiler/migrate/data-loss
 * The rows pending migrations would destroy in a local database, found in their SQL and counted:
 * - `DROP TABLE t`: every row of t;
 * - `ALTER TABLE t DROP COLUMN c`: the rows where c is not null;
 * - SQLite's table rebuild (drizzle-kit: `CREATE TABLE __new_t`, `INSERT INTO __new_t(cols) SELECT
 *   cols FROM t`, `DROP TABLE t`, rename back): the rows where a column of t that the SELECT does
 *   not copy is not null.
 * Counted against the database as it is now (a table a pending migration creates has no rows yet).
 * Read-only; only local targets (status.ts) are ever passed here.
 */
import { existsSync, readFileSync } from 'node:fs';
import { BREAKPOINT } from './plan.js';
import type { ShippedMigration } from './status.js';
import type { MigrationTarget } from './targets.js';

export interface DataAtStake {
  /** The migration that drops it. */
  tag: string;
  table: string;
  /** Undefined: the whole table is dropped. */
  column?: string;
  rows: number;
}

interface Drop {
  tag: string;
  table: string;
  column?: string;
  rebuiltFrom?: string[];
}

const NAME = String.raw`(?:["\`]?\w+["\`]?\.)?["\`]?(\w+)["\`]?`;
const DROP_TABLE = new RegExp(String.raw`^DROP TABLE (?:IF EXISTS )?${NAME}`, 'i');
const DROP_COLUMN = new RegExp(
  String.raw`^ALTER TABLE (?:ONLY )?${NAME} DROP COLUMN (?:IF EXISTS )?["\`]?(\w+)["\`]?`,
  'i',
);
const REBUILD_COPY = new RegExp(
  String.raw`^INSERT INTO ["\`]?__new_\w+["\`]?\s*\(([^)]*)\)\s*SELECT .* FROM ${NAME}`,
  'is',
);

/** What the pending migrations drop, in order. */
export function plannedDrops(pending: readonly ShippedMigration[]): Drop[] {
  const drops: Drop[] = [];
  for (const migration of pending) {
    if (!existsSync(migration.file)) continue;
    const copied = new Map<string, string[]>();
    for (const statement of readFileSync(migration.file, 'utf8').split(BREAKPOINT.trim()).map((s) => s.trim())) {
      const copy = REBUILD_COPY.exec(statement);
      if (copy) copied.set(copy[2], copy[1].split(',').map((c) => c.trim().replace(/^["`]|["`]$/g, '')));
      const table = DROP_TABLE.exec(statement);
      if (table) drops.push({ tag: migration.tag, table: table[1], rebuiltFrom: copied.get(table[1]) });
      const column = DROP_COLUMN.exec(statement);
      if (column) drops.push({ tag: migration.tag, table: column[1], column: column[2] });
    }
  }
  return drops;
}

/** Runs read-only queries against the target's database. */
type Query = (sql: string, params?: unknown[]) => Promise<Record<string, unknown>[]>;

async function withDatabase<T>(target: MigrationTarget, use: (query: Query) => Promise<T>): Promise<T> {
  if (target.kind === 'postgresql') {
    const { default: pg } = await import('pg');
    const client = new pg.Client({ connectionString: target.url });
    await client.connect();
    try {
      return await use(async (sql, params) => (await client.query(sql, params)).rows);
    } finally {
      await client.end();
    }
  }
  const { default: Database } = await import('better-sqlite3');
  const db = new Database(target.url!.replace(/^file:/, ''), { readonly: true, fileMustExist: true });
  try {
    return await use(async (sql, params) => db.prepare(sql).all(...(params ?? [])) as Record<string, unknown>[]);
  } finally {
    db.close();
  }
}

async function columnsOf(query: Query, target: MigrationTarget, table: string): Promise<string[]> {
  if (target.kind === 'postgresql') {
    return (await query(
      "SELECT column_name AS name FROM information_schema.columns WHERE table_schema = 'public' AND table_name = $1",
      [table],
    )).map((r) => String(r.name));
  }
  return (await query(`SELECT name FROM pragma_table_info(?)`, [table])).map((r) => String(r.name));
}

/** The rows the pending migrations would destroy in the target's database; [] when none. */
export async function dataAtStake(
  target: MigrationTarget,
  pending: readonly ShippedMigration[],
): Promise<DataAtStake[]> {
  const drops = plannedDrops(pending);
  if (drops.length === 0 || target.url === undefined) return [];
  if (target.kind !== 'postgresql' && !existsSync(target.url.replace(/^file:/, ''))) return [];
  const q = (name: string) => (target.kind === 'postgresql' ? `"${name}"` : `\`${name}\``);
  return withDatabase(target, async (query) => {
    const found: DataAtStake[] = [];
    const count = async (sql: string) => Number((await query(sql))[0].n);
    for (const drop of drops) {
      const live = await columnsOf(query, target, drop.table);
      if (live.length === 0) continue;
      const lost = drop.column
        ? [drop.column]
        : drop.rebuiltFrom
        ? live.filter((c) => !drop.rebuiltFrom!.includes(c))
        : [undefined];
      for (const column of lost) {
        if (column !== undefined && !live.includes(column)) continue;
        const rows = await count(
          `SELECT count(*) AS n FROM ${q(drop.table)}${column ? ` WHERE ${q(column)} IS NOT NULL` : ''}`,
        );
        if (rows > 0) found.push({ tag: drop.tag, table: drop.table, ...(column ? { column } : {}), rows });
      }
    }
    return found;
  });
}
