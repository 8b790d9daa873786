/**
 * The auth chain's bearer-token fast path (seed 004), in-process on the helpdesk (node +
 * better-sqlite3): a session call returns `set-auth-token`; that token alone authenticates the
 * next call with 0 queries on the auth database (counted at the better-sqlite3 driver); refused
 * tokens fall back to the session or answer 401 with why; POST /api/v1/token needs a session;
 * `auth.jwt` options (TTL, issuer, audience, secretEnv) land in both mint and verify, and the
 * boot check refuses a missing or short secret.
 */
import Database from 'better-sqlite3';
import { decodeJwt } from 'jose';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { mintToken } from '../../src/runtime/auth/jwt.js';
import { createCaller, signUp, type Caller } from '../helpers/client.js';
import { createOrg } from '../helpers/orgs.js';
import { copyFixture, SECRET } from '../helpers/project.js';
import { appEnv, compileAndMigrate } from '../helpers/target.js';

/** Statements prepared per database file, counted at the driver. */
const prepared = new Map<string, number>();
const original = Database.prototype.prepare;
Database.prototype.prepare = function(this: Database.Database, source: string) {
  const file = path.basename(this.name);
  prepared.set(file, (prepared.get(file) ?? 0) + 1);
  return original.call(this, source);
} as typeof original;
const authQueries = async (run: () => Promise<unknown>) => {
  const before = prepared.get('auth.db') ?? 0;
  await run();
  return (prepared.get('auth.db') ?? 0) - before;
};

const BASE = 'http://127.0.0.1:3000';
type App = { request(input: Request): Promise<Response> };

