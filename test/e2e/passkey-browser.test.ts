/**
 * Passkeys (plugin `passkey`, seed 002) in a real browser: headless Chromium (test/helpers/browser.ts)
 * driven by playwright-core, with a CDP virtual authenticator, against the compiled helpdesk served by Node
 * on a free port. The page runs on the API's own origin (http://localhost:PORT: WebAuthn refuses
 * IP addresses, and ACCOUNT_URL, unset here, defaults the relying party to BETTER_AUTH_URL). It
 * signs up, registers a passkey through the documented paths (POST /passkey/register/options,
 * /register/verify), signs out, signs in with the passkey (/authenticate/options,
 * /authenticate/verify), reaches the API, lists and deletes the passkey, and is then refused.
 * Without a browser it says why and is skipped, or fails under CI.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium, launchChromium } from '../helpers/browser.js';
import { copyFixture } from '../helpers/project.js';
import { startServer } from '../helpers/server.js';
import { compileAndMigrate } from '../helpers/target.js';

const PLUGINS: [string, string] = [
  'defineAuth("better-auth", {',
  'defineAuth("better-auth", {\n      plugins: ["passkey"],',
];

/** The page's helpers: JSON fetches on its own origin, and WebAuthn through Chromium's JSON (de)serialisers. */
const PAGE = `<!doctype html><meta charset="utf-8"><title>passkey</title><script>
const call = async (method, path, body) => {
  const res = await fetch(path, { method, credentials: 'include', headers: body === undefined ? {} : { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
};
window.flow = {
  call,
  async register(name) {
    const options = await call('POST', '/auth/v1/passkey/register/options', {});
    if (options.status !== 200) return options;
    const credential = await navigator.credentials.create({ publicKey: PublicKeyCredential.parseCreationOptionsFromJSON(options.body) });
    const { clientExtensionResults, ...response } = credential.toJSON();
    return call('POST', '/auth/v1/passkey/register/verify', { response, name });
  },
  async signIn() {
    const options = await call('POST', '/auth/v1/passkey/authenticate/options', {});
    const credential = await navigator.credentials.get({ publicKey: PublicKeyCredential.parseRequestOptionsFromJSON(options.body) });
    const { clientExtensionResults, ...response } = credential.toJSON();
    return call('POST', '/auth/v1/passkey/authenticate/verify', { response });
  },
};
</script>`;

describe.runIf(hasChromium())('passkeys in headless Chromium with a virtual authenticator', () => {
  let server: Awaited<ReturnType<typeof startServer>>;
  let browser: Browser;
  let page: Page;
  const call = (method: string, path: string, body?: unknown) =>
    page.evaluate(([m, p, b]) => (window as any).flow.call(m, p, b), [method, path, body] as const);

  beforeAll(async () => {
    const root = copyFixture('helpdesk', 'passkey', { config: [PLUGINS] });
    await compileAndMigrate(root, 'better-sqlite3');
    server = await startServer(root, 'node', true, { host: 'localhost' });
    browser = await launchChromium();
    const context = await browser.newContext();
    page = await context.newPage();
    await page.route(
      `${server.baseURL}/passkey-test`,
      (route) => route.fulfill({ contentType: 'text/html', body: PAGE }),
    );
    const cdp = await context.newCDPSession(page);
    await cdp.send('WebAuthn.enable');
    await cdp.send('WebAuthn.addVirtualAuthenticator', {
      options: {
        protocol: 'ctap2',
        transport: 'internal',
        hasResidentKey: true,
        hasUserVerification: true,
        isUserVerified: true,
        automaticPresenceSimulation: true,
      },
    });
    await page.goto(`${server.baseURL}/passkey-test`);
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('registers a passkey, signs out, signs back in with it, then deletes it', async () => {
    expect((await call('POST', '/auth/v1/passkey/register/options', {})).status).toBe(401);
    const signUp = await call('POST', '/auth/v1/sign-up/email', {
      email: 'ada@passkey.test',
      password: 'correct horse battery',
      name: 'Ada',
    });
    expect(signUp.status).toBe(200);
    const registered = await page.evaluate(() => (window as any).flow.register('Laptop'));
    expect(registered.status).toBe(200);
    expect(registered.body).toMatchObject({ name: 'Laptop', userId: signUp.body.user.id });

    expect((await call('POST', '/auth/v1/sign-out', {})).status).toBe(200);
    expect((await call('GET', '/auth/v1/get-session')).body).toBeNull();
    expect((await call('GET', '/api/v1/tickets')).status).toBe(401);

    const signedIn = await page.evaluate(() => (window as any).flow.signIn());
    expect(signedIn.status).toBe(200);
    expect(signedIn.body.user.email).toBe('ada@passkey.test');
    expect((await call('GET', '/auth/v1/get-session')).body.user.email).toBe('ada@passkey.test');
    expect((await call('GET', '/api/v1/tickets')).body.code).toBe('ORG_REQUIRED');

    const list = await call('GET', '/auth/v1/passkey/list-user-passkeys');
    expect(list.body).toHaveLength(1);
    expect((await call('POST', '/auth/v1/passkey/delete-passkey', { id: list.body[0].id })).body).toEqual({
      status: true,
    });
    await call('POST', '/auth/v1/sign-out', {});
    const refused = await page.evaluate(() => (window as any).flow.signIn());
    expect(refused.status).toBe(401);
  });
});
