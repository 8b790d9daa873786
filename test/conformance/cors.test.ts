/**
 * CORS on every route family (`/api`, `/auth/v1`, `/storage/v1`, `/broadcast/v1`, `/webhooks/v1`)
 * on the Node server, the Bun server and the Worker under workerd, over real HTTP: a trusted
 * origin's preflight answers 204 with the origin, the methods, the requested headers and
 * credentials; its requests (errors included) carry the origin and the exposed headers; an
 * untrusted origin gets no allow header and never a 5xx. Trusted here: http://localhost:5173,
 * one of the development defaults (the apps run with QUICKBACK_DEV=1), and `trustedOrigins` of the
 * config. Better Auth trusts the same origins; a browser's WebSocket (it sends Origin) opens.
 */
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCaller, signUp } from '../helpers/client.js';
import { addonsProject } from '../helpers/addons.js';
import { createOrg, type User } from '../helpers/orgs.js';
import { ticketOf } from '../helpers/realtime.js';
import { hasBun, startServer } from '../helpers/server.js';
import { compileAndMigrate } from '../helpers/target.js';
import { CLOUDFLARE, startWorker } from '../helpers/worker.js';
import { compile } from '../../src/compiler/index.js';

const DEV_ORIGIN = 'http://localhost:5173';
const CONFIGURED = 'https://app.example.com';
const UNTRUSTED = 'https://evil.example';
const TRUSTED_ORIGINS: [string, string] = [
  'export default defineConfig({',
  `export default defineConfig({\n  trustedOrigins: ["${CONFIGURED}"],`,
];

/** [path, method, requested headers] of a browser's preflight on each route family. */
const PREFLIGHTS: [string, string, string][] = [
  ['/api/v1/tickets', 'POST', 'content-type'],
  ['/api/v1/tickets/tkt_missing', 'PATCH', 'content-type,authorization'],
  ['/api/v1/tickets/tkt_missing', 'DELETE', 'x-api-key'],
  ['/auth/v1/sign-in/email', 'POST', 'content-type'],
  ['/auth/v1/organization/create', 'POST', 'content-type'],
  ['/storage/v1/object/avatars/a.png', 'PUT', 'content-type'],
  ['/broadcast/v1/ws-ticket', 'POST', 'content-type'],
  ['/webhooks/v1/endpoints', 'POST', 'content-type'],
  ['/webhooks/v1/endpoints/wep_missing', 'DELETE', ''],
];

interface Target {
  baseURL: string;
  stop(): Promise<void>;
}

/** Not "test": Better Auth skips its origin check when NODE_ENV is test. */
const DEVELOPMENT = { NODE_ENV: 'development' };

const targets: [string, (label: string) => Promise<Target>][] = [
  ['node', async (label) => {
    const root = addonsProject(label, [TRUSTED_ORIGINS]);
    await compileAndMigrate(root, 'better-sqlite3');
    return startServer(root, 'node', true, { env: DEVELOPMENT });
  }],
  ...(hasBun()
    ? [['bun', async (label: string) => {
      const root = addonsProject(label, [TRUSTED_ORIGINS, ['defineRuntime("node")', 'defineRuntime("bun")']]);
      await compileAndMigrate(root, 'better-sqlite3');
      return startServer(root, 'bun', true, { env: DEVELOPMENT });
    }] as [string, (label: string) => Promise<Target>]]
    : []),
  ['cloudflare', async (label) => {
    const root = addonsProject(label, [TRUSTED_ORIGINS, ...CLOUDFLARE]);
    await compile({ cwd: root });
    const w = await startWorker(root, { bindings: DEVELOPMENT });
    return { baseURL: w.baseURL, stop: () => w.mf.dispose() };
  }],
];

const preflight = (base: string, path: string, origin: string, method: string, headers: string) =>
  fetch(`${base}${path}`, {
    method: 'OPTIONS',
    headers: {
      origin,
      'access-control-request-method': method,
      ...(headers ? { 'access-control-request-headers': headers } : {}),
    },
  });

const ALLOW = [
  'access-control-allow-origin',
  'access-control-allow-credentials',
  'access-control-allow-methods',
  'access-control-allow-headers',
  'access-control-expose-headers',
];
const allowHeaders = (res: Response) => ALLOW.filter((h) => res.headers.has(h));

