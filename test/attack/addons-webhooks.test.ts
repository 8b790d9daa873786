/**
 * Webhooks, issue #29 parts 3 and 4, on Node (SQLite). Outbound: every endpoint reads as the roles
 * it records (its creator's in the organization, or an explicit role at or below them), so for
 * every role of `webhookAdminRoles` the `data` a receiver gets equals what GET answers that role —
 * the owner-only `phone` masked for an admin's endpoint, in clear for the owner's; an endpoint saved
 * before roles were recorded reads as the least of `webhookAdminRoles`; an admin cannot redirect an
 * owner's endpoint. Inbound: the event id and type come from signed material only — a captured
 * delivery replayed with other `x-webhook-id` / `x-webhook-event` / `x-github-*` headers is refused
 * or a duplicate, never a new event (fast-check over header mutations, logged seed); GitHub's same
 * body twice is a duplicate. On the Worker under workerd (table events queued after the response,
 * `detached`), the per-role comparison runs once more.
 */
import { createHash, createHmac } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUp, type FetchLike } from '../helpers/client.js';
import { addMember, createOrg, type User } from '../helpers/orgs.js';
import { copyFixture } from '../helpers/project.js';
import { startReceiver, type Received } from '../helpers/receiver.js';
import { databaseFiles, inProcessTarget } from '../helpers/target.js';
import { CLOUDFLARE, startWorker } from '../helpers/worker.js';
import { compile } from '../../src/compiler/index.js';
import { DEFAULT_WEBHOOK_ADMIN_ROLES } from '../../src/compiler/model/webhooks.js';
import { signPayload } from '../../src/runtime/addons/webhooks/webhook-signature.js';

const SEED = 20261207;
const SVIX_KEY = Buffer.from('standard-webhooks-key-32-bytes!!');
const SECRETS = {
  WEBHOOK_SECRET_MY_CRM: 'crm_secret',
  WEBHOOK_SECRET_GITHUB: 'gh_secret',
  WEBHOOK_SECRET_SVIX_APP: `whsec_${SVIX_KEY.toString('base64')}`,
  QUICKBACK_WEBHOOKS_ALLOW_PRIVATE: '1',
};

/** The helpdesk with webhooks on tickets and an owner-only masked `phone`. */
function project(label: string, config: [string, string][] = []): string {
  const root = copyFixture('helpdesk', label, {
    config: [
      ['export default defineConfig({', 'export default defineConfig({\n  webhooks: { allowInsecure: true },'],
      ...config,
    ],
  });
  const file = path.join(root, 'quickback', 'features', 'tickets', 'tickets.ts');
  const edits: [string, string][] = [
    [
      '    customerEmail: q.email().optional().filterable("eq"),',
      '    customerEmail: q.email().optional().filterable("eq"),\n    phone: q.text().optional(),',
    ],
    [
      'createable: ["title", "estimate", "dueAt", "assigneeId"]',
      'createable: ["title", "estimate", "dueAt", "assigneeId", "phone"]',
    ],
    [
      '    customerEmail: { type: "email", show: { roles: ["admin+"] } },',
      '    customerEmail: { type: "email", show: { roles: ["admin+"] } },\n    phone: { type: "phone", show: { roles: ["owner"] } },',
    ],
    ['  read: { access:', '  webhooks: true,\n  read: { access:'],
  ];
  let text = readFileSync(file, 'utf8');
  for (const [from, to] of edits) {
    if (!text.includes(from)) throw new Error(`tickets.ts: "${from}" not found`);
    text = text.replace(from, to);
  }
  writeFileSync(file, text);
  return root;
}

let fetchApp: FetchLike;
let baseURL: string;
let features: string;
let receiver: Awaited<ReturnType<typeof startReceiver>>;
let owner: User, admin: User, member: User;
let org: string;
const byRole: Record<string, User> = {};

const sql = <T>(run: (db: Database.Database) => T): T => {
  const db = new Database(features);
  try {
    return run(db);
  } finally {
    db.close();
  }
};

beforeAll(async () => {
  receiver = await startReceiver();
  const root = project('addons-webhooks');
  const t = await inProcessTarget(root, 'better-sqlite3', true, SECRETS);
  [fetchApp, baseURL, features] = [t.fetch, t.baseURL, databaseFiles(root).features];
  [owner, admin, member] = await Promise.all(['Olga', 'Adam', 'Mel'].map((n) => signUp(t.fetch, t.baseURL, n)));
  org = await createOrg(owner, 'Hooks');
  await addMember(owner, admin, org, 'admin');
  await addMember(owner, member, org, 'member');
  Object.assign(byRole, { owner, admin, member });
}, 120_000);
afterAll(async () => {
  await receiver?.close();
});

