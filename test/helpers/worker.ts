/**
 * Cloudflare Workers targets: the compiled Worker (src/worker.ts) bundled as wrangler bundles it
 * (esbuild, workerd conditions, nodejs_compat), run by miniflare under workerd with the D1, KV, R2
 * bindings of the emitted wrangler.toml, the emitted migrations applied, and served over real HTTP
 * on 127.0.0.1. No network: `cf: false`. Rows are read from the persisted D1 SQLite files.
 */
import Database from 'better-sqlite3';
import { build } from 'esbuild';
import { Miniflare, type Log, type MiniflareOptions } from 'miniflare';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'smol-toml';
import { compile } from '../../src/compiler/index.js';
import { DEVELOPMENT, SECRET } from './project.js';
import { freePort } from './server.js';
import type { ConformanceTarget } from './target.js';

export interface Wrangler {
  name: string;
  compatibility_date?: string;
  compatibility_flags?: string[];
  d1_databases?: { binding: string; database_name: string; database_id: string; migrations_dir?: string }[];
  kv_namespaces?: { binding: string; id: string }[];
  r2_buckets?: { binding: string; bucket_name: string }[];
  durable_objects?: { bindings: { name: string; class_name: string }[] };
  services?: { binding: string; service: string }[];
  send_email?: { name: string }[];
  vars?: Record<string, string>;
}

export const readWrangler = (root: string) =>
  parse(readFileSync(path.join(root, 'wrangler.toml'), 'utf8')) as unknown as Wrangler;

/** The Worker as one ES module (what `wrangler deploy` uploads). */
export async function bundleWorker(root: string): Promise<string> {
  const result = await build({
    entryPoints: [path.join(root, 'src', 'worker.ts')],
    bundle: true,
    format: 'esm',
    write: false,
    platform: 'browser',
    conditions: ['workerd', 'worker', 'browser'],
    target: 'es2022',
    external: ['node:*', 'cloudflare:*'],
    logLevel: 'silent',
  });
  return result.outputFiles[0].text;
}

/** Journaled migrations (all, or one file's) as D1 statements, in journal order (drizzle's `--> statement-breakpoint`). */
export function migrationStatements(dir: string, only?: string): string[] {
  const files = only ? [only] : readdirSync(dir).filter((f) => f.endsWith('.sql')).sort();
  return files.flatMap((f) =>
    readFileSync(path.join(dir, f), 'utf8').split('--> statement-breakpoint').map((s) => s.trim()).filter(Boolean)
  );
}

export interface WorkerOptions {
  bindings?: Record<string, string>;
  /** Extra miniflare options for the main worker. */
  extra?: Partial<MiniflareOptions>;
  /** Compiled Workers next to the main one (service binding targets), each with its D1 migrated; only the main one is served. */
  siblings?: { root: string; bindings?: Record<string, string> }[];
  /** Further Workers after those, as given (e.g. the implementations of wrapped bindings). */
  workers?: MiniflareOptions[];
  /** Miniflare's logger (tests read what the send_email binding logs). */
  log?: Log;
  /** The folder of the persisted bindings under .wrangler/ (a second Worker of the same project needs its own). */
  state?: string;
  /** As deployed: no NODE_ENV and no development marker (.dev.vars is never uploaded). */
  production?: boolean;
  /** false: leave the D1 databases unmigrated (apply them later with `migrate`). */
  migrate?: boolean;
}

/** One compiled Worker as wrangler.toml describes it (D1, KV and service bindings), with the test secrets. */
async function workerConfig(root: string, bindings: Record<string, string>): Promise<MiniflareOptions> {
  const wrangler = readWrangler(root);
  return {
    name: wrangler.name,
    modules: [{ type: 'ESModule', path: path.join(root, 'worker.js'), contents: await bundleWorker(root) }],
    compatibilityDate: wrangler.compatibility_date ?? '2026-04-26',
    compatibilityFlags: wrangler.compatibility_flags,
    d1Databases: Object.fromEntries((wrangler.d1_databases ?? []).map((d) => [d.binding, d.database_id])),
    kvNamespaces: Object.fromEntries((wrangler.kv_namespaces ?? []).map((k) => [k.binding, k.id])),
    r2Buckets: Object.fromEntries((wrangler.r2_buckets ?? []).map((b) => [b.binding, b.bucket_name])),
    durableObjects: Object.fromEntries((wrangler.durable_objects?.bindings ?? []).map((d) => [d.name, d.class_name])),
    serviceBindings: Object.fromEntries((wrangler.services ?? []).map((s) => [s.binding, s.service])),
    ...(wrangler.send_email ? { email: { send_email: wrangler.send_email.map((e) => ({ name: e.name })) } } : {}),
    bindings: { ...wrangler.vars, ...bindings },
  } as MiniflareOptions;
}

/** wrangler's own record of applied migrations (`wrangler d1 migrations apply`): one row per file name. */
const D1_MIGRATIONS =
  'CREATE TABLE IF NOT EXISTS d1_migrations (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT UNIQUE, applied_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP)';