async function app(
  label: string,
  config: [string, string][] = [],
  env: Record<string, string> = {},
): Promise<{ app: App; fetch: (r: Request) => Promise<Response> }> {
  const root = copyFixture('helpdesk', label, { config });
  await compileAndMigrate(root, 'better-sqlite3');
  const { createApp } = await import(pathToFileURL(path.join(root, 'src', 'index.ts')).href);
  const instance = createApp({ ...appEnv(root, BASE), ...env }) as App;
  return { app: instance, fetch: (r) => instance.request(r) };
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

describe('the bearer-token fast path (defaults: 180 s, BETTER_AUTH_SECRET)', () => {
  let target: Awaited<ReturnType<typeof app>>;
  let ada: Caller & { userId: string; email: string };
  let token: string;
  beforeAll(async () => {
    target = await app('jwt-default');
    ada = await signUp(target.fetch, BASE, 'Ada');
    await createOrg(ada, 'Jwt');
    await ada.api('POST', '/api/v1/tickets', { title: 'Seen by token', estimate: 1 });
  }, 60_000);

  it('a session call returns a fresh token in set-auth-token (exposed to browsers by CORS)', async () => {
    const res = await ada.api('GET', '/api/v1/tickets', undefined, { origin: BASE });
    expect(res.status).toBe(200);
    token = res.headers.get('set-auth-token')!;
    expect(decodeJwt(token)).toMatchObject({ sub: ada.userId, role: 'owner', userRole: 'user' });
    expect(res.headers.get('access-control-expose-headers')).toContain('set-auth-token');
  });

  it('the token alone authenticates, with 0 queries on the auth database (the session path makes some)', async () => {
    const anonymous = createCaller(target.fetch, BASE);
    const responses: { status: number; body: any; headers: Headers }[] = [];
    expect(
      await authQueries(async () => {
        responses.push(await anonymous.api('GET', '/api/v1/tickets', undefined, bearer(token)));
      }),
    ).toBe(0);
    const [viaToken] = responses;
    expect(viaToken.status).toBe(200);
    expect(viaToken.body.data.map((t: { title: string }) => t.title)).toEqual(['Seen by token']);
    expect(viaToken.headers.get('set-auth-token')).toBeNull();
    expect(await authQueries(() => ada.api('GET', '/api/v1/tickets'))).toBeGreaterThan(0);
  });

  it('POST /api/v1/token mints for a session only', async () => {
    const minted = await ada.api('POST', '/api/v1/token');
    expect(minted.status).toBe(200);
    expect(decodeJwt(minted.body.token).sub).toBe(ada.userId);
    const anonymous = createCaller(target.fetch, BASE);
    expect((await anonymous.api('POST', '/api/v1/token', undefined, bearer(token))).body.code).toBe('AUTH_MISSING');
    expect((await anonymous.api('POST', '/api/v1/token')).status).toBe(401);
  });

  it('a refused token answers 401 with why, unless a session stands in', async () => {
    const anonymous = createCaller(target.fetch, BASE);
    const user = {
      authenticated: true,
      userId: ada.userId,
      userRole: 'user',
      activeOrgId: null,
      activeTeamId: null,
      roles: [],
      user: { id: ada.userId, email: 'a@x.io', name: 'Ada' },
    };
    const expired = await mintToken(user, { secret: SECRET, expiresIn: 180 }, Date.now() - 600_000);
    expect((await anonymous.api('GET', '/api/v1/tickets', undefined, bearer(expired))).body.code).toBe('AUTH_EXPIRED');
    const forged = await mintToken(user, { secret: 'f'.repeat(64), expiresIn: 180 });
    expect((await anonymous.api('GET', '/api/v1/tickets', undefined, bearer(forged))).body.code).toBe(
      'AUTH_INVALID_TOKEN',
    );
    const withSession = await ada.api('GET', '/api/v1/tickets', undefined, bearer(forged));
    expect(withSession.status).toBe(200);
    expect(withSession.headers.get('set-auth-token')).toBeTruthy();
  });
});

describe('auth.jwt options', () => {
  const JWT = [[
    'auth: { roleHierarchy',
    'auth: { jwt: { expiresIn: 30, issuer: "desk-api", audience: "desk-web", secretEnv: "JWT_SECRET" }, roleHierarchy',
  ]] as [string, string][];
  const JWT_SECRET = 'j'.repeat(48);

  it('bakes TTL, issuer and audience into the token and verifies with the secret of secretEnv', async () => {
    const target = await app('jwt-options', JWT, { JWT_SECRET });
    const ada = await signUp(target.fetch, BASE, 'Ada');
    const token = (await ada.api('POST', '/api/v1/token')).body.token as string;
    const claims = decodeJwt(token);
    expect(claims).toMatchObject({ iss: 'desk-api', aud: 'desk-web' });
    expect(claims.exp! - claims.iat!).toBe(30);
    const anonymous = createCaller(target.fetch, BASE);
    expect((await anonymous.api('GET', '/api/v1/tickets', undefined, bearer(token))).body.code).toBe('ORG_REQUIRED');
    const user = {
      authenticated: true,
      userId: ada.userId,
      userRole: 'user',
      activeOrgId: null,
      activeTeamId: null,
      roles: [],
      user: { id: ada.userId, email: 'a@x.io', name: 'Ada' },
    };
    const otherSecret = await mintToken(user, {
      secret: SECRET,
      expiresIn: 30,
      issuer: 'desk-api',
      audience: 'desk-web',
    });
    expect((await anonymous.api('GET', '/api/v1/tickets', undefined, bearer(otherSecret))).body.code).toBe(
      'AUTH_INVALID_TOKEN',
    );
    const otherAudience = await mintToken(user, {
      secret: JWT_SECRET,
      expiresIn: 30,
      issuer: 'desk-api',
      audience: 'elsewhere',
    });
    expect((await anonymous.api('GET', '/api/v1/tickets', undefined, bearer(otherAudience))).body.code).toBe(
      'AUTH_INVALID_TOKEN',
    );
  }, 60_000);

  it('refuses to serve without the secret, or with one under 32 bytes (503, /health stays up)', async () => {
    for (
      const [env, details] of [
        [{}, { missing: ['JWT_SECRET'] }],
        [{ JWT_SECRET: 'short' }, { missing: [], tooShort: ['JWT_SECRET'] }],
      ] as const
    ) {
      const target = await app('jwt-boot', JWT, env);
      const res = await target.fetch(new Request(`${BASE}/api/v1/tickets`));
      expect(res.status).toBe(503);
      expect(await res.json()).toMatchObject({ code: 'MISSING_ENV', details });
      expect((await target.fetch(new Request(`${BASE}/health`))).status).toBe(200);
    }
  }, 60_000);
});
