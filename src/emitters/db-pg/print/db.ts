/**
 * @module emitters/db-pg/print/db
 * `src/db/index.ts` for PostgreSQL (neon, supabase) on Node and Bun: one database (DATABASE_URL)
 * holds the auth and feature tables. Any PostgreSQL URL works through node-postgres; a Neon URL
 * (`*.neon.tech`, or any URL while NEON_WS_PROXY names a local WebSocket proxy) goes through
 * Neon's serverless driver over WebSocket, with `pooled` choosing the `-pooler` endpoint. Both
 * hold interactive transactions, which the per-request RLS claims need.
 */
import type { AppModel } from '../../../compiler/model/ir.js';
import { withBanner } from '../../banner.js';
import {
  lines,
  namedImports,
  runtimeImport,
  type ImportName,
  type ImportSpec,
  type RuntimeName,
} from '../../print-utils.js';
import { BEGIN_RUNTIME, beginImports, beginLines } from './begin.js';

/** The printed `neonEndpoint(url)` (Node, Bun and Workers). */
export function neonEndpointLines(model: AppModel): string[] {
  const pooled = model.database.neon?.pooled ?? true;
  return [
    '',
    '/**',
    " * `pooled`: Neon's connection pooler (`ep-x-pooler.…`). Requests are safe behind it (role and claims per transaction);",
    ' * the `SET ROLE service_role` of the work outside requests is per connection, which a transaction-mode pooler does not keep.',
    ' */',
    'function neonEndpoint(url: string): string {',
    '  const parsed = new URL(url);',
    '  const [first, ...rest] = parsed.hostname.split(".");',
    '  if (!parsed.hostname.endsWith(".neon.tech")) return url;',
    `  parsed.hostname = [${
      pooled ? 'first.endsWith("-pooler") ? first : `${first}-pooler`' : 'first.replace(/-pooler$/, "")'
    }, ...rest].join(".");`,
    '  return parsed.toString();',
    '}',
  ];
}

/** NEON_WS_PROXY (`host:port`): the driver's WebSocket goes to that proxy in plain ws (tests, offline development). */
export function neonProxyLines(from: string): string[] {
  return [
    `  if (${from}.NEON_WS_PROXY) {`,
    `    const proxy = ${from}.NEON_WS_PROXY;`,
    '    neonConfig.wsProxy = (host, port) => `${proxy}/v2?address=${host}:${port}`;',
    '    neonConfig.useSecureWebSocket = false;',
    '    neonConfig.pipelineTLS = false;',
    '    neonConfig.pipelineConnect = false;',
    '  }',
  ];
}

/**
 * The printed `boundedNeonPool(config, ms)`: Neon's Pool with each connection bounded as
 * node-postgres's are (boundedClient). Neon's Pool sets its own Client class on the instance,
 * over any `Client` option, so the bound goes on that class.
 */
export function boundedNeonPoolLines(pool: string): string[] {
  return [
    '',
    `/** Neon's pool, each connection bounded by QUICKBACK_DEPENDENCY_TIMEOUT_MS as node-postgres's are (its Client class is its own, not an option). */`,
    `function boundedNeonPool(config: NeonPoolConfig, ms: number): ${pool} {`,
    `  const pool = new ${pool}(config);`,
    '  pool.Client = class extends pool.Client {',
    '    constructor(config?: string | NeonClientConfig) {',
    '      super({ ...(typeof config === "string" ? { connectionString: config } : config), connectionTimeoutMillis: ms, query_timeout: ms });',
    '    }',
    '  };',
    '  return pool;',
    '}',
  ];
}

function neonLines(model: AppModel): string[] {
  return [
    ...neonEndpointLines(model),
    ...boundedNeonPoolLines('NeonPool'),
    '',
    '/** Neon over WebSocket: `*.neon.tech`, or a local server behind NEON_WS_PROXY (tests, offline development). */',
    'function openNeon(url: string, env: Env) {',
    '  neonConfig.webSocketConstructor ??= ws;',
    ...neonProxyLines('env'),
    '  const pool = boundedNeonPool({ connectionString: neonEndpoint(url), ...serviceSession }, dependencyTimeout(env));',
    '  pool.on("error", (err: Error) => log.error("idle database connection closed:", err));',
    '  return drizzleNeon(pool, { schema });',
    '}',
  ];
}

