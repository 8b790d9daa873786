/**
 * @module compiler/migrate/dialects
 * What differs between SQLite and PostgreSQL migrations: the in-memory tables and drizzle-kit's
 * snapshot and diff functions, the empty snapshot a first migration starts from, how snapshots
 * key their tables (`name` / `public.name`), identifier quoting, and the journal's dialect.
 * drizzle-kit's API (~0.2 s to load) is imported on first use.
 */
import type { generateMigration, generateSQLiteMigration } from 'drizzle-kit/api';
import type { TableModel } from '../model/ir.js';
import { ORIGIN_ID, type Snapshot } from './snapshot.js';

export type MigrationDialect = 'sqlite' | 'postgresql';

export interface DialectOps {
  name: MigrationDialect;
  empty(): Promise<Snapshot>;
  snapshot(tables: readonly TableModel[], prevId: string): Promise<Snapshot>;
  diff(prev: Snapshot, next: Snapshot): Promise<string[]>;
  /** The snapshot key of a table's SQL name. */
  key(table: string): string;
  quote(identifier: string): string;
}

const drizzleKit = () => import('drizzle-kit/api');

const sqlite: DialectOps = {
  name: 'sqlite',
  empty: async () => ({
    version: '6',
    dialect: 'sqlite',
    id: ORIGIN_ID,
    prevId: ORIGIN_ID,
    tables: {},
    views: {},
    enums: {},
    _meta: { tables: {}, columns: {} },
    internal: { indexes: {} },
  }),
  async snapshot(tables, prevId) {
    const [{ generateSQLiteDrizzleJson }, { buildSqliteTables }] = await Promise.all([
      drizzleKit(),
      import('./tables.js'),
    ]);
    return (await generateSQLiteDrizzleJson(buildSqliteTables(tables), prevId)) as unknown as Snapshot;
  },
  async diff(prev, next) {
    const { generateSQLiteMigration } = await drizzleKit();
    type S = Parameters<typeof generateSQLiteMigration>[0];
    return generateSQLiteMigration(prev as unknown as S, next as unknown as S);
  },
  key: (table) => table,
  quote: (identifier) => `\`${identifier}\``,
};

const postgresql: DialectOps = {
  name: 'postgresql',
  async empty() {
    const { generateDrizzleJson } = await drizzleKit();
    return { ...(generateDrizzleJson({}) as unknown as Snapshot), id: ORIGIN_ID, prevId: ORIGIN_ID };
  },
  async snapshot(tables, prevId) {
    const [{ generateDrizzleJson }, { buildPgTables }] = await Promise.all([drizzleKit(), import('./pg-tables.js')]);
    return generateDrizzleJson(buildPgTables(tables), prevId) as unknown as Snapshot;
  },
  async diff(prev, next) {
    const { generateMigration: diff } = await drizzleKit();
    type S = Parameters<typeof generateMigration>[0];
    return diff(prev as unknown as S, next as unknown as S);
  },
  key: (table) => `public.${table}`,
  quote: (identifier) => `"${identifier.replace(/"/g, '""')}"`,
};

export function dialectOps(name: MigrationDialect = 'sqlite'): DialectOps {
  return name === 'postgresql' ? postgresql : sqlite;
}
