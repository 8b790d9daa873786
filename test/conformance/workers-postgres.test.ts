/**
 * neon on Workers: the compiled Worker under workerd (miniflare) against the local PostgreSQL,
 * RLS on for every API query, the CRUD conformance suite over real HTTP, in both transports:
 * - `auto` (HTTP on Workers): Neon's SQL-over-HTTP driver through the test endpoint
 *   (NEON_HTTP_ENDPOINT), every query its own transaction carrying the request's RLS prelude;
 * - `websocket`: Neon's serverless driver through the test proxy (NEON_WS_PROXY), a pool per
 *   request holding the request's transaction.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyMigrations } from '../../src/compiler/migrate/apply.js';
import { compile } from '../../src/compiler/index.js';
import { startNeonHttpEndpoint } from '../helpers/neon-http.js';
import { pgReader } from '../helpers/pg-target.js';
import { createTestDatabase } from '../helpers/postgres.js';
import { copyFixture } from '../helpers/project.js';
import { startWorker } from '../helpers/worker.js';
import { startWsProxy } from '../helpers/ws-proxy.js';
import { crudConformance } from './crud.suite.js';
import type { ConformanceTarget } from '../helpers/target.js';

const ON_WORKERS: [string, string] = [
  'defineRuntime("node")',
  'defineRuntime("cloudflare", { compatibilityDate: "2026-04-26" })',
];

async function workerTarget(
  label: string,
  database: [string, string],
  bindings: (url: string) => Record<string, string>,
  stop: () => Promise<void>,
): Promise<ConformanceTarget> {
  const root = copyFixture('helpdesk', label, { config: [ON_WORKERS, database] });
  await compile({ cwd: root });
  const db = await createTestDatabase(label.replace(/-/g, '_'));
  await applyMigrations({
    driver: 'node-postgres',
    url: db.url,
    migrationsFolder: path.join(root, 'quickback/drizzle/features'),
  });
  const worker = await startWorker(root, { bindings: { DATABASE_URL: db.url, ...bindings(db.url) } });
  return {
    name: `workerd + ${label}`,
    fetch: (request) => fetch(request),
    baseURL: worker.baseURL,
    ...pgReader(db.url),
    close: async () => {
      await worker.mf.dispose();
      await stop();
      await db.drop();
    },
  };
}

let endpoint: Awaited<ReturnType<typeof startNeonHttpEndpoint>>;
crudConformance('cloudflare + neon (workerd, auto = Neon over HTTP, RLS)', async () => {
  endpoint = await startNeonHttpEndpoint();
  return workerTarget(
    'workers-neon-http',
    ['defineDatabase("better-sqlite3"', 'defineDatabase("neon"'],
    () => ({ NEON_HTTP_ENDPOINT: endpoint.url }),
    () => endpoint.close(),
  );
});

let proxy: Awaited<ReturnType<typeof startWsProxy>>;
crudConformance('cloudflare + neon (workerd, Neon over WebSocket, RLS)', async () => {
  proxy = await startWsProxy();
  return workerTarget(
    'workers-neon-ws',
    ['defineDatabase("better-sqlite3", {', 'defineDatabase("neon", { connectionMode: "websocket",'],
    () => ({ NEON_WS_PROXY: proxy.address }),
    () => proxy.close(),
  );
});

describe('cloudflare + neon', () => {
  it('auto: sent every query to the HTTP endpoint, each with its RLS prelude', () => {
    expect(endpoint.requests()).toBeGreaterThan(10);
    expect(endpoint.statements()).toBeGreaterThan(endpoint.requests());
  });
  it('websocket: reached PostgreSQL through the WebSocket proxy, a connection per request', () =>
    expect(proxy.connections()).toBeGreaterThan(10));
});
