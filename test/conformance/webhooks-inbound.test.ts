/**
 * Inbound webhooks (issue #12 §4): signed Stripe, GitHub and generic events to
 * /webhooks/v1/inbound/:provider are verified, deduped by the signed event id (GitHub: the signed
 * body's hash), stored, answered at once and handled afterwards by the project's handlers
 * (quickback/webhooks.ts): exact type, then the provider's wildcard; a throwing handler is retried
 * with its error kept. On Node in-process and on the Worker under workerd.
 */
import { createHash, createHmac } from 'node:crypto';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUp } from '../helpers/client.js';
import { copyFixture } from '../helpers/project.js';
import { pgInProcessTarget, psql } from '../helpers/pg-target.js';
import { databaseFiles, inProcessTarget } from '../helpers/target.js';
import { CLOUDFLARE, startWorker } from '../helpers/worker.js';
import { compile } from '../../src/compiler/index.js';
import { signPayload } from '../../src/runtime/addons/webhooks/webhook-signature.js';

const SECRETS = {
  WEBHOOK_SECRET_STRIPE: 'whsec_stripe',
  WEBHOOK_SECRET_GITHUB: 'gh_secret',
  WEBHOOK_SECRET_MY_CRM: 'crm_secret',
};
const HANDLERS = `import type { WebhookHandlers } from "../src/lib/quickback/addons/webhooks/webhook-inbound.js";

export const handlers: WebhookHandlers = {
  "stripe:charge.failed": async (event) => { throw new Error(\`refused \${(event.payload as { id: string }).id}\`); },
  "stripe:*": async () => {},
  "github:push": async () => {},
};
`;

type Row = {
  provider: string;
  externalId: string;
  type: string;
  status: string;
  attempts: number;
  lastError: string | null;
};
interface Target {
  fetch: (r: Request) => Promise<Response>;
  baseURL: string;
  events(): Promise<Row[]>;
  retry(): Promise<void>;
  stop(): Promise<void>;
}

const targets: [string, (label: string) => Promise<Target>][] = [
  ['node', async (label) => {
    const root = copyFixture('helpdesk', label, {
      config: [['export default defineConfig({', 'export default defineConfig({\n  webhooks: {},']],
      files: { 'quickback/webhooks.ts': HANDLERS },
    });
    const t = await inProcessTarget(root, 'better-sqlite3', true, SECRETS);
    const file = databaseFiles(root).features;
    const events = async () => {
      const db = new Database(file, { readonly: true });
      try {
        return db.prepare(
          'SELECT provider, external_id AS externalId, type, status, attempts, last_error AS lastError FROM webhook_events ORDER BY received_at',
        ).all() as Row[];
      } finally {
        db.close();
      }
    };
    return { fetch: t.fetch, baseURL: t.baseURL, events, retry: async () => {}, stop: t.close };
  }],
  ['node + supabase (PostgreSQL)', async (label) => {
    const root = copyFixture('helpdesk', label, {
      config: [
        ['export default defineConfig({', 'export default defineConfig({\n  webhooks: {},'],
        ['defineDatabase("better-sqlite3"', 'defineDatabase("supabase"'],
      ],
      files: { 'quickback/webhooks.ts': HANDLERS },
    });
    const t = await pgInProcessTarget(root, label, SECRETS);
    const events = async () => {
      const out = psql(
        t.url,
        "SELECT coalesce(json_agg(json_build_object('provider', provider, 'externalId', external_id, 'type', type, 'status', status, 'attempts', attempts, 'lastError', last_error) ORDER BY received_at), '[]') FROM webhook_events",
      );
      return JSON.parse(out) as Row[];
    };
    return { fetch: t.fetch, baseURL: t.baseURL, events, retry: async () => {}, stop: t.close };
  }],
  ['cloudflare', async (label) => {
    const root = copyFixture('helpdesk', label, {
      config: [...CLOUDFLARE, ['export default defineConfig({', 'export default defineConfig({\n  webhooks: {},']],
      files: { 'quickback/webhooks.ts': HANDLERS },
    });
    await compile({ cwd: root });
    const w = await startWorker(root, { bindings: SECRETS });
    const db = await w.mf.getD1Database('DB');
    const events = async () =>
      (await db.prepare(
        'SELECT provider, external_id AS externalId, type, status, attempts, last_error AS lastError FROM webhook_events ORDER BY received_at',
      ).all<Row>()).results;
    const worker = await w.mf.getWorker();
    return {
      fetch: (r) => fetch(r),
      baseURL: w.baseURL,
      events,
      retry: async () => {
        await worker.scheduled({ cron: '* * * * *' });
      },
      stop: () => w.mf.dispose(),
    };
  }],
];

