/**
 * A failing dependency is a coded 503, fast (issue #31 part 1): the compiled app as a real Node
 * server (and Bun for Redis), its Redis and PostgreSQL reached through a TCP proxy on loopback
 * (test/helpers/tcp-proxy.ts) that we make refuse connections or stall (accept, forward nothing).
 * Signed-in requests and Better Auth's sign-in answer 503 STORAGE_UNAVAILABLE (Redis) or
 * DATABASE_UNAVAILABLE (PostgreSQL) with the error envelope, well within the bound (default 2 s;
 * asserted generously), and the next request after the dependency is back works, no restart.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCaller, signUp, type Caller } from '../helpers/client.js';
import { copyFixture } from '../helpers/project.js';
import { compileAndMigratePg } from '../helpers/pg-target.js';
import { createTestDatabase, PGLITE } from '../helpers/postgres.js';
import { hasBun, startServer } from '../helpers/server.js';
import { compileAndMigrate } from '../helpers/target.js';
import { startTcpProxy, type TcpProxy } from '../helpers/tcp-proxy.js';
import { startNeonHttpEndpoint } from '../helpers/neon-http.js';
import { startWsProxy } from '../helpers/ws-proxy.js';

/** Generous: the app's bound is 1 s here (QUICKBACK_DEPENDENCY_TIMEOUT_MS), the stall lasts as long as the test. */
const BOUND_MS = 8_000;
const ENV = { QUICKBACK_DEPENDENCY_TIMEOUT_MS: '1000' };

async function timed<T>(work: () => Promise<T>): Promise<{ result: T; ms: number }> {
  const start = Date.now();
  const result = await work();
  return { result, ms: Date.now() - start };
}

/** Polls until `ok` (recovery: a reconnect takes the client's backoff, well under a few seconds). */
async function eventually(probe: () => Promise<boolean>, ms = 15_000): Promise<void> {
  const until = Date.now() + ms;
  while (!(await probe())) {
    if (Date.now() > until) throw new Error('did not recover');
    await new Promise((r) => setTimeout(r, 200));
  }
}

function faultCases(
  label: string,
  code: string,
  setup: () => Promise<{ baseURL: string; proxy: TcpProxy; stop(): Promise<void> }>,
) {
  describe(label, () => {
    let baseURL: string;
    let proxy: TcpProxy;
    let stop: () => Promise<void>;
    let ada: Caller & { email: string };
    let healthy: number;
    const list = () => ada.api('GET', '/api/v1/tickets', undefined, { 'x-forwarded-for': '10.9.9.9' });
    const signIn = () =>
      createCaller(fetch, baseURL).api('POST', '/auth/v1/sign-in/email', {
        email: ada.email,
        password: 'correct-horse-battery',
      });

    beforeAll(async () => {
      ({ baseURL, proxy, stop } = await setup());
      ada = await signUp(fetch, baseURL, 'Ada');
      healthy = (await list()).status;
      expect(healthy).toBeLessThan(500);
    }, 120_000);
    afterAll(async () => {
      await stop?.();
      await proxy?.close();
    });

    for (const mode of ['refuse', 'stall'] as const) {
      it(`${mode}: signed-in requests and sign-in answer 503 ${code} within the bound, then recover`, async () => {
        await proxy.setMode('forward'); // each case starts healthy, whatever the last one left
        await eventually(async () => (await list()).status === healthy);
        await proxy.setMode(mode);
        const api = await timed(() => list());
        const auth = await timed(() => signIn());
        console.log(
          `${label} ${mode}: api ${api.result.status} in ${api.ms} ms, sign-in ${auth.result.status} in ${auth.ms} ms`,
          JSON.stringify(auth.result.body),
        );
        for (const { result, ms } of [api, auth]) {
          expect(result.status).toBe(503);
          expect(result.body).toMatchObject({
            code,
            layer: expect.any(String),
            error: expect.any(String),
            hint: expect.any(String),
          });
          expect(ms).toBeLessThan(BOUND_MS);
        }
        await proxy.setMode('forward');
        await eventually(async () => (await list()).status === healthy);
        expect((await signIn()).status).toBe(200);
      }, 60_000);
    }
  });
}

const REDIS_CONFIG: [string, string][] = [
  [
    '    auth: defineAuth("better-auth", {',
    '    storage: defineStorage("redis", { url: "redis://127.0.0.1:6379" }),\n    auth: defineAuth("better-auth", {',
  ],
  ['import { defineAuth,', 'import { defineStorage, defineAuth,'],
];

