/**
 * Better Auth plugins switched on by name (seed 002), each through its main flow over HTTP
 * (in-process on the helpdesk): anonymous sign-in, Better Auth's own jwt plugin (JWKS + token,
 * verified here with jose against the published keys), bearer session tokens reaching the API,
 * and the openAPI plugin's schema and reference page. The plugins' tables come from the
 * migrations (the jwks table, user.isAnonymous).
 */
import { createLocalJWKSet, jwtVerify } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { createCaller, signUp } from '../helpers/client.js';
import { copyFixture } from '../helpers/project.js';
import { inProcessTarget, type ConformanceTarget } from '../helpers/target.js';

const PLUGINS: [string, string][] = [['defineAuth("better-auth", {', 'defineAuth("better-auth", {\n      plugins: ["anonymous", "jwt", "bearer", "openAPI"],']];

describe('Better Auth plugins by name', () => {
  let t: ConformanceTarget;
  beforeAll(async () => {
    t = await inProcessTarget(copyFixture('helpdesk', 'auth-plugins', { config: PLUGINS }), 'better-sqlite3');
  }, 60_000);

  it('anonymous: signs in without credentials; the API sees a signed-in (anonymous) user', async () => {
    const guest = createCaller(t.fetch, t.baseURL);
    const res = await guest.api('POST', '/auth/v1/sign-in/anonymous', {});
    expect(res.status).toBe(200);
    const session = await guest.api('GET', '/auth/v1/get-session');
    expect(session.body.user).toMatchObject({ isAnonymous: true });
    expect((await guest.api('GET', '/api/v1/tickets')).body.code).toBe('ORG_REQUIRED');
  });

  it('jwt: GET /auth/v1/token mints a token that verifies against GET /auth/v1/jwks', async () => {
    const ada = await signUp(t.fetch, t.baseURL, 'Ada');
    const minted = await ada.api('GET', '/auth/v1/token');
    expect(minted.status).toBe(200);
    const jwks = await ada.api('GET', '/auth/v1/jwks');
    expect(jwks.body.keys.length).toBeGreaterThan(0);
    const { payload } = await jwtVerify(minted.body.token, createLocalJWKSet(jwks.body));
    expect(payload.sub).toBe(ada.userId);
  });

  it('bearer: the session token from set-auth-token authenticates API calls without a cookie', async () => {
    const bob = await signUp(t.fetch, t.baseURL, 'Bob');
    const signIn = await createCaller(t.fetch, t.baseURL).api('POST', '/auth/v1/sign-in/email', { email: bob.email, password: 'correct-horse-battery' });
    const sessionToken = signIn.headers.get('set-auth-token');
    expect(sessionToken).toBeTruthy();
    const res = await t.fetch(new Request(`${t.baseURL}/api/v1/tickets`, { headers: { authorization: `Bearer ${sessionToken}` } }));
    expect((await res.json()).code).toBe('ORG_REQUIRED');
    const none = await t.fetch(new Request(`${t.baseURL}/api/v1/tickets`, { headers: { authorization: 'Bearer not-a-session' } }));
    expect(none.status).toBe(401);
  });

  it('openAPI: the auth schema and its reference page', async () => {
    const anonymous = createCaller(t.fetch, t.baseURL);
    const schema = await anonymous.api('GET', '/auth/v1/open-api/generate-schema');
    expect(schema.status).toBe(200);
    expect(schema.body.openapi).toMatch(/^3\./);
    expect(Object.keys(schema.body.paths)).toContain('/sign-in/email');
    const page = await t.fetch(new Request(`${t.baseURL}/auth/v1/reference`));
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
  });
});
