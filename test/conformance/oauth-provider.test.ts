/**
 * The oauthProvider plugin (seed 002): the API as an OAuth 2.1 / OIDC authorization server for
 * MCP clients. Discovery documents at the root; RFC 7591 dynamic registration of a public native
 * client without credentials; authorize (sign-in page per auth.loginUrl when signed out, the
 * consent page on ACCOUNT_URL when signed in); consent; the code exchanged with PKCE for a JWT
 * access token (verified here with jose against /auth/v1/jwks), an id_token and a refresh
 * token; userinfo; the refresh grant. In-process on the helpdesk; jwt comes in automatically.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { createCaller, signUp, type ApiResponse } from '../helpers/client.js';
import { copyFixture } from '../helpers/project.js';
import { inProcessTarget, type ConformanceTarget } from '../helpers/target.js';

const LOGIN = 'https://auth.helpdesk.test/login';
const ACCOUNT = 'http://localhost:5173';
const CONFIG: [string, string][] = [
  [
    'defineAuth("better-auth", {',
    'defineAuth("better-auth", {\n      plugins: { oauthProvider: { scopes: ["openid", "profile", "email", "offline_access"] } },',
  ],
  ['auth: { roleHierarchy', `auth: { loginUrl: "${LOGIN}", roleHierarchy`],
];
const REDIRECT_URI = 'http://127.0.0.1:9999/callback';
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

/** Where a browser would go next: the 302's Location, or the URL of Better Auth's JSON redirect answer (fetch-mode requests). */
function nextUrl(res: ApiResponse): URL {
  const location = res.headers.get('location') ?? (res.body as { url?: string })?.url;
  if (!location) throw new Error(`no redirect in ${res.status} ${JSON.stringify(res.body)}`);
  return new URL(location);
}