/** Applies the journaled migrations not applied yet, and records them as wrangler does (the app reads d1_migrations). */
export async function migrate(mf: Miniflare, root: string, workerName: string): Promise<void> {
  for (const d of readWrangler(root).d1_databases ?? []) {
    if (!d.migrations_dir) continue;
    const db = await mf.getD1Database(d.binding, workerName);
    const dir = path.join(root, d.migrations_dir);
    if (!existsSync(dir)) continue;
    await db.prepare(D1_MIGRATIONS).run();
    const applied = new Set(
      (await db.prepare('SELECT name FROM d1_migrations').all<{ name: string }>()).results.map((r) => r.name),
    );
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.sql') && !applied.has(f)).sort()) {
      const statements = migrationStatements(dir, file);
      await db.batch([
        ...statements.map((s) => db.prepare(s)),
        db.prepare('INSERT INTO d1_migrations (name) VALUES (?)').bind(file),
      ]);
    }
  }
}

export async function startWorker(root: string, options: WorkerOptions = {}) {
  const wrangler = readWrangler(root);
  const persist = path.join(root, '.wrangler', options.state ?? 'test-state');
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const secrets = {
    BETTER_AUTH_SECRET: SECRET,
    BETTER_AUTH_URL: origin,
    ...(options.production ? {} : { NODE_ENV: 'test', ...DEVELOPMENT }),
  };
  const main = {
    ...(await workerConfig(root, { ...secrets, ...options.bindings })),
    ...options.extra,
  } as MiniflareOptions;
  const siblings = await Promise.all(
    (options.siblings ?? []).map((s) => workerConfig(s.root, { ...secrets, ...s.bindings })),
  );
  const mf = new Miniflare({
    host: '127.0.0.1',
    port,
    cf: false,
    ...(options.log ? { log: options.log } : {}),
    d1Persist: persist,
    kvPersist: path.join(persist, 'kv'),
    r2Persist: path.join(persist, 'r2'),
    durableObjectsPersist: path.join(persist, 'do'),
    workers: [main, ...siblings, ...(options.workers ?? [])],
  } as MiniflareOptions);
  await mf.ready;
  if (options.migrate !== false) await migrate(mf, root, wrangler.name);
  for (const [i, sibling] of (options.siblings ?? []).entries()) await migrate(mf, sibling.root, siblings[i].name!);
  return { mf, baseURL: origin, persist, wrangler };
}

/** The persisted D1 file holding `table` (miniflare names files by a hash of the database id). */
function d1FileWith(persist: string, table: string): string {
  const dir = path.join(persist, 'miniflare-D1DatabaseObject');
  for (
    const file of existsSync(dir)
      ? readdirSync(dir).filter((f) => f.endsWith('.sqlite') && f !== 'metadata.sqlite')
      : []
  ) {
    const db = new Database(path.join(dir, file), { readonly: true, fileMustExist: true });
    try {
      if (db.prepare('SELECT 1 FROM sqlite_master WHERE type = ? AND name = ?').get('table', table))
        return path.join(dir, file);
    } finally {
      db.close();
    }
  }
  throw new Error(`no D1 database under ${dir} has a table "${table}"`);
}

function d1Reader(persist: string): Pick<ConformanceTarget, 'readRow' | 'countRows'> {
  const query = <T>(table: string, sql: string, ...args: unknown[]) => {
    const db = new Database(d1FileWith(persist, table), { readonly: true, fileMustExist: true });
    try {
      return db.prepare(sql).get(...args) as T;
    } finally {
      db.close();
    }
  };
  return {
    readRow: (table, id) =>
      query<Record<string, unknown> | undefined>(table, `SELECT * FROM "${table}" WHERE id = ?`, id),
    countRows: (table) => query<{ n: number }>(table, `SELECT count(*) AS n FROM "${table}"`).n,
  };
}

/** Compiles the project, then serves the Worker under workerd (miniflare) on 127.0.0.1. */
export async function workerTarget(root: string, options: WorkerOptions = {}): Promise<ConformanceTarget> {
  await compile({ cwd: root });
  const worker = await startWorker(root, options);
  return {
    name: 'cloudflare worker (miniflare, D1)',
    fetch: (request) => fetch(request),
    baseURL: worker.baseURL,
    ...d1Reader(worker.persist),
    close: () => worker.mf.dispose(),
  };
}

/** A helpdesk config turned into the Cloudflare target (runtime cloudflare, database D1). */
export const CLOUDFLARE: [string, string][] = [
  ['defineRuntime("node")', 'defineRuntime("cloudflare", { compatibilityDate: "2026-04-26" })'],
  ['defineDatabase("better-sqlite3"', 'defineDatabase("cloudflare-d1"'],
];

/**
 * The helpdesk as an API whose users and sessions belong to the Worker "helpdesk-auth"
 * (`defineAuth("external")` through the service binding AUTH_SERVICE), with its own D1 id.
 */
export const EXTERNAL_AUTH: [string, string][] = [
  ...CLOUDFLARE,
  ['name: "helpdesk"', 'name: "helpdesk-api"'],
  [
    'defineDatabase("cloudflare-d1", {',
    'defineDatabase("cloudflare-d1", { databaseId: "0a0a0a0a-0000-4000-8000-00000000000a",',
  ],
  [
    `defineAuth("better-auth", {
      session: { expiresInDays: 7, updateAgeInDays: 1 },
      emailAndPassword: { enabled: true, minPasswordLength: 10 },
    })`,
    'defineAuth("external", { service: "helpdesk-auth" })',
  ],
];