/** For every role of webhookAdminRoles: an endpoint created by that role's user gets a member's new ticket as GET answers that user. */
async function deliveriesMatchGet(users: Record<string, User>, tag: string) {
  for (const role of DEFAULT_WEBHOOK_ADMIN_ROLES)
    expect((await endpoint(users[role], `${tag}-by-${role}`)).status).toBe(201);
  const { body: ticket } = await users.member.api('POST', '/api/v1/tickets', {
    title: 'Call me',
    customerEmail: 'jane@example.com',
    phone: '+1 555 123 4567',
  });
  for (const role of DEFAULT_WEBHOOK_ADMIN_ROLES) {
    const delivery = await deliveryTo(`${tag}-by-${role}`, ticket.id);
    const read = await users[role].api('GET', `/api/v1/tickets/${ticket.id}`);
    expect(read.status).toBe(200);
    expect({ role, verified: delivery.verified, data: delivery.body.data }).toEqual({
      role,
      verified: true,
      data: read.body,
    });
  }
  expect((await deliveryTo(`${tag}-by-owner`, ticket.id)).body.data.phone).toBe('+1 555 123 4567');
  expect((await deliveryTo(`${tag}-by-admin`, ticket.id)).body.data.phone).not.toContain('555 123');
}

/** An endpoint of the organization, created by `creator` (with `extra` in the body), delivering to `?ep=<tag>`. */
async function endpoint(creator: User, tag: string, extra: Record<string, unknown> = {}) {
  const res = await creator.api('POST', '/webhooks/v1/endpoints', {
    url: `${receiver.url}?ep=${tag}`,
    events: ['tickets.created', 'tickets.updated'],
    ...extra,
  });
  if (res.status === 201) receiver.state.secrets.push(res.body.secret);
  return res;
}
const deliveryTo = (tag: string, ticketId: string, type = 'tickets.created'): Promise<Received> =>
  receiver.next((r) => r.path.endsWith(`?ep=${tag}`) && r.event === type && r.body.data?.id === ticketId);

describe('outbound webhooks read as the role of their endpoint', () => {
  it('for every role of webhookAdminRoles, a delivery carries exactly what GET answers that role', () =>
    deliveriesMatchGet(byRole, 'node'));

  it("an explicit role at or below the creator's is recorded and read as; above it is 400", async () => {
    const asAdmin = await endpoint(owner, 'owner-as-admin', { role: 'admin' });
    const asMember = await endpoint(owner, 'owner-as-member', { role: 'member' });
    expect([asAdmin.status, asAdmin.body.roles, asMember.status, asMember.body.roles]).toEqual([201, ['admin'], 201, [
      'member',
    ]]);
    for (const role of ['owner', 'nobody']) {
      const refused = await endpoint(admin, 'refused', { role });
      expect([refused.status, refused.body.code, Object.keys(refused.body.details?.fields ?? {})]).toEqual([
        400,
        'VALIDATION_FAILED',
        ['role'],
      ]);
    }
    const { body: ticket } = await owner.api('POST', '/api/v1/tickets', {
      title: 'Explicit',
      customerEmail: 'joe@example.com',
      phone: '+1 555 987 6543',
    });
    for (const [tag, role] of [['owner-as-admin', 'admin'], ['owner-as-member', 'member']]) {
      const read = await byRole[role].api('GET', `/api/v1/tickets/${ticket.id}`);
      expect((await deliveryTo(tag, ticket.id)).body.data).toEqual(read.body);
    }
  });

  it("an admin cannot redirect, re-role or re-key an owner's endpoint, and can its own", async () => {
    const { body: owners } = await endpoint(owner, 'owners');
    for (
      const [method, url, body] of [
        ['PATCH', `/webhooks/v1/endpoints/${owners.id}`, { url: `${receiver.url}?ep=stolen` }],
        ['PATCH', `/webhooks/v1/endpoints/${owners.id}`, { role: 'admin' }],
        ['POST', `/webhooks/v1/endpoints/${owners.id}/rotate-secret`, undefined],
      ] as const
    ) {
      const res = await admin.api(method, url, body);
      expect([res.status, res.body.code]).toEqual([403, 'ACCESS_ROLE_REQUIRED']);
    }
    const { body: admins } = await endpoint(admin, 'admins-own');
    expect((await admin.api('PATCH', `/webhooks/v1/endpoints/${admins.id}`, { description: 'mine' })).status).toBe(200);
    expect((await admin.api('PATCH', `/webhooks/v1/endpoints/${admins.id}`, { role: 'owner' })).status).toBe(400);
  });

  it('an endpoint saved before roles were recorded reads as the least of webhookAdminRoles', async () => {
    const { body: legacy } = await endpoint(owner, 'legacy');
    sql((db) => db.prepare('UPDATE webhook_endpoints SET roles = NULL WHERE id = ?').run(legacy.id));
    const { body: ticket } = await member.api('POST', '/api/v1/tickets', {
      title: 'Old endpoint',
      phone: '+1 555 000 1111',
    });
    const read = await admin.api('GET', `/api/v1/tickets/${ticket.id}`);
    expect((await deliveryTo('legacy', ticket.id)).body.data).toEqual(read.body);
  });
});

