/**
 * @module emitters/db-sqlite/print/db
 * `src/db/index.ts`: opens the SQLite database(s) with the configured driver. With
 * `splitDatabases`, auth tables live in their own file (AUTH_DATABASE_URL).
 */
import type { AppModel } from '../../../compiler/model/ir.js';
import { withBanner } from '../../banner.js';
import { lines, runtimeImport } from '../../print-utils.js';

export const DEFAULT_FEATURES_URL = 'file:./data/features.db';
export const DEFAULT_AUTH_URL = 'file:./data/auth.db';
export const DEFAULT_AUDIT_URL = 'file:./data/audit.db';

/** The audit log of unsafe actions: its own database, one append-only table, fail closed. */
export function auditLogLines(param: string, what: string, database: string): string[] {
  return [
    '',
    `/** Writes the audit event of an unsafe action to ${what} (its own database); throws when it cannot. */`,
    `export function createAuditLog(${param}): AuditLog {`,
    '  let audit: ReturnType<typeof drizzle> | undefined;',
    '  return async (event) => {',
    `    audit ??= drizzle(${database});`,
    '    await audit.run(sql`CREATE TABLE IF NOT EXISTS audit_events (id TEXT PRIMARY KEY, at TEXT NOT NULL, action TEXT NOT NULL, feature TEXT, user_id TEXT, organization_id TEXT, record_id TEXT, reason TEXT NOT NULL, request_id TEXT, method TEXT NOT NULL, path TEXT NOT NULL)`);',
    '    await audit.run(sql`INSERT INTO audit_events VALUES (${event.id}, ${event.at}, ${event.action}, ${event.feature}, ${event.userId}, ${event.organizationId}, ${event.recordId}, ${event.reason}, ${event.requestId}, ${event.method}, ${event.path})`);',
    '  };',
    '}',
  ];
}

function auditLog(driver: Driver): string[] {
  return auditLogLines(
    'env: Env',
    'AUDIT_DATABASE_URL',
    `open(env.AUDIT_DATABASE_URL ?? ${JSON.stringify(DEFAULT_AUDIT_URL)}${
      driver === 'libsql' ? ', env.AUDIT_DATABASE_AUTH_TOKEN' : ''
    })`,
  );
}

type Driver = 'better-sqlite3' | 'bun-sqlite' | 'libsql';

export function driverOf(model: AppModel): Driver {
  if (model.database.kind === 'libsql') return 'libsql';
  return model.runtime.kind === 'bun' ? 'bun-sqlite' : 'better-sqlite3';
}

const OPEN: Record<Driver, string[]> = {
  'better-sqlite3': [
    'import Database from "better-sqlite3";',
    'import { drizzle } from "drizzle-orm/better-sqlite3";',
    'import { ensureParentDir } from "./files.js";',
    '',
    'function open(url: string) {',
    '  const sqlite = new Database(ensureParentDir(url));',
    '  sqlite.pragma("journal_mode = WAL");',
    '  sqlite.pragma("foreign_keys = ON");',
    '  return sqlite;',
    '}',
  ],
  'bun-sqlite': [
    'import { Database } from "bun:sqlite";',
    'import { drizzle } from "drizzle-orm/bun-sqlite";',
    'import { ensureParentDir } from "./files.js";',
    '',
    'function open(url: string) {',
    '  const sqlite = new Database(ensureParentDir(url), { create: true });',
    '  sqlite.exec("PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON;");',
    '  return sqlite;',
    '}',
  ],
  libsql: [
    'import { createClient } from "@libsql/client";',
    'import { drizzle } from "drizzle-orm/libsql";',
    'import { ensureParentDir } from "./files.js";',
    '',
    '/** Local files (`file:`) or a libSQL/Turso server (`libsql://…` with an auth token). */',
    'function open(url: string, authToken?: string) {',
    '  if (url.startsWith("file:")) ensureParentDir(url);',
    '  return createClient({ url, authToken });',
    '}',
  ],
};

export function printDb(model: AppModel): string {
  const driver = driverOf(model);
  const token = (name: string) => (driver === 'libsql' ? `, env.${name}` : '');
  const split = model.database.splitDatabases;
  return withBanner(
    'ts',
    model.configFile,
    lines(
      ...OPEN[driver],
      '',
      'import type { Env } from "../env.js";',
      runtimeImport(['type TransactionMode', model.auditLog && 'type AuditLog']),
      model.auditLog ? 'import { sql } from "drizzle-orm";' : false,
      'import * as authSchema from "./auth-schema.js";',
      'import * as featureSchema from "./schema.js";',
      '',
      'export function createDatabases(env: Env) {',
      `  const features = drizzle(open(env.DATABASE_URL ?? ${JSON.stringify(DEFAULT_FEATURES_URL)}${
        token('DATABASE_AUTH_TOKEN')
      }), { schema: { ...featureSchema${split ? '' : ', ...authSchema'} } });`,
      split
        ? `  const auth = drizzle(open(env.AUTH_DATABASE_URL ?? ${JSON.stringify(DEFAULT_AUTH_URL)}${
          token('AUTH_DATABASE_AUTH_TOKEN')
        }), { schema: authSchema });`
        : '  const auth = features;',
      `  return { features, auth, close: async () => { features.$client.close();${
        split ? ' auth.$client.close();' : ''
      } } };`,
      '}',
      '',
      `/** ${
        driver === 'libsql'
          ? 'libsql transactions are asynchronous'
          : `${driver} holds a transaction synchronously (no await inside)`
      }. */`,
      `export const transactions: TransactionMode = ${JSON.stringify(driver === 'libsql' ? 'async' : 'sync')};`,
      '',
      'export type Databases = ReturnType<typeof createDatabases>;',
      'export type AuthDatabase = Databases["auth"];',
      ...(model.auditLog ? auditLog(driver) : []),
    ),
  );
}

export function printFiles(model: AppModel): string {
  return withBanner(
    'ts',
    model.configFile,
    lines(
      'import { mkdirSync } from "node:fs";',
      'import { dirname } from "node:path";',
      '',
      '/** `file:./data/x.db` → `./data/x.db`, creating `./data` when needed. */',
      'export function ensureParentDir(url: string): string {',
      '  const file = url.replace(/^file:/, "");',
      '  if (file !== ":memory:" && !file.startsWith("libsql:") && !file.startsWith("http")) mkdirSync(dirname(file), { recursive: true });',
      '  return file;',
      '}',
    ),
  );
}
