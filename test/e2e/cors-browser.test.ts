/**
 * A browser app on another origin, as users build one: a page served from a second origin
 * (its own server on a free port, listed in `trustedOrigins`) loads Better Auth's own browser
 * client (bundled from `better-auth/client` with esbuild) and, with credentials, signs up, creates
 * an organization, then creates, PATCHes, DELETEs and lists tickets through the API on another
 * port, uploads a file, registers a webhook endpoint and hears its write on a realtime socket —
 * every request a cross-origin one, the JSON writes preflighted, in headless Chromium. The API runs
 * on the Node server at http://localhost:PORT (same site as the page, so Better Auth's SameSite=Lax
 * cookie travels). The page at the default dev origin http://localhost:5173 (not listed; Chromium's
 * host rules send it to the front end's free port) signs in too; an untrusted origin is refused.
 */
import { build } from 'esbuild';
import { createServer, type Server } from 'node:http';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addonsProject } from '../helpers/addons.js';
import { hasChromium, launchChromium } from '../helpers/browser.js';
import { REPO } from '../helpers/project.js';
import { freePort, startServer } from '../helpers/server.js';
import { compileAndMigrate } from '../helpers/target.js';
import { PAGE, type Flow } from './cors-page.js';

/** Better Auth's browser client as one script: `window.BetterAuth.{createAuthClient, organizationClient}`. */
async function clientBundle(): Promise<string> {
  const result = await build({
    stdin: {
      contents:
        "export { createAuthClient } from 'better-auth/client';\nexport { organizationClient } from 'better-auth/client/plugins';\n",
      resolveDir: REPO,
      loader: 'ts',
    },
    bundle: true,
    format: 'iife',
    globalName: 'BetterAuth',
    platform: 'browser',
    target: 'es2022',
    write: false,
    logLevel: 'silent',
  });
  return result.outputFiles[0].text;
}

/** The front end's static server: the page and the client bundle, on 127.0.0.1. */
async function serveFrontEnd(port: number, script: string): Promise<Server> {
  const server = createServer((req, res) => {
    if (req.url === '/better-auth.js')
      return void res.writeHead(200, { 'content-type': 'text/javascript' }).end(script);
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(PAGE);
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return server;
}

describe.runIf(hasChromium())(
  'a browser app on another origin (Better Auth client, credentials, CORS) in headless Chromium',
  () => {
    let api: Awaited<ReturnType<typeof startServer>>;
    let front: Server;
    let frontURL: string;
    let browser: Browser;
    let page: Page;
    const flow = <K extends keyof Flow>(p: Page, step: K, ...args: Parameters<Flow[K]>) =>
      p.evaluate(([s, a]) => (window as any).flow[s](...a), [step, args] as const) as ReturnType<Flow[K]>;

    beforeAll(async () => {
      const frontPort = await freePort();
      frontURL = `http://localhost:${frontPort}`;
      const root = addonsProject('cors-browser', [[
        'export default defineConfig({',
        `export default defineConfig({\n  trustedOrigins: ["${frontURL}"],`,
      ]]);
      await compileAndMigrate(root, 'better-sqlite3');
      // Not NODE_ENV=test, in which Better Auth skips its origin check.
      api = await startServer(root, 'node', true, {
        host: 'localhost',
        env: { NODE_ENV: 'development', QUICKBACK_WEBHOOKS_ALLOW_PRIVATE: '1' },
      });
      front = await serveFrontEnd(frontPort, await clientBundle());
      browser = await launchChromium();
      page = await (await browser.newContext()).newPage();
      await page.goto(`${frontURL}/?api=${encodeURIComponent(api.baseURL)}`);
    }, 120_000);
    afterAll(async () => {
      await browser?.close();
      await new Promise((resolve) => (front ? front.close(resolve) : resolve(undefined)));
      await api?.stop();
    });

    it("signs up and creates an organization through Better Auth's client, cross-origin with credentials", async () => {
      const signUp = await flow(page, 'signUp', 'ada@front.test');
      expect(signUp).toMatchObject({ error: null, email: 'ada@front.test' });
      const org = await flow(page, 'createOrganization', 'Acme');
      expect(org).toMatchObject({ error: null, active: org.id });
    });

    it('creates, PATCHes, DELETEs and lists records; reads the exposed headers', async () => {
      const result = await flow(page, 'crud');
      expect(result.created).toMatchObject({ status: 201, body: { title: 'From the browser' } });
      expect(result.patched).toMatchObject({ status: 200, body: { title: 'Edited in the browser' } });
      expect(result.listed.status).toBe(200);
      expect(result.listed.body.data.map((t: any) => t.title)).toEqual(['Edited in the browser', 'Second']);
      expect(result.listed.etag).toMatch(/^W\//);
      expect(result.listed.requestId).toMatch(/^[\w-]+$/);
      expect(result.deleted).toMatchObject({ status: 200, body: { success: true } });
      expect(result.afterDelete.body.data.map((t: any) => t.title)).toEqual(['Second']);
      expect(result.anonymous).toMatchObject({ status: 401, body: { code: 'AUTH_MISSING' } });
    });

    it('reaches the add-ons: uploads and downloads a file, registers a webhook endpoint, hears a write on a socket', async () => {
      const result = await flow(page, 'addons');
      expect(result.uploaded).toMatchObject({ status: 201 });
      expect(result.downloaded).toEqual({ status: 200, text: 'hello from the browser' });
      expect(result.endpoint).toMatchObject({ status: 201, body: { secret: expect.stringMatching(/^whsec_/) } });
      expect(result.heard).toMatchObject({
        type: 'postgres_changes',
        table: 'tickets',
        eventType: 'INSERT',
        new: { title: 'Heard live' },
      });
    });

    it("signs in from the default dev origin http://localhost:5173 too (Chromium maps it to the front end's port)", async () => {
      const mapped = await launchChromium([`--host-rules=MAP localhost:5173 127.0.0.1:${new URL(frontURL).port}`]);
      try {
        const dev = await (await mapped.newContext()).newPage();
        await dev.goto(`http://localhost:5173/?api=${encodeURIComponent(api.baseURL)}`);
        expect(await flow(dev, 'signIn', 'ada@front.test')).toMatchObject({ error: null });
        expect(await flow(dev, 'activateFirst')).toMatchObject({ error: null });
        const listed = await flow(dev, 'list');
        expect(listed).toMatchObject({ status: 200 });
        expect(('body' in listed ? listed.body.data : []).map((t: any) => t.title).sort()).toEqual([
          'Heard live',
          'Second',
        ]);
      } finally {
        await mapped.close();
      }
    });

    it('is refused by the browser on an origin the API does not trust', async () => {
      const untrusted = await (await browser.newContext()).newPage();
      await untrusted.goto(`${frontURL.replace('localhost', '127.0.0.1')}/?api=${encodeURIComponent(api.baseURL)}`);
      expect(await flow(untrusted, 'signIn', 'ada@front.test')).toMatchObject({ error: { status: 0 } });
      expect(await flow(untrusted, 'list')).toEqual({ blocked: true });
    });
  },
);
