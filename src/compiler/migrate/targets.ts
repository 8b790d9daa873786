/**
 * @module compiler/migrate/targets
 * Which databases a project's migrations go to, resolved the way the generated app resolves them
 * (shared by `quickback migrate`, `quickback dev` and migration status): SQLite files or libsql URLs
 * from DATABASE_URL / AUTH_DATABASE_URL (.env, process environment wins; default ./data/<db>.db),
 * PostgreSQL from DATABASE_URL (.env, or .dev.vars on Workers), and on Cloudflare each D1 database
 * of wrangler.toml that has migrations, in wrangler's local state (.wrangler/state/v3/d1).
 * `local` says whether the database is on this machine; nothing here connects to anything.
 */
import { createHash, createHmac } from 'node:crypto';
import path from 'node:path';
import { maskedUrl } from '../../runtime/data/postgres/pg-connect.js';
import { readAppEnv } from '../load/env.js';
import { placeholderId, type D1Binding } from '../model/cloudflare.js';
import type { AppModel, DatabaseName } from '../model/ir.js';

export interface MigrationTarget {
  /** The journal: quickback/drizzle/<database>. */
  database: DatabaseName;
  kind: 'sqlite' | 'postgresql' | 'd1';
  /** sqlite: the driver that applies (better-sqlite3 or libsql); postgresql: node-postgres; d1: wrangler. */
  driver: 'better-sqlite3' | 'libsql' | 'node-postgres' | 'wrangler';
  /**
   * sqlite: the resolved URL (`file:/abs/path.db`, `libsql://…`, `:memory:`); postgresql: DATABASE_URL
   * (undefined when unset); d1: `file:` URL of wrangler's local SQLite file for the binding.
   */
  url: string | undefined;
  /** A local file (sqlite, d1) or a PostgreSQL server on this machine (127.0.0.1, localhost, ::1, a socket). */
  local: boolean;
  /** Absolute folder of the journaled migrations (meta/_journal.json inside). */
  migrationsFolder: string;
  /** The app folder (the generated output, where .env, wrangler.toml and .wrangler/ live). */
  appRoot: string;
  /** d1 only: the wrangler.toml binding. */
  d1?: D1Binding;
}

const REMOTE_SQLITE = /^(libsql|https?|wss?):/;

/** `file:./data/x.db` relative to the app root → an absolute file URL; remote URLs unchanged. */
export function resolveDatabaseUrl(url: string, appRoot: string): string {
  if (REMOTE_SQLITE.test(url) || url === ':memory:') return url;
  return `file:${path.resolve(appRoot, url.replace(/^file:/, ''))}`;
}

/** A PostgreSQL URL whose server is on this machine: 127.0.0.1 / localhost / ::1, or a Unix socket. */
export function isLocalPostgres(url: string): boolean {
  try {
    const parsed = new URL(url);
    const host = parsed.hostname.replace(/^\[|\]$/g, '') || parsed.searchParams.get('host') || '';
    return host === '' || host.startsWith('/') || host === 'localhost' || host === '::1' || /^127\./.test(host);
  } catch {
    return false;
  }
}

/** The name miniflare gives a D1 database's SQLite file: a Durable Object id derived from the database id. */
export function localD1File(appRoot: string, databaseId: string): string {
  const uniqueKey = 'miniflare-D1DatabaseObject';
  const key = createHash('sha256').update(uniqueKey).digest();
  const nameHmac = createHmac('sha256', key).update(databaseId).digest().subarray(0, 16);
  const hmac = createHmac('sha256', key).update(nameHmac).digest().subarray(0, 16);
  return path.join(
    appRoot,
    '.wrangler',
    'state',
    'v3',
    'd1',
    uniqueKey,
    `${Buffer.concat([nameHmac, hmac]).toString('hex')}.sqlite`,
  );
}

/** The databases `projectRoot`'s migrations apply to, features first, then auth where split. */
export function migrationTargets(projectRoot: string, model: AppModel): MigrationTarget[] {
  const appRoot = path.resolve(projectRoot, model.build.outputDir);
  const folder = (database: DatabaseName) => path.join(projectRoot, 'quickback', 'drizzle', database);
  if (model.database.dialect === 'postgresql') {
    const url = readAppEnv(appRoot, model.cloudflare ? '.dev.vars' : '.env').DATABASE_URL;
    return [{
      database: 'features',
      kind: 'postgresql',
      driver: 'node-postgres',
      url,
      local: url !== undefined && isLocalPostgres(url),
      migrationsFolder: folder('features'),
      appRoot,
    }];
  }
  if (model.cloudflare) {
    return model.cloudflare.d1.filter((d) => d.migrationsDir !== null && d.logical !== 'audit').map((d) => ({
      database: d.logical as DatabaseName,
      kind: 'd1',
      driver: 'wrangler',
      url: `file:${localD1File(appRoot, d.databaseId ?? placeholderId(d.logical))}`,
      local: !d.remote,
      migrationsFolder: path.join(projectRoot, d.migrationsDir!),
      appRoot,
      d1: d,
    }));
  }
  const env = readAppEnv(appRoot);
  const driver = model.database.kind === 'libsql' ? 'libsql' : 'better-sqlite3';
  const sqlite = (database: DatabaseName, given: string | undefined): MigrationTarget => {
    const url = resolveDatabaseUrl(given ?? `file:./data/${database}.db`, appRoot);
    return {
      database,
      kind: 'sqlite',
      driver,
      url,
      local: !REMOTE_SQLITE.test(url),
      migrationsFolder: folder(database),
      appRoot,
    };
  };
  return model.database.splitDatabases
    ? [sqlite('features', env.DATABASE_URL), sqlite('auth', env.AUTH_DATABASE_URL)]
    : [sqlite('features', env.DATABASE_URL)];
}

/** How a target is shown: the file path relative to the app folder, the masked server URL, or the D1 binding. */
export function targetLabel(target: MigrationTarget): string {
  if (target.kind === 'd1') return `${target.d1!.binding}, local D1`;
  if (target.url === undefined) return 'DATABASE_URL not set';
  if (target.kind === 'sqlite' && target.url.startsWith('file:'))
    return path.relative(target.appRoot, target.url.slice(5)) || target.url;
  return maskedUrl(target.url);
}