/** The project compiled for its runtime (on Bun, better-sqlite3 is bun:sqlite). */
async function redisServer(runtime: 'node' | 'bun') {
  const config: [string, string][] = [
    ...REDIS_CONFIG,
    ...(runtime === 'bun' ? [['defineRuntime("node")', 'defineRuntime("bun")'] as [string, string]] : []),
  ];
  const root = copyFixture('helpdesk', `dep-faults-redis-${runtime}`, { config });
  await compileAndMigrate(root, 'better-sqlite3');
  const proxy = await startTcpProxy({ port: 6379 });
  const server = await startServer(root, runtime, true, {
    env: { ...ENV, REDIS_URL: `redis://127.0.0.1:${proxy.port}` },
  });
  return { baseURL: server.baseURL, proxy, stop: server.stop };
}

faultCases('node server + Redis storage', 'STORAGE_UNAVAILABLE', () => redisServer('node'));
if (hasBun()) faultCases('bun server + Redis storage', 'STORAGE_UNAVAILABLE', () => redisServer('bun'));

/**
 * A PostgreSQL app (`database`: the fixture's replacement) on a Node (or Bun) server. `route(url, proxy)`: the
 * server's env, given the database URL and the TCP proxy; the proxy sits in front of PostgreSQL
 * unless `extra.target` names another port (Neon's HTTP endpoint); `extra.close` ends the helpers.
 */
async function pgServer(
  label: string,
  database: string,
  route: (url: URL, proxy: TcpProxy) => Record<string, string>,
  extra: { target?: number; close?(): Promise<void>; runtime?: 'node' | 'bun' } = {},
) {
  const runtime = extra.runtime ?? 'node';
  const config: [string, string][] = [
    ['defineDatabase("better-sqlite3", {', `defineDatabase(${database}`],
    ...(runtime === 'bun' ? [['defineRuntime("node")', 'defineRuntime("bun")'] as [string, string]] : []),
  ];
  const root = copyFixture('helpdesk', `dep-faults-${label}`, { config });
  const db = await createTestDatabase(`dep_faults_${label.replace(/-/g, '_')}`);
  await compileAndMigratePg(root, db.url); // direct; the server goes through the proxy
  const proxy = await startTcpProxy({ port: extra.target ?? 5432 });
  const server = await startServer(root, runtime, false, { env: { ...ENV, ...route(new URL(db.url), proxy) } });
  return {
    baseURL: server.baseURL,
    proxy,
    stop: async () => {
      await server.stop();
      await extra.close?.();
      await db.drop();
    },
  };
}

/** The URL of `url` with its port replaced by the proxy's. */
const through = (url: URL, proxy: TcpProxy) => Object.assign(new URL(url), { port: String(proxy.port) }).toString();

if (!PGLITE) {
  faultCases(
    'node server + PostgreSQL',
    'DATABASE_UNAVAILABLE',
    () => pgServer('pg', '"supabase", {', (url, proxy) => ({ DATABASE_URL: through(url, proxy) })),
  );
  if (hasBun())
    faultCases(
      'bun server + PostgreSQL',
      'DATABASE_UNAVAILABLE',
      () =>
        pgServer('pg-bun', '"supabase", {', (url, proxy) => ({ DATABASE_URL: through(url, proxy) }), {
          runtime: 'bun',
        }),
    );
  // Neon's WebSocket Pool: the local WebSocket proxy carries the driver's socket to the TCP proxy, then PostgreSQL.
  faultCases('node server + Neon over WebSocket', 'DATABASE_UNAVAILABLE', async () => {
    const ws = await startWsProxy();
    return pgServer(
      'neon-ws',
      '"neon", {',
      (url, proxy) => ({ DATABASE_URL: through(url, proxy), NEON_WS_PROXY: ws.address }),
      { close: () => ws.close() },
    );
  });
  // Neon's HTTP driver: the TCP proxy sits in front of the local SQL-over-HTTP endpoint.
  faultCases('node server + Neon over HTTP', 'DATABASE_UNAVAILABLE', async () => {
    const endpoint = await startNeonHttpEndpoint();
    const port = Number(new URL(endpoint.url).port);
    return pgServer(
      'neon-http',
      '"neon", { connectionMode: "http",',
      (url, proxy) => ({
        DATABASE_URL: url.toString(),
        NEON_HTTP_ENDPOINT: endpoint.url.replace(`:${port}/`, `:${proxy.port}/`),
      }),
      { target: port, close: () => endpoint.close() },
    );
  });
}