describe.each(targets)('inbound webhooks on %s', (name, start) => {
  let t: Target;
  const post = (provider: string, body: string, headers: Record<string, string>) =>
    t.fetch(
      new Request(`${t.baseURL}/webhooks/v1/inbound/${provider}`, {
        method: 'POST',
        body,
        headers: { 'content-type': 'application/json', ...headers },
      }),
    );
  const stripe = (event: object, secret = SECRETS.WEBHOOK_SECRET_STRIPE) => {
    const body = JSON.stringify(event);
    return post('stripe', body, { 'stripe-signature': signPayload(secret, body) });
  };
  const settled = async (match: (r: Row) => boolean, done: (r: Row) => boolean) => {
    for (let i = 0; i < 100; i++) {
      const row = (await t.events()).find(match);
      if (row && done(row)) return row;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`event not settled: ${JSON.stringify(await t.events())}`);
  };

  beforeAll(async () => {
    t = await start(`inbound-${name.split(/\W/)[0]}${name.includes('supabase') ? '-pg' : ''}`);
  }, 120_000);
  afterAll(() => t?.stop());

  it('stores a signed Stripe event once, answers at once, and runs its handler', async () => {
    const first = await stripe({ id: 'evt_1', type: 'checkout.session.completed', data: { object: { id: 'cs_1' } } });
    expect(first.status).toBe(200);
    expect(await first.json()).toMatchObject({ received: true, id: expect.stringMatching(/^whe_/) });
    const again = await stripe({ id: 'evt_1', type: 'checkout.session.completed', data: {} });
    expect(await again.json()).toEqual({ received: true, duplicate: true });
    const row = await settled((r) => r.externalId === 'evt_1', (r) => r.status === 'processed');
    expect(row).toMatchObject({ provider: 'stripe', type: 'checkout.session.completed', attempts: 1, lastError: null });
    expect((await t.events()).filter((r) => r.externalId === 'evt_1')).toHaveLength(1);
  });

  it('refuses a wrong secret, an edited body and an old timestamp with 401, storing nothing', async () => {
    const before = (await t.events()).length;
    expect((await stripe({ id: 'evt_bad', type: 'x' }, 'whsec_other')).status).toBe(401);
    const body = JSON.stringify({ id: 'evt_edit', type: 'x' });
    const edited = await post('stripe', body.replace('x', 'y'), {
      'stripe-signature': signPayload(SECRETS.WEBHOOK_SECRET_STRIPE, body),
    });
    expect(await edited.json()).toMatchObject({ code: 'AUTH_INVALID_TOKEN', details: { reason: 'mismatch' } });
    const old = await post('stripe', body, {
      'stripe-signature': signPayload(SECRETS.WEBHOOK_SECRET_STRIPE, body, Date.now() - 301_000),
    });
    expect(await old.json()).toMatchObject({ details: { reason: 'expired' } });
    expect((await t.events()).length).toBe(before);
  });

  it('a signed event whose id or type holds NUL or an unpaired surrogate is 400 VALIDATION_FAILED, storing nothing', async () => {
    const before = (await t.events()).length;
    for (
      const [event, field] of [
        [{ id: 'evt_\u0000', type: 'x' }, 'id'],
        [{ id: 'evt_nul_type', type: 'x\uD800' }, 'type'],
      ] as const
    ) {
      const res = await stripe(event);
      const body = (await res.json()) as { code: string; details: { fields: object } };
      expect([res.status, body.code, Object.keys(body.details.fields)]).toEqual([400, 'VALIDATION_FAILED', [field]]);
    }
    expect((await t.events()).length).toBe(before);
  });

  it('verifies GitHub (x-hub-signature-256) and the generic scheme; an unconfigured provider is 404', async () => {
    const push = JSON.stringify({ ref: 'refs/heads/main' });
    const gh = await post('github', push, {
      'x-hub-signature-256': `sha256=${createHmac('sha256', SECRETS.WEBHOOK_SECRET_GITHUB).update(push).digest('hex')}`,
      'x-github-event': 'push',
      'x-github-delivery': 'd-1',
    });
    expect(gh.status).toBe(200);
    // GitHub signs no delivery id: the event is keyed by the signed body's hash (issue #29).
    const key = `sha256:${createHash('sha256').update(push).digest('hex')}`;
    expect(await settled((r) => r.externalId === key, (r) => r.status === 'processed')).toMatchObject({
      provider: 'github',
      type: 'push',
    });
    const crm = JSON.stringify({ id: 'c-1', type: 'contact.created' });
    expect(
      (await post('my-crm', crm, { 'x-webhook-signature': signPayload(SECRETS.WEBHOOK_SECRET_MY_CRM, crm) })).status,
    ).toBe(200);
    expect(await settled((r) => r.externalId === 'c-1', (r) => r.status === 'processed')).toMatchObject({
      provider: 'my-crm',
      type: 'contact.created',
    });
    expect((await post('paypal', crm, { 'x-webhook-signature': signPayload('x', crm) })).status).toBe(404);
  });

  it('a throwing handler is retried with its error kept; admin routes are for platform admins', async () => {
    await stripe({ id: 'evt_fail', type: 'charge.failed' });
    const failed = await settled((r) => r.externalId === 'evt_fail', (r) => r.attempts >= 1);
    expect(failed).toMatchObject({ status: 'received', lastError: 'refused evt_fail' });
    await new Promise((r) => setTimeout(r, 2100));
    await t.retry();
    expect(await settled((r) => r.externalId === 'evt_fail', (r) => r.attempts >= 2)).toMatchObject({
      lastError: 'refused evt_fail',
    });
    const member = await signUp(t.fetch, t.baseURL, 'Member');
    expect((await member.api('GET', '/webhooks/v1/inbound/events')).body.code).toBe('ACCESS_ADMIN_REQUIRED');
  });
});