describe.each(targets)('CORS on %s', (name, start) => {
  let t: Target;
  let ada: User;

  beforeAll(async () => {
    t = await start(`cors-${name}`);
    ada = await signUp((r) => fetch(r), t.baseURL, 'Ada');
    await createOrg(ada, 'Acme');
  }, 120_000);
  afterAll(async () => t?.stop());

  it("answers a trusted origin's preflight on every route family: 204 with origin, methods, headers and credentials", async () => {
    for (const origin of [DEV_ORIGIN, CONFIGURED]) {
      for (const [path, method, headers] of PREFLIGHTS) {
        const res = await preflight(t.baseURL, path, origin, method, headers);
        const seen = {
          path,
          method,
          origin,
          status: res.status,
          allowOrigin: res.headers.get('access-control-allow-origin'),
          credentials: res.headers.get('access-control-allow-credentials'),
        };
        expect(seen).toEqual({ path, method, origin, status: 204, allowOrigin: origin, credentials: 'true' });
        expect(res.headers.get('access-control-allow-methods')?.split(','), path).toContain(method);
        for (const header of headers.split(',').filter(Boolean))
          expect(res.headers.get('access-control-allow-headers')?.split(','), path).toContain(header);
        expect(res.headers.get('access-control-max-age')).toBe('600');
        expect(res.headers.get('vary')).toMatch(/Origin/);
      }
    }
  });

  it('gives an untrusted origin no allow header on any route family, and never a 5xx', async () => {
    for (const [path, method, headers] of PREFLIGHTS) {
      for (const origin of [UNTRUSTED, 'null', 'http://localhost:5174']) {
        const res = await preflight(t.baseURL, path, origin, method, headers);
        expect({ path, origin, status: res.status, allow: allowHeaders(res) }).toEqual({
          path,
          origin,
          status: 204,
          allow: [],
        });
      }
      const real = await fetch(`${t.baseURL}${path}`, {
        method: method === 'DELETE' ? 'DELETE' : 'GET',
        headers: { origin: UNTRUSTED },
      });
      expect(real.status, path).toBeLessThan(500);
      expect(allowHeaders(real), path).toEqual([]);
    }
  });

  it("puts the origin, credentials and exposed headers on a trusted origin's responses, errors included", async () => {
    const anonymous = await fetch(`${t.baseURL}/api/v1/tickets`, { headers: { origin: DEV_ORIGIN } });
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('access-control-allow-origin')).toBe(DEV_ORIGIN);
    expect(anonymous.headers.get('access-control-allow-credentials')).toBe('true');
    expect(anonymous.headers.get('access-control-expose-headers')?.toLowerCase().split(',')).toEqual(
      expect.arrayContaining(['set-auth-token', 'etag', 'x-request-id']),
    );
    const listed = await ada.api('GET', '/api/v1/tickets', undefined, { origin: CONFIGURED });
    expect(listed.status).toBe(200);
    expect(listed.headers.get('access-control-allow-origin')).toBe(CONFIGURED);
    expect(listed.headers.get('x-content-type-options')).toBe('nosniff'); // security headers stay
    const created = await ada.api('POST', '/api/v1/tickets', { title: 'From the front end' }, { origin: DEV_ORIGIN });
    expect(created.status).toBe(201);
    expect(created.headers.get('access-control-allow-origin')).toBe(DEV_ORIGIN);
  });

  it('Better Auth trusts the same origins: a trusted front end signs up and acts with its cookie, an untrusted one is refused', async () => {
    const front = createCaller((r) => fetch(r), t.baseURL);
    const withOrigin = (origin: string) => (r: Request) => {
      const h = new Headers(r.headers);
      h.set('origin', origin);
      return fetch(new Request(r, { headers: h }));
    };
    const viaFront = createCaller(withOrigin(DEV_ORIGIN), t.baseURL);
    const signed = await viaFront.auth.signUp.email({
      email: 'front@example.com',
      password: 'correct-horse-battery',
      name: 'Front',
    });
    expect(signed.error).toBeNull();
    const org = await viaFront.auth.organization.create({ name: 'Front', slug: `front-${name}` });
    expect(org.error).toBeNull();
    for (const [k, v] of viaFront.jar) front.jar.set(k, v);
    const refused = await front.api(
      'POST',
      '/auth/v1/organization/create',
      { name: 'Evil', slug: `evil-${name}` },
      { origin: UNTRUSTED },
    );
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({ code: 'INVALID_ORIGIN' });
  });

  it("opens a WebSocket that carries a trusted Origin, as a browser's does", async () => {
    const ticket = await ticketOf(ada);
    const url = `${t.baseURL.replace(/^http/, 'ws')}/broadcast/v1/websocket?ws_ticket=${encodeURIComponent(ticket)}`;
    const first = await new Promise<string>((resolve, reject) => {
      const ws = new WebSocket(url, { origin: DEV_ORIGIN });
      ws.on('unexpected-response', (_req, res) => reject(new Error(`upgrade refused: ${res.statusCode}`)));
      ws.on('error', reject);
      ws.on('message', (data) => {
        resolve(String(data));
        ws.close();
      });
    });
    expect(JSON.parse(first)).toMatchObject({ type: 'subscribed' });
  });
});
