/**
 * Better Auth routes that answered 500 for bad configuration or bad input, in-process on the
 * helpdesk with GitHub, Google and Discord sign-in and the passkey plugin: a social provider without its
 * client id/secret answers 503 MISSING_ENV naming them (a configured one still redirects), and a
 * malformed body to the passkey verify routes answers 400 VALIDATION_FAILED naming the field.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { createCaller, signUp } from '../helpers/client.js';
import { copyFixture } from '../helpers/project.js';
import { inProcessTarget, type ConformanceTarget } from '../helpers/target.js';

const CONFIG: [string, string][] = [[
  'defineAuth("better-auth", {',
  'defineAuth("better-auth", {\n      plugins: { passkey: true },\n      socialProviders: { github: true, google: true, discord: true },',
]];
const GOOGLE = {
  GOOGLE_CLIENT_ID: 'google-client-id',
  GOOGLE_CLIENT_SECRET: 'google-client-secret',
  GITHUB_CLIENT_ID: 'github-client-id',
};

const b64url = (text: string) => Buffer.from(text).toString('base64url');
const clientData = (type: string) =>
  b64url(JSON.stringify({ type, challenge: 'abc', origin: 'http://127.0.0.1:3000' }));
const credential = (response: Record<string, unknown>) => ({ id: 'AQID', rawId: 'AQID', type: 'public-key', response });

describe('Better Auth refusals with the standard error body', () => {
  let t: ConformanceTarget;
  beforeAll(async () => {
    t = await inProcessTarget(
      copyFixture('helpdesk', 'auth-refusals', { config: CONFIG }),
      'better-sqlite3',
      true,
      GOOGLE,
    );
  }, 60_000);

  it("social sign-in without the provider's client id or secret: 503 MISSING_ENV naming them; a configured provider redirects", async () => {
    const caller = createCaller(t.fetch, t.baseURL);
    const github = await caller.api('POST', '/auth/v1/sign-in/social', { provider: 'github', callbackURL: '/' });
    expect(github.status).toBe(503);
    expect(github.body).toMatchObject({
      code: 'MISSING_ENV',
      layer: 'configuration',
      details: { missing: ['GITHUB_CLIENT_SECRET'] },
    });
    expect(github.body.hint).toContain('GITHUB_CLIENT_SECRET');
    expect((await caller.api('GET', '/auth/v1/callback/github?code=x&state=y')).body.code).toBe('MISSING_ENV');
    const discord = await caller.api('POST', '/auth/v1/sign-in/social', { provider: 'discord', callbackURL: '/' });
    expect([discord.status, discord.body.code, discord.body.details]).toEqual([503, 'MISSING_ENV', {
      missing: ['DISCORD_CLIENT_ID', 'DISCORD_CLIENT_SECRET'],
    }]);
    const google = await caller.api('POST', '/auth/v1/sign-in/social', { provider: 'google', callbackURL: '/' });
    expect(google.status).toBe(200);
    expect(new URL(google.body.url).hostname).toBe('accounts.google.com');
    const unknown = await caller.api('POST', '/auth/v1/sign-in/social', { provider: 'nope', callbackURL: '/' });
    expect(unknown.status).toBeLessThan(500);
  });

  it('passkey verify routes: malformed bodies answer 400 naming the field, before Better Auth', async () => {
    const user = await signUp(t.fetch, t.baseURL, 'Pat');
    expect((await user.api('POST', '/auth/v1/passkey/register/options')).status).toBe(200);
    const cases: [unknown, string][] = [
      [{}, 'response'],
      [{ response: 'x' }, 'response'],
      [{ response: {} }, 'response.id'],
      [{ response: { ...credential({}), type: 'other' } }, 'response.type'],
      [{ response: { ...credential({}), response: [] } }, 'response.response'],
      [{ response: credential({ clientDataJSON: '!!' }) }, 'response.response.clientDataJSON'],
      [
        { response: credential({ clientDataJSON: b64url('not json'), attestationObject: 'AAAA' }) },
        'response.response.clientDataJSON',
      ],
      [
        { response: credential({ clientDataJSON: clientData('webauthn.get'), attestationObject: 'AAAA' }) },
        'response.response.clientDataJSON',
      ],
      [
        { response: credential({ clientDataJSON: clientData('webauthn.create') }) },
        'response.response.attestationObject',
      ],
    ];
    for (const path of ['/auth/v1/passkey/register/verify', '/auth/v1/passkey/verify-registration']) {
      for (const [body, field] of cases) {
        const res = await user.api('POST', path, body);
        expect(
          [res.status, res.body.code, res.body.layer, Object.keys(res.body.details?.fields ?? {})],
          `${path} ${JSON.stringify(body)}`,
        ).toEqual([400, 'VALIDATION_FAILED', 'validation', [field]]);
      }
    }
    const broken = await user.api('POST', '/auth/v1/passkey/register/verify', '{"response":');
    expect([broken.status, broken.body.code]).toEqual([400, 'INVALID_JSON']);
    const auth = await createCaller(t.fetch, t.baseURL).api('POST', '/auth/v1/passkey/authenticate/verify', {
      response: credential({ clientDataJSON: clientData('webauthn.get'), authenticatorData: 'AAAA' }),
    });
    expect([auth.status, Object.keys(auth.body.details.fields)]).toEqual([400, ['response.response.signature']]);
  });

  it("a well-formed credential that does not verify is refused as 400, not Better Auth's 500", async () => {
    const user = await signUp(t.fetch, t.baseURL, 'Quinn');
    await user.api('POST', '/auth/v1/passkey/register/options');
    const res = await user.api('POST', '/auth/v1/passkey/register/verify', {
      response: credential({ clientDataJSON: clientData('webauthn.create'), attestationObject: 'AAAA' }),
    });
    expect([res.status, res.body.code, res.body.error]).toEqual([
      400,
      'VALIDATION_FAILED',
      'The passkey credential did not verify',
    ]);
  });
});