export function printDb(model: AppModel): string {
  const neon = model.database.kind === 'neon';
  return withBanner(
    'ts',
    model.configFile,
    lines(
      'import pg from "pg";',
      neon ? 'import ws from "ws";' : false,
      ...namedImports([
        ['drizzle-orm/node-postgres', ['drizzle']],
        neon && ['@neondatabase/serverless', NEON_POOL_IMPORTS('Pool as NeonPool')],
        neon && ['drizzle-orm/neon-serverless', ['drizzle as drizzleNeon']],
        ...beginImports(neon ? ['pg', 'neon'] : ['pg']),
        ...moduleImports(model, 'Env'),
      ]),
      runtimeImport([
        ...BEGIN_RUNTIME,
        ...moduleRuntime(model),
        'apiDatabaseUrl',
        'serviceSession',
        'log',
        'dependencyTimeout',
      ]),
      SCHEMA_IMPORT,
      ...(neon ? neonLines(model) : []),
      '',
      '/**',
      ' * Connections bounded by QUICKBACK_DEPENDENCY_TIMEOUT_MS: one not up, or a query not answered, within it fails',
      ' * (503 DATABASE_UNAVAILABLE) instead of hanging. Waiting for a free pooled connection is load, not a fault: not bounded.',
      ' */',
      'function boundedClient(ms: number) {',
      '  return class extends pg.Client {',
      '    constructor(config?: pg.ClientConfig) {',
      '      super({ ...config, connectionTimeoutMillis: ms, query_timeout: ms });',
      '    }',
      '  };',
      '}',
      '',
      "/** node-postgres: any PostgreSQL URL (a local server, Supabase's, a Neon URL outside Neon's driver). */",
      'function openPg(url: string, env: Env) {',
      '  const pool = new pg.Pool({ connectionString: url, ...serviceSession, Client: boundedClient(dependencyTimeout(env)) });',
      '  // An idle connection the server closed (restart, failover) must not crash the process; the pool replaces it.',
      '  pool.on("error", (err: Error) => log.error("idle database connection closed:", err));',
      '  return drizzle(pool, { schema });',
      '}',
      '',
      "/** The database handle the routes and Better Auth use: as `service_role`, and `authenticated`/`anon` in a request's transaction. */",
      'export function open(url: string, env: Env) {',
      neon
        ? '  if (new URL(url).hostname.endsWith(".neon.tech") || env.NEON_WS_PROXY) return openNeon(url, env) as unknown as ReturnType<typeof openPg>;'
        : false,
      '  return openPg(url, env);',
      '}',
      '',
      '/** The API logs in as `quickback_api` (API_DATABASE_URL, or DATABASE_URL with that user), never as the owner of the tables. */',
      'export function createDatabases(env: Env) {',
      '  const url = apiDatabaseUrl(env);',
      '  if (!url) throw new Error("DATABASE_URL is not set");',
      '  const features = open(url, env);',
      "  // `close`: the server's shutdown ends the pool, so PostgreSQL sees its connections end.",
      '  return { features, auth: features, close: () => features.$client.end() };',
      '}',
      '',
      ...beginLines(neon ? ['pg', 'neon'] : ['pg'], 'ReturnType<typeof open>'),
      '',
      '/** PostgreSQL transactions are asynchronous (`db.transaction(async tx => ...)`; nested ones are savepoints). */',
      'export const transactions: TransactionMode = "async";',
      '',
      'export type Databases = ReturnType<typeof createDatabases>;',
      'export type AuthDatabase = Databases["auth"];',
      ...(model.auditLog ? auditLog() : []),
    ),
  );
}

/** The named imports every PostgreSQL database module has: its environment type, the audit log's `sql`. */
export function moduleImports(model: AppModel, env: 'Env' | 'Bindings'): ImportSpec[] {
  return [...(model.auditLog ? [['drizzle-orm', ['sql']] as const] : []), ['../env.js', [`type ${env}`]]];
}

/** Every PostgreSQL database module's schema import (after its named imports). */
export const SCHEMA_IMPORT = 'import * as schema from "./schema.js";';

/** What a PostgreSQL database module takes from Neon's serverless driver, its Pool named `pool`. */
export const NEON_POOL_IMPORTS = (pool: string): ImportName[] => [
  pool,
  'neonConfig',
  'type ClientConfig as NeonClientConfig',
  'type PoolConfig as NeonPoolConfig',
];

/** The runtime names every PostgreSQL database module uses: the transaction mode, the audit log's type. */
export function moduleRuntime(model: AppModel): RuntimeName[] {
  return ['type TransactionMode', model.auditLog && 'type AuditLog'];
}

/** The printed statements that write `event` through the drizzle handle `audit` (every PostgreSQL driver). */
export function auditWriteLines(indent: string): string[] {
  return [
    'await audit.execute(sql`CREATE TABLE IF NOT EXISTS audit_events (id TEXT PRIMARY KEY, at TEXT NOT NULL, action TEXT NOT NULL, feature TEXT, user_id TEXT, organization_id TEXT, record_id TEXT, reason TEXT NOT NULL, request_id TEXT, method TEXT NOT NULL, path TEXT NOT NULL)`);',
    'await audit.execute(sql`INSERT INTO audit_events VALUES (${event.id}, ${event.at}, ${event.action}, ${event.feature}, ${event.userId}, ${event.organizationId}, ${event.recordId}, ${event.reason}, ${event.requestId}, ${event.method}, ${event.path})`);',
  ].map((line) => `${indent}${line}`);
}

function auditLog(): string[] {
  return [
    '',
    '/** Writes the audit event of an unsafe action to AUDIT_DATABASE_URL (default DATABASE_URL); throws when it cannot. */',
    'export function createAuditLog(env: Env): AuditLog {',
    '  let audit: ReturnType<typeof drizzle> | undefined;',
    '  return async (event) => {',
    '    if (!audit) {',
    '      const pool = new pg.Pool({ connectionString: env.AUDIT_DATABASE_URL ?? env.DATABASE_URL });',
    '      pool.on("error", (err: Error) => log.error("idle audit database connection closed:", err));',
    '      audit = drizzle(pool);',
    '    }',
    ...auditWriteLines('    '),
    '  };',
    '}',
  ];
}