describe('oauthProvider: an OAuth 2.1 authorization server for MCP clients', () => {
  let t: ConformanceTarget;
  beforeAll(async () => {
    t = await inProcessTarget(copyFixture('helpdesk', 'oauth-provider', { config: CONFIG }), 'better-sqlite3', true, {
      ACCOUNT_URL: ACCOUNT,
    });
  }, 60_000);

  it('serves the discovery documents at the root of the API', async () => {
    const anyone = createCaller(t.fetch, t.baseURL);
    const issuer = `${t.baseURL}/auth/v1`;
    const as = await anyone.api('GET', '/.well-known/oauth-authorization-server');
    expect(as.status).toBe(200);
    expect(as.body).toMatchObject({
      issuer,
      registration_endpoint: `${issuer}/oauth2/register`,
      token_endpoint: `${issuer}/oauth2/token`,
      code_challenge_methods_supported: ['S256'],
    });
    expect((await anyone.api('GET', '/.well-known/oauth-authorization-server/auth/v1')).body.issuer).toBe(issuer);
    const oidc = await anyone.api('GET', '/.well-known/openid-configuration');
    expect(oidc.body).toMatchObject({
      issuer,
      userinfo_endpoint: `${issuer}/oauth2/userinfo`,
      jwks_uri: `${issuer}/jwks`,
    });
    const resource = await anyone.api('GET', '/.well-known/oauth-protected-resource');
    expect(resource.body).toMatchObject({ resource: t.baseURL, authorization_servers: [issuer] });
    expect((await anyone.api('GET', '/.well-known/nothing-here')).body.code).toBe('ROUTE_NOT_FOUND');
  });

  it(
    'an ACCOUNT_URL that is not a URL answers 503 MISSING_ENV (details.invalid), not a 500 from Better Auth',
    async () => {
      const bad = await inProcessTarget(
        copyFixture('helpdesk', 'oauth-bad-url', { config: CONFIG }),
        'better-sqlite3',
        true,
        { ACCOUNT_URL: 'account.helpdesk.test' },
      );
      for (const path of ['/auth/v1/get-session', '/api/v1/tickets', '/.well-known/openid-configuration']) {
        const res = await createCaller(bad.fetch, bad.baseURL).api('GET', path);
        expect(res.status, path).toBe(503);
        expect(res.body).toMatchObject({ code: 'MISSING_ENV', details: { missing: [], invalid: ['ACCOUNT_URL'] } });
      }
    },
    60_000,
  );

  it('registration → authorize → consent → token (PKCE) → userinfo → refresh', async () => {
    const registered = await createCaller(t.fetch, t.baseURL).api('POST', '/auth/v1/oauth2/register', {
      client_name: 'Test MCP client',
      redirect_uris: [REDIRECT_URI],
      application_type: 'native',
      token_endpoint_auth_method: 'none',
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      scope: 'openid profile email offline_access',
    });
    expect(registered.status).toBe(201);
    const clientId: string = registered.body.client_id;

    const verifier = randomBytes(32).toString('base64url');
    const authorize = `/auth/v1/oauth2/authorize?${new URLSearchParams({
      response_type: 'code',
      client_id: clientId,
      redirect_uri: REDIRECT_URI,
      scope: 'openid profile email offline_access',
      state: 'st-1',
      code_challenge: createHash('sha256').update(verifier).digest('base64url'),
      code_challenge_method: 'S256',
      resource: t.baseURL,
    })}`;
    const signedOut = nextUrl(await createCaller(t.fetch, t.baseURL).api('GET', authorize));
    expect(`${signedOut.origin}${signedOut.pathname}`).toBe(LOGIN);

    const ada = await signUp(t.fetch, t.baseURL, 'Ada');
    const consentPage = nextUrl(await ada.api('GET', authorize));
    expect(`${consentPage.origin}${consentPage.pathname}`).toBe(`${ACCOUNT}/consent`);
    expect(consentPage.searchParams.get('client_id')).toBe(clientId);
    const consent = await ada.api('POST', '/auth/v1/oauth2/consent', {
      accept: true,
      oauth_query: consentPage.search.slice(1),
    });
    expect(consent.status).toBe(200);
    const callback = nextUrl(consent);
    expect(`${callback.origin}${callback.pathname}`).toBe(REDIRECT_URI);
    expect(callback.searchParams.get('state')).toBe('st-1');

    const client = createCaller(t.fetch, t.baseURL);
    const token = await client.api(
      'POST',
      '/auth/v1/oauth2/token',
      new URLSearchParams({
        grant_type: 'authorization_code',
        code: callback.searchParams.get('code')!,
        code_verifier: verifier,
        redirect_uri: REDIRECT_URI,
        client_id: clientId,
        resource: t.baseURL,
      }).toString(),
      FORM,
    );
    expect(token.status).toBe(200);
    expect(token.body).toMatchObject({ token_type: 'Bearer', scope: 'openid profile email offline_access' });
    const jwks = createLocalJWKSet((await client.api('GET', '/auth/v1/jwks')).body);
    const { payload } = await jwtVerify(token.body.access_token, jwks, {
      issuer: `${t.baseURL}/auth/v1`,
      audience: t.baseURL,
    });
    expect(payload).toMatchObject({ sub: ada.userId, client_id: clientId });
    expect(decodeProtectedHeader(token.body.access_token).typ).toBe('at+jwt');
    expect((await jwtVerify(token.body.id_token, jwks, { audience: clientId })).payload.sub).toBe(ada.userId);

    const userinfo = await client.api('GET', '/auth/v1/oauth2/userinfo', undefined, {
      authorization: `Bearer ${token.body.access_token}`,
    });
    expect(userinfo.body).toMatchObject({ sub: ada.userId, email: ada.email });
    expect(
      (await client.api('GET', '/auth/v1/oauth2/userinfo', undefined, { authorization: 'Bearer not-a-token' })).status,
    ).toBe(401);

    const refreshed = await client.api(
      'POST',
      '/auth/v1/oauth2/token',
      new URLSearchParams({ grant_type: 'refresh_token', refresh_token: token.body.refresh_token, client_id: clientId })
        .toString(),
      FORM,
    );
    expect(refreshed.status).toBe(200);
    expect(refreshed.body.refresh_token).not.toBe(token.body.refresh_token);
    const reused = await client.api(
      'POST',
      '/auth/v1/oauth2/token',
      new URLSearchParams({ grant_type: 'refresh_token', refresh_token: token.body.refresh_token, client_id: clientId })
        .toString(),
      FORM,
    );
    expect(reused.status).toBe(400);
  });
});