describe('inbound webhooks: id and type from signed material only', () => {
  const post = (provider: string, body: string, headers: Record<string, string>) =>
    fetchApp(
      new Request(`${baseURL}/webhooks/v1/inbound/${provider}`, {
        method: 'POST',
        body,
        headers: { 'content-type': 'application/json', ...headers },
      }),
    );
  const stored = () =>
    sql((db) =>
      db.prepare('SELECT provider, external_id AS externalId, type FROM webhook_events ORDER BY received_at, rowid')
        .all() as { provider: string; externalId: string; type: string }[]
    );
  const generic = (body: string, headers: Record<string, string> = {}) =>
    post('my-crm', body, { 'x-webhook-signature': signPayload(SECRETS.WEBHOOK_SECRET_MY_CRM, body), ...headers });
  const github = (body: string, headers: Record<string, string>) =>
    post('github', body, {
      'x-hub-signature-256': `sha256=${createHmac('sha256', SECRETS.WEBHOOK_SECRET_GITHUB).update(body).digest('hex')}`,
      ...headers,
    });
  /** Standard Webhooks' three headers for `body` as message `id`, signed now. */
  const standardHeaders = (id: string, body: string) => {
    const timestamp = String(Math.floor(Date.now() / 1000));
    return {
      'webhook-id': id,
      'webhook-timestamp': timestamp,
      'webhook-signature': `v1,${createHmac('sha256', SVIX_KEY).update(`${id}.${timestamp}.${body}`).digest('base64')}`,
    };
  };
  /** Not a new event: refused (4xx) or answered as a duplicate. */
  const notNew = async (res: Response) => {
    const body = (await res.json()) as { duplicate?: boolean };
    return res.status >= 400 && res.status < 500
      ? 'refused'
      : body.duplicate === true
      ? 'duplicate'
      : `stored (${res.status})`;
  };

  it('a captured generic delivery replayed with another x-webhook-id or x-webhook-event is not a new event', async () => {
    const body = JSON.stringify({ id: 'c-1', type: 'contact.created', data: { name: 'Ann' } });
    const headers = { 'x-webhook-signature': signPayload(SECRETS.WEBHOOK_SECRET_MY_CRM, body) };
    expect(
      (await post('my-crm', body, { ...headers, 'x-webhook-id': 'c-1', 'x-webhook-event': 'contact.created' })).status,
    ).toBe(200);
    const outcomes = [
      await notNew(await post('my-crm', body, { ...headers, 'x-webhook-id': 'c-2' })),
      await notNew(await post('my-crm', body, { ...headers, 'x-webhook-event': 'contact.deleted' })),
    ];
    expect(outcomes.every((o) => o === 'refused' || o === 'duplicate'), outcomes.join()).toBe(true);
    expect(stored().filter((e) => e.provider === 'my-crm' && e.externalId.startsWith('c-'))).toEqual([{
      provider: 'my-crm',
      externalId: 'c-1',
      type: 'contact.created',
    }]);
  });

  it('a signed body without an id is deduped by its hash, whatever x-webhook-id says', async () => {
    const body = JSON.stringify({ type: 'contact.updated', data: { name: 'Bea' } });
    const first = await generic(body, { 'x-webhook-id': 'h-1' });
    expect(first.status).toBe(200);
    expect(await notNew(await generic(body, { 'x-webhook-id': 'h-2' }))).toBe('duplicate');
    const hash = createHash('sha256').update(body).digest('hex');
    expect(stored().filter((e) => e.type === 'contact.updated')).toEqual([{
      provider: 'my-crm',
      externalId: `sha256:${hash}`,
      type: 'contact.updated',
    }]);
  });

  it('GitHub: the same signed body twice is a duplicate, whatever x-github-delivery says', async () => {
    const body = JSON.stringify({ ref: 'refs/heads/main', after: 'abc123' });
    expect((await github(body, { 'x-github-event': 'push', 'x-github-delivery': 'd-1' })).status).toBe(200);
    expect(await notNew(await github(body, { 'x-github-event': 'push', 'x-github-delivery': 'd-2' }))).toBe(
      'duplicate',
    );
    expect(await notNew(await github(body, { 'x-github-event': 'release', 'x-github-delivery': 'd-3' }))).toBe(
      'duplicate',
    );
    expect(stored().filter((e) => e.provider === 'github')).toEqual([{
      provider: 'github',
      externalId: expect.stringMatching(/^sha256:[0-9a-f]{64}$/),
      type: 'push',
    }]);
  });

  it('Standard Webhooks: the signed webhook-id is the id; another id or type in the headers is refused', async () => {
    const body = JSON.stringify({ type: 'invoice.paid', data: { total: 5 } });
    const headers = standardHeaders('msg_1', body);
    expect((await post('svix-app', body, headers)).status).toBe(200);
    expect(await notNew(await post('svix-app', body, headers))).toBe('duplicate');
    const forged = await post('svix-app', body, { ...headers, 'webhook-id': 'msg_2' });
    expect([forged.status, ((await forged.json()) as { details: { reason: string } }).details.reason]).toEqual([
      401,
      'mismatch',
    ]);
    expect(await notNew(await post('svix-app', body, { ...headers, 'x-webhook-event': 'invoice.voided' }))).toBe(
      'refused',
    );
    expect(stored().filter((e) => e.provider === 'svix-app')).toEqual([{
      provider: 'svix-app',
      externalId: 'msg_1',
      type: 'invoice.paid',
    }]);
  });

  it('fast-check: no header mutation of a stored, valid delivery makes a new stored event', async () => {
    console.log(`[addons-webhooks] fast-check seed ${SEED}`);
    const bodies = {
      generic: JSON.stringify({ id: 'fc-1', type: 'deal.won' }),
      noId: JSON.stringify({ type: 'deal.lost' }),
      github: JSON.stringify({ action: 'opened', number: 7 }),
      standard: JSON.stringify({ type: 'deal.open' }),
    };
    const sign = (body: string) => ({ 'x-webhook-signature': signPayload(SECRETS.WEBHOOK_SECRET_MY_CRM, body) });
    const hub = (body: string) => ({
      'x-hub-signature-256': `sha256=${createHmac('sha256', SECRETS.WEBHOOK_SECRET_GITHUB).update(body).digest('hex')}`,
    });
    // Captured deliveries: provider, body and the headers they came with (each stored once first).
    const originals: [string, string, Record<string, string>][] = [
      ['my-crm', bodies.generic, { ...sign(bodies.generic), 'x-webhook-id': 'fc-1', 'x-webhook-event': 'deal.won' }],
      ['my-crm', bodies.noId, sign(bodies.noId)],
      ['github', bodies.github, { ...hub(bodies.github), 'x-github-event': 'issues', 'x-github-delivery': 'g-1' }],
      ['svix-app', bodies.standard, standardHeaders('msg_fc', bodies.standard)],
    ];
    for (const [provider, body, headers] of originals) expect((await post(provider, body, headers)).status).toBe(200);
    const before = stored().length;
    const value = fc.oneof(
      fc.constantFrom(
        'fc-1',
        'fc-2',
        'deal.won',
        'deal.lost',
        'issues',
        'push',
        'g-1',
        'msg_fc',
        'msg_x',
        'sha256:00',
        '1700000000',
      ),
      fc.string({ minLength: 1, maxLength: 12 }).filter((v) => /^[\x21-\x7e]+$/.test(v)),
    );
    const names = [
      'x-webhook-id',
      'x-webhook-event',
      'X-Webhook-Id',
      'x-github-delivery',
      'x-github-event',
      'webhook-id',
      'webhook-timestamp',
      'x-request-id',
    ];
    const mutation = fc.dictionary(fc.constantFrom(...names), value, { minKeys: 1, maxKeys: 4 });
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: originals.length - 1 }), mutation, async (which, changed) => {
        const [provider, body, captured] = originals[which];
        const outcome = await notNew(await post(provider, body, { ...captured, ...changed }));
        expect(outcome === 'refused' || outcome === 'duplicate', `${provider} ${JSON.stringify(changed)}: ${outcome}`)
          .toBe(true);
        expect(stored().length).toBe(before);
      }),
      { seed: SEED, numRuns: 80 },
    );
  });
});

describe('outbound webhooks on the Worker (workerd, D1)', () => {
  const users: Record<string, User> = {};
  let stop: () => Promise<void>;

  beforeAll(async () => {
    const root = project('addons-webhooks-worker', CLOUDFLARE);
    await compile({ cwd: root });
    const w = await startWorker(root, { bindings: { QUICKBACK_WEBHOOKS_ALLOW_PRIVATE: '1' } });
    stop = () => w.mf.dispose();
    const [o, a, m] = await Promise.all(['Wanda', 'Walt', 'Wes'].map((n) => signUp((r) => fetch(r), w.baseURL, n)));
    const id = await createOrg(o, 'Worker hooks');
    await addMember(o, a, id, 'admin');
    await addMember(o, m, id, 'member');
    Object.assign(users, { owner: o, admin: a, member: m });
  }, 120_000);
  afterAll(async () => {
    await stop?.();
  });

  it('for every role of webhookAdminRoles, a delivery carries exactly what GET answers that role', () =>
    deliveriesMatchGet(users, 'worker'));
});
