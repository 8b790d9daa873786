/**
 * Conformance targets: a compiled fixture app reached in-process (`app.request`) or over real
 * HTTP, plus direct reads of its database so tests can verify nothing changed.
 */
import Database from 'better-sqlite3';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { compile } from '../../src/compiler/index.js';
import { applyMigrations } from '../../src/compiler/migrate/apply.js';
import type { FetchLike } from './client.js';
import { DEVELOPMENT, SECRET } from './project.js';

export interface ConformanceTarget {
  name: string;
  fetch: FetchLike;
  baseURL: string;
  /** A row straight from the features database (SQL table name, id). */
  readRow(table: string, id: string | number): Record<string, unknown> | undefined;
  countRows(table: string): number;
  close(): Promise<void>;
}

export function databaseFiles(root: string) {
  return { features: path.join(root, 'data', 'features.db'), auth: path.join(root, 'data', 'auth.db') };
}

export async function compileAndMigrate(
  root: string,
  driver: 'better-sqlite3' | 'libsql',
  split = true,
): Promise<void> {
  await compile({ cwd: root });
  const files = databaseFiles(root);
  await applyMigrations({
    driver,
    url: `file:${files.features}`,
    migrationsFolder: path.join(root, 'quickback/drizzle/features'),
  });
  if (split)
    await applyMigrations({
      driver,
      url: `file:${files.auth}`,
      migrationsFolder: path.join(root, 'quickback/drizzle/auth'),
    });
}

export function appEnv(root: string, baseURL: string, split = true): Record<string, string> {
  const files = databaseFiles(root);
  return {
    BETTER_AUTH_SECRET: SECRET,
    BETTER_AUTH_URL: baseURL,
    DATABASE_URL: `file:${files.features}`,
    ...(split ? { AUTH_DATABASE_URL: `file:${files.auth}` } : {}),
    NODE_ENV: 'test',
    ...DEVELOPMENT,
  };
}

export function dbReader(file: string): Pick<ConformanceTarget, 'readRow' | 'countRows'> {
  const open = () => new Database(file, { readonly: true, fileMustExist: true });
  return {
    readRow(table, id) {
      const db = open();
      try {
        return db.prepare(`SELECT * FROM "${table}" WHERE id = ?`).get(id) as Record<string, unknown> | undefined;
      } finally {
        db.close();
      }
    },
    countRows(table) {
      const db = open();
      try {
        return (db.prepare(`SELECT count(*) AS n FROM "${table}"`).get() as { n: number }).n;
      } finally {
        db.close();
      }
    },
  };
}

/** Compiles, migrates and imports the app, then serves it through `app.request()`. */
export async function inProcessTarget(
  root: string,
  driver: 'better-sqlite3' | 'libsql',
  split = true,
  env: Record<string, string> = {},
): Promise<ConformanceTarget> {
  await compileAndMigrate(root, driver, split);
  const baseURL = 'http://127.0.0.1:3000';
  const entry = path.join(root, 'src', 'index.ts');
  if (!existsSync(entry)) throw new Error(`compile produced no ${entry}`);
  const { createApp } = await import(pathToFileURL(entry).href);
  const app = createApp({ ...appEnv(root, baseURL, split), ...env });
  return {
    name: `in-process ${driver}`,
    fetch: async (request) => app.request(request),
    baseURL,
    ...dbReader(databaseFiles(root).features),
    close: async () => {},
  };
}
