/**
 * Better Auth plugins switched on by name (seed 002), each through its main flow over HTTP
 * (in-process on the helpdesk): anonymous sign-in and its upgrade, Better Auth's own jwt plugin (JWKS + token,
 * verified here with jose against the published keys), bearer session tokens reaching the API,
 * the openAPI plugin's schema and reference page, two-factor sign-in with a TOTP computed in
 * the test, and the device authorization grant (RFC 8628) end to end. The plugins' tables come from the migrations (jwks, twoFactor, user.isAnonymous,
 * user.twoFactorEnabled).
 */
import { createLocalJWKSet, jwtVerify } from 'jose';
import { createHmac } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { createCaller, signUp } from '../helpers/client.js';
import { copyFixture } from '../helpers/project.js';
import { inProcessTarget, type ConformanceTarget } from '../helpers/target.js';

const PLUGINS: [string, string][] = [[
  'defineAuth("better-auth", {',
  'defineAuth("better-auth", {\n      plugins: { upgradeAnonymous: true, jwt: true, bearer: true, openAPI: true, twoFactor: true, deviceAuthorization: { interval: "1s" } },',
]];

/** RFC 6238 TOTP (SHA-1, 30 s, 6 digits) from the otpauth:// URI's base32 secret, computed here. */
function totp(uri: string, now = Date.now()): string {
  const secret = new URL(uri).searchParams.get('secret')!;
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const ch of secret.replace(/=+$/, '').toUpperCase()) bits += alphabet.indexOf(ch).toString(2).padStart(5, '0');
  const key = Buffer.from(bits.match(/.{8}/g)!.map((b) => parseInt(b, 2)));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(now / 30_000)));
  const mac = createHmac('sha1', key).update(counter).digest();
  const offset = mac[mac.length - 1] & 0xf;
  return String((mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000).padStart(6, '0');
}

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

  it('upgradeAnonymous (which brings anonymous): POST /auth/v1/upgrade-anonymous with {} or no body makes the user regular, at once', async () => {
    const guest = createCaller(t.fetch, t.baseURL);
    await guest.api('POST', '/auth/v1/sign-in/anonymous', {});
    expect((await guest.api('GET', '/auth/v1/get-session')).body.user.isAnonymous).toBe(true);
    const upgraded = await guest.api('POST', '/auth/v1/upgrade-anonymous', {});
    expect(upgraded.status).toBe(200);
    expect(upgraded.body.user.isAnonymous).toBe(false);
    expect((await guest.api('GET', '/auth/v1/get-session')).body.user.isAnonymous).toBe(false);
    expect((await guest.api('POST', '/auth/v1/upgrade-anonymous')).status).toBe(200);
    expect((await createCaller(t.fetch, t.baseURL).api('POST', '/auth/v1/upgrade-anonymous', {})).status).toBe(401);
  });

  it("jwt: POST /auth/v1/token (the documented path) and GET (Better Auth's) mint tokens that verify against GET /auth/v1/jwks", async () => {
    const ada = await signUp(t.fetch, t.baseURL, 'Ada');
    const jwks = await ada.api('GET', '/auth/v1/jwks');
    expect(jwks.body.keys.length).toBeGreaterThan(0);
    for (const method of ['POST', 'GET']) {
      const minted = await ada.api(method, '/auth/v1/token', method === 'POST' ? {} : undefined);
      expect(minted.status).toBe(200);
      const { payload } = await jwtVerify(minted.body.token, createLocalJWKSet(jwks.body));
      expect(payload.sub).toBe(ada.userId);
    }
    expect((await createCaller(t.fetch, t.baseURL).api('POST', '/auth/v1/token', {})).status).toBe(401);
  });

  it('bearer: the session token from set-auth-token authenticates API calls without a cookie', async () => {
    const bob = await signUp(t.fetch, t.baseURL, 'Bob');
    const signIn = await createCaller(t.fetch, t.baseURL).api('POST', '/auth/v1/sign-in/email', {
      email: bob.email,
      password: 'correct-horse-battery',
    });
    const sessionToken = signIn.headers.get('set-auth-token');
    expect(sessionToken).toBeTruthy();
    const res = await t.fetch(
      new Request(`${t.baseURL}/api/v1/tickets`, { headers: { authorization: `Bearer ${sessionToken}` } }),
    );
    expect((await res.json()).code).toBe('ORG_REQUIRED');
    const none = await t.fetch(
      new Request(`${t.baseURL}/api/v1/tickets`, { headers: { authorization: 'Bearer not-a-session' } }),
    );
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

  it('twoFactor: enabling TOTP, then a password sign-in needs the current code before the API sees the user', async () => {
    const eve = await signUp(t.fetch, t.baseURL, 'Eve');
    const enabled = await eve.api('POST', '/auth/v1/two-factor/enable', { password: 'correct-horse-battery' });
    expect(enabled.status).toBe(200);
    const uri = enabled.body.totpURI as string;
    expect((await eve.api('POST', '/auth/v1/two-factor/verify-totp', { code: totp(uri) })).status).toBe(200);
    expect((await eve.api('GET', '/auth/v1/get-session')).body.user.twoFactorEnabled).toBe(true);

    const again = createCaller(t.fetch, t.baseURL);
    const first = await again.api('POST', '/auth/v1/sign-in/email', {
      email: eve.email,
      password: 'correct-horse-battery',
    });
    expect(first.body).toMatchObject({ twoFactorRedirect: true });
    expect((await again.api('GET', '/api/v1/tickets')).body.code).toBe('AUTH_MISSING');
    expect(
      (await again.api('POST', '/auth/v1/two-factor/verify-totp', {
        code: '000000' === totp(uri) ? '111111' : '000000',
      })).status,
    ).toBe(401);
    expect((await again.api('POST', '/auth/v1/two-factor/verify-totp', { code: totp(uri) })).status).toBe(200);
    expect((await again.api('GET', '/api/v1/tickets')).body.code).toBe('ORG_REQUIRED');
  });

  it('deviceAuthorization: device code → pending → the signed-in user approves → the device gets a session token the API accepts', async () => {
    const device = createCaller(t.fetch, t.baseURL);
    const code = await device.api('POST', '/auth/v1/device/code', { client_id: 'quickback-cli' });
    expect(code.status).toBe(200);
    const { device_code, user_code, interval } = code.body as {
      device_code: string;
      user_code: string;
      interval: number;
    };
    const poll = () =>
      device.api('POST', '/auth/v1/device/token', {
        grant_type: 'urn:ietf:params:oauth:grant-type:device_code',
        device_code,
        client_id: 'quickback-cli',
      });
    expect((await poll()).body.error).toBe('authorization_pending');
    const owner = await signUp(t.fetch, t.baseURL, 'Dana');
    expect((await owner.api('GET', `/auth/v1/device?user_code=${user_code}`)).status).toBe(200);
    expect((await owner.api('POST', '/auth/v1/device/approve', { userCode: user_code })).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, interval * 1000 + 100));
    const token = await poll();
    expect(token.status).toBe(200);
    const api = await t.fetch(
      new Request(`${t.baseURL}/api/v1/tickets`, { headers: { authorization: `Bearer ${token.body.access_token}` } }),
    );
    expect((await api.json()).code).toBe('ORG_REQUIRED');
  });
});
