/**
 * Outbound webhooks (issue #12 §4): endpoint management limited to webhookAdminRoles, signed
 * deliveries a local receiver on 127.0.0.1 verifies, retries after a 500, declarative table events
 * (`webhooks` on tickets), the test event and secret rotation. On Node in-process (the delivery
 * loop of the app) and on the Worker under workerd (the first attempt after the response, retries
 * from the cron trigger). The block-list is relaxed for the loopback receiver explicitly
 * (QUICKBACK_WEBHOOKS_ALLOW_PRIVATE=1); on every target a second app without it, on databases of
 * its own, refuses the same URL and other internal targets.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUp, type FetchLike } from '../helpers/client.js';
import { addMember, createOrg, type User } from '../helpers/orgs.js';
import { copyFixture } from '../helpers/project.js';
import { startReceiver } from '../helpers/receiver.js';
import { pgInProcessTarget } from '../helpers/pg-target.js';
import { appEnv, inProcessTarget } from '../helpers/target.js';
import { CLOUDFLARE, startWorker } from '../helpers/worker.js';
import { compile } from '../../src/compiler/index.js';
import { applyMigrations } from '../../src/compiler/migrate/apply.js';
import { createTestDatabase } from '../helpers/postgres.js';
import { startWsProxy } from '../helpers/ws-proxy.js';

const ALLOW = { QUICKBACK_WEBHOOKS_ALLOW_PRIVATE: '1' };

function webhooksProject(label: string, config: [string, string][]): string {
  const root = copyFixture('helpdesk', label, {
    config: [
      ['export default defineConfig({', 'export default defineConfig({\n  webhooks: { allowInsecure: true },'],
      ...config,
    ],
  });
  const file = path.join(root, 'quickback', 'features', 'tickets', 'tickets.ts');
  writeFileSync(
    file,
    readFileSync(file, 'utf8').replace('  read: { access:', '  webhooks: { onDelete: false },\n  read: { access:'),
  );
  return root;
}

/** `strict`: the same app without the relaxation, as production runs it. */
interface Target {
  fetch: FetchLike;
  baseURL: string;
  strict: { fetch: FetchLike; baseURL: string };
  retry(): Promise<void>;
  stop(): Promise<void>;
}

const targets: [string, (label: string) => Promise<Target>][] = [
  ['node', async (label) => {
    const root = webhooksProject(label, []);
    const t = await inProcessTarget(root, 'better-sqlite3', true, ALLOW);
    // The same app without the relaxation, on databases of its own (its delivery loop must not take the other's deliveries).
    const files = {
      DATABASE_URL: `file:${path.join(root, 'data', 'strict-features.db')}`,
      AUTH_DATABASE_URL: `file:${path.join(root, 'data', 'strict-auth.db')}`,
    };
    await applyMigrations({
      driver: 'better-sqlite3',
      url: files.DATABASE_URL,
      migrationsFolder: path.join(root, 'quickback/drizzle/features'),
    });
    await applyMigrations({
      driver: 'better-sqlite3',
      url: files.AUTH_DATABASE_URL,
      migrationsFolder: path.join(root, 'quickback/drizzle/auth'),
    });
    const { createApp } = await import(pathToFileURL(path.join(root, 'src', 'index.ts')).href);
    const strict = createApp({ ...appEnv(root, t.baseURL), ...files });
    return {
      fetch: t.fetch,
      baseURL: t.baseURL,
      strict: { fetch: async (r) => strict.request(r), baseURL: t.baseURL },
      retry: async () => {},
      stop: t.close,
    };
  }],
  ['node + supabase (PostgreSQL)', async (label) => {
    const root = webhooksProject(label, [['defineDatabase("better-sqlite3"', 'defineDatabase("supabase"']]);
    const t = await pgInProcessTarget(root, label, ALLOW);
    const own = await createTestDatabase(`${label.replace(/-/g, '_')}_strict`);
    await applyMigrations({
      driver: 'node-postgres',
      url: own.url,
      migrationsFolder: path.join(root, 'quickback/drizzle/features'),
    });
    const strict = t.createApp({ QUICKBACK_WEBHOOKS_ALLOW_PRIVATE: '', DATABASE_URL: own.url });
    return {
      fetch: t.fetch,
      baseURL: t.baseURL,
      strict: { fetch: async (r) => strict.request(r), baseURL: t.baseURL },
      retry: async () => {},
      stop: async () => {
        await t.close();
        await own.drop();
      },
    };
  }],
  ['cloudflare', async (label) => {
    const root = webhooksProject(label, CLOUDFLARE);
    await compile({ cwd: root });
    const w = await startWorker(root, { bindings: ALLOW });
    const strict = await startWorker(root, { state: 'strict-state' });
    const worker = await w.mf.getWorker();
    return {
      fetch: (r) => fetch(r),
      baseURL: w.baseURL,
      strict: { fetch: (r) => fetch(r), baseURL: strict.baseURL },
      retry: async () => {
        await worker.scheduled({ cron: '* * * * *' });
      },
      stop: async () => {
        await w.mf.dispose();
        await strict.mf.dispose();
      },
    };
  }],
];

