/**
 * @module compiler/keys/stores
 * `org_data_keys` as `quickback keys` reaches it: through Drizzle on the local SQLite file
 * (better-sqlite3, libsql) or PostgreSQL (DATABASE_URL), or through `wrangler d1 execute --json` on D1 (local state, or the
 * deployed database with --remote). Only what rotation and shredding use: list, re-wrap, delete.
 */
import { buildPgTables } from '../migrate/pg-tables.js';
import { buildSqliteTables } from '../migrate/tables.js';
import type { TableModel } from '../model/ir.js';
import { drizzleDataKeyStore, type DataKeyTable } from '../../runtime/crypto/data-key-store.js';
import type { DataKeyRow, DataKeyStore } from '../../runtime/crypto/data-keys.js';
import { QuickbackError } from '../../shared/errors.js';

export interface OpenStore {
  store: DataKeyStore;
  close(): void;
}

export async function sqliteStore(
  driver: 'better-sqlite3' | 'libsql',
  url: string,
  table: TableModel,
  authToken?: string,
): Promise<OpenStore> {
  const built = buildSqliteTables([table])[table.exportName] as unknown as DataKeyTable;
  if (driver === 'better-sqlite3') {
    const { default: Database } = await import('better-sqlite3');
    const { drizzle } = await import('drizzle-orm/better-sqlite3');
    const sqlite = new Database(url.replace(/^file:/, ''), { fileMustExist: true });
    return { store: drizzleDataKeyStore(drizzle(sqlite), built), close: () => sqlite.close() };
  }
  const { createClient } = await import('@libsql/client');
  const { drizzle } = await import('drizzle-orm/libsql');
  const client = createClient({ url, ...(authToken ? { authToken } : {}) });
  return { store: drizzleDataKeyStore(drizzle(client), built), close: () => client.close() };
}

/** PostgreSQL (neon, supabase) through node-postgres as DATABASE_URL's role (the service role: the API's roles cannot read the keys). */
export async function pgStore(url: string, table: TableModel): Promise<OpenStore> {
  const built = buildPgTables([table])[table.exportName] as unknown as DataKeyTable;
  const { default: pg } = await import('pg');
  const { drizzle } = await import('drizzle-orm/node-postgres');
  const pool = new pg.Pool({ connectionString: url, max: 1 });
  return {
    store: drizzleDataKeyStore(drizzle(pool), built),
    close: () => {
      void pool.end();
    },
  };
}

/** A SQL string literal (wrangler d1 execute takes no bound parameters). */
const literal = (
  value: string | number,
) => (typeof value === 'number' ? String(Math.trunc(value)) : `'${value.replace(/'/g, "''")}'`);

export function d1Store(appRoot: string, databaseName: string, remote: boolean): OpenStore {
  const run = async (sql: string): Promise<Record<string, unknown>[]> => {
    const { execa } = await import('execa');
    const result = await execa('wrangler', [
      'd1',
      'execute',
      databaseName,
      remote ? '--remote' : '--local',
      '--json',
      '--command',
      sql,
    ], {
      cwd: appRoot,
      preferLocal: true,
      reject: false,
      all: true,
      stdin: 'ignore',
      env: { CI: 'true', WRANGLER_SEND_METRICS: 'false' },
    });
    if (result.exitCode !== 0) {
      throw new QuickbackError('QB_KEYS_FAILED', `wrangler d1 execute ${databaseName} failed`, {
        hint: (result.all ?? '').trim().split('\n').slice(-5).join('\n'),
      });
    }
    const parsed = JSON.parse(result.stdout) as { results?: Record<string, unknown>[] }[];
    return parsed.flatMap((r) => r.results ?? []);
  };
  const toRow = (r: Record<string, unknown>): DataKeyRow => ({
    orgId: String(r.org_id),
    version: Number(r.version),
    wrappedKey: String(r.wrapped_key),
    messages: Number(r.messages),
  });
  const unused = (what: string) => async (): Promise<never> => {
    throw new Error(`${what} is not used by quickback keys`);
  };
  return {
    store: {
      latest: unused('latest'),
      get: unused('get'),
      insert: unused('insert'),
      reserve: unused('reserve'),
      async all(orgId) {
        return (await run(
          `SELECT org_id, version, wrapped_key, messages FROM org_data_keys${
            orgId === undefined ? '' : ` WHERE org_id = ${literal(orgId)}`
          }`,
        )).map(toRow);
      },
      async rewrap(orgId, version, wrappedKey) {
        await run(
          `UPDATE org_data_keys SET wrapped_key = ${literal(wrappedKey)} WHERE org_id = ${
            literal(orgId)
          } AND version = ${literal(version)}`,
        );
      },
      async remove(orgId) {
        return (await run(`DELETE FROM org_data_keys WHERE org_id = ${literal(orgId)} RETURNING version`)).length;
      },
    },
    close() {},
  };
}
