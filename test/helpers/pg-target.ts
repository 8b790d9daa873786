/**
 * PostgreSQL conformance targets (neon, supabase): a compiled fixture app on its own throw-away
 * database of the local server, migrated (schema and RLS layer), served in-process through
 * `app.request()`. Direct reads go through psql (synchronous, like the SQLite readers) as the
 * migrating role, which sees every row.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { compile } from '../../src/compiler/index.js';
import { applyMigrations } from '../../src/compiler/migrate/apply.js';
import { createTestDatabase } from './postgres.js';
import { startServer } from './server.js';
import { DEVELOPMENT, SECRET } from './project.js';
import type { ConformanceTarget } from './target.js';

export function psql(url: string, sql: string, vars: Record<string, string> = {}): string {
  const args = [url, '-AtX', '-v', 'ON_ERROR_STOP=1', ...Object.entries(vars).flatMap(([k, v]) => ['-v', `${k}=${v}`])];
  return execFileSync('psql', args, { input: sql, encoding: 'utf8', timeout: 30_000 }).trim();
}

export function pgReader(url: string): Pick<ConformanceTarget, 'readRow' | 'countRows'> {
  return {
    readRow(table, id) {
      const out = psql(url, `SELECT row_to_json(t) FROM public."${table}" t WHERE id::text = :'id'`, {
        id: String(id),
      });
      return out ? (JSON.parse(out) as Record<string, unknown>) : undefined;
    },
    countRows: (table) => Number(psql(url, `SELECT count(*) FROM public."${table}"`)),
  };
}

export async function compileAndMigratePg(root: string, url: string): Promise<void> {
  await compile({ cwd: root });
  await applyMigrations({
    driver: 'node-postgres',
    url,
    migrationsFolder: path.join(root, 'quickback/drizzle/features'),
  });
}

/** Compiles and migrates the app onto a fresh database, then serves it through `app.request()`. */
type App = { request(r: Request): Promise<Response> };

export async function pgInProcessTarget(
  root: string,
  label: string,
  env: Record<string, string> = {},
): Promise<ConformanceTarget & { url: string; app: App; createApp(extra: Record<string, string>): App }> {
  const database = await createTestDatabase(label);
  await compileAndMigratePg(root, database.url);
  const baseURL = 'http://127.0.0.1:3000';
  const entry = path.join(root, 'src', 'index.ts');
  if (!existsSync(entry)) throw new Error(`compile produced no ${entry}`);
  const { createApp } = await import(pathToFileURL(entry).href);
  const appEnv = {
    BETTER_AUTH_SECRET: SECRET,
    BETTER_AUTH_URL: baseURL,
    DATABASE_URL: database.url,
    NODE_ENV: 'test',
    ...DEVELOPMENT,
    ...env,
  };
  const app = createApp(appEnv);
  return {
    name: `in-process ${label}`,
    url: database.url,
    app,
    createApp: (extra) => createApp({ ...appEnv, ...extra }),
    fetch: async (request) => app.request(request),
    baseURL,
    ...pgReader(database.url),
    close: async () => {
      await database.drop();
    },
  };
}

/** Compiles and migrates the app onto a fresh database, then starts it as a real server (Node through tsx, or Bun) on 127.0.0.1. */
export async function pgServerTarget(
  root: string,
  label: string,
  runtime: 'node' | 'bun',
  env: Record<string, string> = {},
): Promise<ConformanceTarget> {
  const database = await createTestDatabase(label);
  await compileAndMigratePg(root, database.url);
  const server = await startServer(root, runtime, false, { env: { DATABASE_URL: database.url, ...env } });
  return {
    name: `${runtime} server ${label}`,
    fetch: (request) => fetch(request),
    baseURL: server.baseURL,
    ...pgReader(database.url),
    close: async () => {
      await server.stop();
      await database.drop();
    },
  };
}