/** Workers + neon over WebSocket (a pool per request): deliveries and table events run after the response on connections of their own. */
targets.push(['cloudflare + neon (PostgreSQL)', async (label) => {
  const proxy = await startWsProxy();
  const root = webhooksProject(label, [CLOUDFLARE[0], [
    'defineDatabase("better-sqlite3", {',
    'defineDatabase("neon", { connectionMode: "websocket",',
  ]]);
  await compile({ cwd: root });
  const db = await createTestDatabase(label.replace(/-/g, '_'));
  await applyMigrations({
    driver: 'node-postgres',
    url: db.url,
    migrationsFolder: path.join(root, 'quickback/drizzle/features'),
  });
  const w = await startWorker(root, { bindings: { ...ALLOW, DATABASE_URL: db.url, NEON_WS_PROXY: proxy.address } });
  const strict = await startWorker(root, {
    state: 'strict-state',
    bindings: { DATABASE_URL: db.url, NEON_WS_PROXY: proxy.address },
  });
  const worker = await w.mf.getWorker();
  return {
    fetch: (r) => fetch(r),
    baseURL: w.baseURL,
    strict: { fetch: (r) => fetch(r), baseURL: strict.baseURL },
    retry: async () => {
      await worker.scheduled({ cron: '* * * * *' });
    },
    stop: async () => {
      await w.mf.dispose();
      await strict.mf.dispose();
      await proxy.close();
      await db.drop();
    },
  };
}]);

