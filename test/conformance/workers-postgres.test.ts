/**
 * neon on Workers: the compiled Worker under workerd (miniflare), Neon's serverless driver over
 * WebSocket to the local PostgreSQL through the test proxy (NEON_WS_PROXY), a pool per request,
 * RLS on for every API query. The CRUD conformance suite runs over real HTTP against it.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyMigrations } from '../../src/compiler/migrate/apply.js';
import { compile } from '../../src/compiler/index.js';
import { pgReader } from '../helpers/pg-target.js';
import { createTestDatabase } from '../helpers/postgres.js';
import { copyFixture } from '../helpers/project.js';
import { startWorker } from '../helpers/worker.js';
import { startWsProxy } from '../helpers/ws-proxy.js';
import { crudConformance } from './crud.suite.js';

const NEON_ON_WORKERS: [string, string][] = [
  ['defineRuntime("node")', 'defineRuntime("cloudflare", { compatibilityDate: "2026-04-26" })'],
  ['defineDatabase("better-sqlite3"', 'defineDatabase("neon"'],
];

let proxy: Awaited<ReturnType<typeof startWsProxy>>;
crudConformance('cloudflare + neon (workerd, Neon over WebSocket, RLS)', async () => {
  proxy = await startWsProxy();
  const root = copyFixture('helpdesk', 'workers-neon', { config: NEON_ON_WORKERS });
  await compile({ cwd: root });
  const database = await createTestDatabase('workers_neon');
  await applyMigrations({ driver: 'node-postgres', url: database.url, migrationsFolder: path.join(root, 'quickback/drizzle/features') });
  const worker = await startWorker(root, { bindings: { DATABASE_URL: database.url, NEON_WS_PROXY: proxy.address } });
  return {
    name: 'workerd + neon', fetch: (request) => fetch(request), baseURL: worker.baseURL, ...pgReader(database.url),
    close: async () => { await worker.mf.dispose(); await proxy.close(); await database.drop(); },
  };
});

describe('cloudflare + neon', () => {
  it('reached PostgreSQL through the WebSocket proxy, a connection per request', () => expect(proxy.connections()).toBeGreaterThan(10));
});
