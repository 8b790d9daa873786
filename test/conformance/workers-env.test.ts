/**
 * Worker specifics under workerd (miniflare): the boot check answers 503 MISSING_ENV naming the
 * missing secrets and where a Worker's settings go (and /health stays up), an unsafe action whose
 * audit database cannot be written answers 503 naming the AUDIT_DB binding, and with a KV namespace (defineStorage("kv") or the auth
 * provider's kvId) Better Auth keeps its sessions in KV as secondary storage.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUp } from '../helpers/client.js';
import { copyFixture } from '../helpers/project.js';
import { CLOUDFLARE, readWrangler, startWorker, type WorkerOptions } from '../helpers/worker.js';
import { compile } from '../../src/compiler/index.js';

async function worker(label: string, config: [string, string][], options: WorkerOptions = {}) {
  const root = copyFixture('helpdesk', label, { config: [...CLOUDFLARE, ...config] });
  await compile({ cwd: root });
  return startWorker(root, options);
}

describe('a Worker without its secrets', () => {
  let w: Awaited<ReturnType<typeof worker>>;
  beforeAll(async () => {
    w = await worker('cf-env', [], { bindings: { BETTER_AUTH_SECRET: '' } });
  }, 60_000);
  afterAll(async () => w?.mf.dispose());

  it('answers 503 MISSING_ENV listing them, on the API and on auth, and keeps /health up', async () => {
    for (const [method, path] of [['GET', '/api/v1/tickets'], ['POST', '/auth/v1/sign-up/email']]) {
      const res = await fetch(`${w.baseURL}${path}`, {
        method,
        headers: { 'content-type': 'application/json' },
        body: method === 'POST' ? '{}' : undefined,
      });
      expect(res.status).toBe(503);
      const body = await res.json();
      expect(body).toMatchObject({ code: 'MISSING_ENV', details: { missing: ['BETTER_AUTH_SECRET'] } });
      // The Worker's own settings: .dev.vars locally, wrangler secret put deployed (not Node's .env).
      expect(body.hint).toBe(
        'Set BETTER_AUTH_SECRET (in .dev.vars for wrangler dev; wrangler secret put <NAME> when deployed).',
      );
    }
    expect((await fetch(`${w.baseURL}/health`)).status).toBe(200);
  });
});

describe('a Worker whose audit database cannot be written', () => {
  let w: Awaited<ReturnType<typeof worker>>;
  beforeAll(async () => {
    const root = copyFixture('helpdesk', 'cf-audit', {
      config: [...CLOUDFLARE, [
        'emailAndPassword: { enabled: true, minPasswordLength: 10 },',
        'emailAndPassword: { enabled: true, minPasswordLength: 10 },\n      plugins: ["admin"],',
      ]],
    });
    await compile({ cwd: root });
    // Every D1 binding of wrangler.toml but AUDIT_DB.
    const d1 = Object.fromEntries(
      (readWrangler(root).d1_databases ?? []).filter((d) => d.binding !== 'AUDIT_DB').map((
        d,
      ) => [d.binding, d.database_id]),
    );
    w = await startWorker(root, { extra: { d1Databases: d1 } });
  }, 60_000);
  afterAll(async () => w?.mf.dispose());

  it('refuses the unsafe action with 503 ACCESS_AUDIT_LOG_FAILED naming the AUDIT_DB binding', async () => {
    const dave = await signUp(fetch, w.baseURL, 'Dave');
    await (await w.mf.getD1Database('AUTH_DB')).prepare('UPDATE "user" SET role = ? WHERE id = ?').bind(
      'admin',
      dave.userId,
    ).run();
    const res = await dave.api('POST', '/api/v1/maintenance/purge-deleted-tickets', { olderThanDays: 0 });
    expect(res.status).toBe(503);
    expect(res.body).toMatchObject({
      code: 'ACCESS_AUDIT_LOG_FAILED',
      hint: expect.stringContaining('the AUDIT_DB D1 binding'),
    });
    expect(res.body.hint).not.toContain('AUDIT_DATABASE_URL');
  });
});

describe('Better Auth sessions in Workers KV', () => {
  let w: Awaited<ReturnType<typeof worker>>;
  beforeAll(async () => {
    w = await worker('cf-kv', [[
      'defineAuth("better-auth", {',
      'defineAuth("better-auth", {\n      kvId: "0123456789abcdef0123456789abcdef",\n      rateLimit: { enabled: true, window: 60, max: 100, customRules: { "/sign-in/email": { window: 60, max: 2 } } },',
    ]]);
  }, 60_000);
  afterAll(async () => w?.mf.dispose());

  it('binds the namespace from kvId and stores the session there', async () => {
    expect(w.wrangler.kv_namespaces).toEqual([{ binding: 'KV', id: '0123456789abcdef0123456789abcdef' }]);
    const ada = await signUp(fetch, w.baseURL, 'Ada');
    const namespace = await w.mf.getKVNamespace('KV');
    const { keys } = await namespace.list();
    expect(keys.length).toBeGreaterThan(0);
    const stored = await Promise.all(keys.map((k) => namespace.get(k.name)));
    expect(stored.some((value) => value?.includes(ada.userId))).toBe(true);
    expect((await ada.api('GET', '/auth/v1/get-session')).body.user.id).toBe(ada.userId);
    expect((await ada.api('GET', '/api/v1/tickets')).body.code).toBe('ORG_REQUIRED');
  });

  it("counts rate limits in KV: the third sign-in of a minute is 429 (Better Auth's increment on KV)", async () => {
    const attempt = () => fetch(`${w.baseURL}/auth/v1/sign-in/email`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: w.baseURL, 'cf-connecting-ip': '10.9.8.7' },
      body: JSON.stringify({ email: 'nobody@example.com', password: 'wrong-password-1' }),
    });
    expect((await attempt()).status).toBe(401);
    expect((await attempt()).status).toBe(401);
    const third = await attempt();
    expect(third.status).toBe(429);
    const namespace = await w.mf.getKVNamespace('KV');
    const { keys } = await namespace.list({ prefix: '10.9.8.7' });
    expect(keys.map((k) => k.name)).toHaveLength(1);
    expect((await namespace.get(keys[0].name))?.split(':')[0]).toBe('3');
  });

  it('mints bearer tokens under workerd: the token alone authenticates the next call', async () => {
    const ada = await signUp(fetch, w.baseURL, 'Ada');
    const token = (await ada.api('GET', '/api/v1/tickets')).headers.get('set-auth-token');
    expect(token).toMatch(/^eyJ/);
    const res = await fetch(`${w.baseURL}/api/v1/tickets`, { headers: { authorization: `Bearer ${token}` } });
    expect((await res.json()).code).toBe('ORG_REQUIRED');
    expect(res.headers.get('set-auth-token')).toBeNull();
  });
});

describe('token revocation in Workers KV', () => {
  let w: Awaited<ReturnType<typeof worker>>;
  beforeAll(async () => {
    w = await worker('cf-revoke', [
      ['defineAuth("better-auth", {', 'defineAuth("better-auth", {\n      kvId: "0123456789abcdef0123456789abcdef",'],
      ['auth: { roleHierarchy', 'auth: { jwt: { revocationCheck: "kv" }, roleHierarchy'],
    ]);
  }, 60_000);
  afterAll(async () => w?.mf.dispose());

  it('signing out writes the user to the KV denylist and the token stops at once', async () => {
    const ada = await signUp(fetch, w.baseURL, 'Ada');
    const token = (await ada.api('POST', '/api/v1/token')).body.token as string;
    const bearer = () =>
      fetch(`${w.baseURL}/api/v1/tickets`, { headers: { authorization: `Bearer ${token}` } }).then((r) => r.json());
    expect((await bearer()).code).toBe('ORG_REQUIRED');
    await ada.auth.signOut();
    expect((await bearer()).code).toBe('AUTH_INVALID_TOKEN');
    const revokedAt = await (await w.mf.getKVNamespace('KV')).get(`quickback:jwt-revoked:${ada.userId}`);
    expect(Number(revokedAt)).toBeGreaterThan(0);
  });
});