describe.each(targets)('webhooks on %s', (name, start) => {
  let t: Target;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let ada: User, bob: User, eve: User;
  let endpointId: string;

  beforeAll(async () => {
    receiver = await startReceiver();
    t = await start(`webhooks-${name.split(/\W/)[0]}${/supabase|neon/.test(name) ? '-pg' : ''}`);
    [ada, bob, eve] = await Promise.all(['Ada', 'Bob', 'Eve'].map((n) => signUp(t.fetch, t.baseURL, n)));
    const org = await createOrg(ada, 'Hooks');
    await addMember(ada, bob, org, 'member');
    await createOrg(eve, 'Other');
  }, 120_000);
  afterAll(async () => {
    await t?.stop();
    await receiver?.close();
  });

  it('owners and admins manage endpoints; the secret is shown once; members and other organizations cannot reach them', async () => {
    const created = await ada.api('POST', '/webhooks/v1/endpoints', {
      url: receiver.url,
      events: ['*'],
      description: 'ops',
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      id: expect.stringMatching(/^wep_/),
      url: receiver.url,
      events: ['*'],
      active: true,
      secret: expect.stringMatching(/^whsec_/),
    });
    endpointId = created.body.id;
    receiver.state.secret = created.body.secret;
    const shown = await ada.api('GET', `/webhooks/v1/endpoints/${endpointId}`);
    expect(shown.status).toBe(200);
    expect(shown.body).not.toHaveProperty('secret');
    expect((await bob.api('GET', '/webhooks/v1/endpoints')).body).toMatchObject({
      code: 'ACCESS_ROLE_REQUIRED',
      details: { required: ['owner', 'admin'] },
    });
    expect((await eve.api('GET', `/webhooks/v1/endpoints/${endpointId}`)).status).toBe(404);
    expect((await eve.api('DELETE', `/webhooks/v1/endpoints/${endpointId}`)).status).toBe(404);
    expect((await ada.api('GET', '/webhooks/v1/events')).body.events).toEqual([
      'tickets.created',
      'tickets.updated',
      'webhook.test',
    ]);
    const unknown = await ada.api('POST', '/webhooks/v1/endpoints', {
      url: receiver.url,
      events: ['tickets.exploded'],
    });
    expect(unknown.status).toBe(400);
  });

  it('refuses internal targets unless the block-list is relaxed, and other schemes or credentialed URLs always', async () => {
    for (const url of ['ftp://example.com/x', 'https://user:pw@example.com/x', 'not a url']) {
      const res = await ada.api('POST', '/webhooks/v1/endpoints', { url, events: ['*'] });
      expect(res.status).toBe(400);
      expect(res.body.details.fields.url).toBeTruthy();
    }
    const strict = await signUp(t.strict.fetch, t.strict.baseURL, 'Strict');
    await createOrg(strict, 'Strict');
    for (const url of [
      receiver.url,
      'https://169.254.169.254/latest/meta-data',
      'https://localhost/x',
      'https://10.0.0.1/x',
    ]) {
      const res = await strict.api('POST', '/webhooks/v1/endpoints', { url, events: ['*'] });
      expect(res.status).toBe(400);
      expect(res.body.details.fields.url).toMatch(/internal|https/);
    }
  });

  it("a ticket write is delivered signed, as the endpoint's creator (an owner) reads the row; a 500 is retried until delivered", async () => {
    receiver.state.plan = [500];
    const { body: ticket } = await bob.api('POST', '/api/v1/tickets', {
      title: 'Hook me',
      customerEmail: 'jane@example.com',
    });
    const first = await receiver.next((r) => r.event === 'tickets.created' && r.body.data.id === ticket.id);
    expect(first).toMatchObject({ verified: true, status: 500, delivery: expect.stringMatching(/^whd_/) });
    expect(first.body).toMatchObject({
      id: expect.stringMatching(/^evt_/),
      type: 'tickets.created',
      data: { title: 'Hook me', customerEmail: 'jane@example.com' },
    });
    await new Promise((r) => setTimeout(r, 2100)); // the first retry is due 2 s later
    await t.retry();
    const second = await receiver.next((r) =>
      r.event === 'tickets.created' && r.body.data.id === ticket.id && r.status === 200
    );
    expect(second).toMatchObject({ verified: true, delivery: first.delivery });
    const log = await ada.api('GET', `/webhooks/v1/endpoints/${endpointId}/deliveries`);
    expect(log.body.data.find((d: any) => d.id === first.delivery)).toMatchObject({
      eventType: 'tickets.created',
      status: 'delivered',
      attempts: 2,
      lastStatus: 200,
    });
  });

  it('updates are announced and deletes are not (onDelete: false); the test event uses the rotated secret', async () => {
    const { body: ticket } = await ada.api('POST', '/api/v1/tickets', { title: 'Lifecycle' });
    await ada.api('PATCH', `/api/v1/tickets/${ticket.id}`, { title: 'Renamed' });
    expect((await receiver.next((r) => r.event === 'tickets.updated' && r.body.data.id === ticket.id)).body.data.title)
      .toBe('Renamed');
    await ada.api('DELETE', `/api/v1/tickets/${ticket.id}`);
    const rotated = await ada.api('POST', `/webhooks/v1/endpoints/${endpointId}/rotate-secret`);
    receiver.state.secret = rotated.body.secret;
    const test = await ada.api('POST', `/webhooks/v1/endpoints/${endpointId}/test`);
    expect(test.status).toBe(202);
    const hit = await receiver.next((r) => r.delivery === test.body.deliveryId);
    expect(hit).toMatchObject({ event: 'webhook.test', verified: true, body: { data: { endpointId } } });
    expect(receiver.received.filter((r) => r.event === 'tickets.deleted')).toEqual([]);
  });
});
