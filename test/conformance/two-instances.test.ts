/**
 * Two instances behave as one (issue #31 part 8), the way users outgrow one machine: two server
 * processes of one compiled app — two Node, then two Bun — on one PostgreSQL database (supabase,
 * row level security) and one Redis (`defineStorage("redis")`), behind a round-robin proxy on
 * loopback (test/helpers/round-robin.ts) that also carries the WebSocket upgrades. Better Auth's
 * own client signs in through the proxy; where it matters which instance answers, requests go to
 * each instance directly too. Sessions and bearer tokens work on either, Better Auth's rate limit
 * and our device-code throttle count across both, an Idempotency-Key replays on either, a sign-out
 * is refused by both, realtime reaches sockets on both (and a ticket opens one socket, on either),
 * and each webhook delivery is acknowledged exactly once — also when the instance sending it is
 * SIGKILLed mid-delivery (QUICKBACK_WEBHOOK_LEASE_SECONDS=6: the other takes it over once the
 * lease has passed).
 */
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createClient } from '@redis/client';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCaller, signUp, type Caller, type FetchLike } from '../helpers/client.js';
import { createOrg, type User } from '../helpers/orgs.js';
import { compileAndMigratePg } from '../helpers/pg-target.js';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres.js';
import { copyFixture } from '../helpers/project.js';
import { changeOf, connect, openSocket, ticketOf, type Socket } from '../helpers/realtime.js';
import { startReceiver } from '../helpers/receiver.js';
import { startRoundRobin } from '../helpers/round-robin.js';
import { hasBun, startServer } from '../helpers/server.js';
import { DEVICE_ATTEMPTS } from '../../src/runtime/auth/device-throttle.js';

const LEASE_SECONDS = 6;
const config: [string, string][] = [
  [
    'defineDatabase("better-sqlite3", { generateId: "prefixed" })',
    'defineDatabase("supabase", { generateId: "prefixed", realtime: true })',
  ],
  [
    '    auth: defineAuth("better-auth", {',
    '    storage: defineStorage("redis", { url: "redis://127.0.0.1:6379" }),\n    auth: defineAuth("better-auth", {\n'
    + '      rateLimit: { enabled: true, window: 60, max: 100, customRules: { "/sign-in/email": { window: 60, max: 3 }, "/sign-up/email": { window: 60, max: 1000 } } },\n'
    + '      plugins: { deviceAuthorization: { interval: "1s" } },',
  ],
  ['import { defineAuth,', 'import { defineStorage, defineAuth,'],
  ['auth: { roleHierarchy', 'auth: { jwt: { revocationCheck: "kv" }, roleHierarchy'],
  ['export default defineConfig({', 'export default defineConfig({\n  webhooks: { allowInsecure: true },'],
];

type Server = Awaited<ReturnType<typeof startServer>>;
let db: TestDatabase;
let client: pg.Client;
let proxy: Awaited<ReturnType<typeof startRoundRobin>>;
let receiver: Awaited<ReturnType<typeof startReceiver>>;
let one: Server, two: Server;
const sockets: Socket[] = [];

/** Each caller stands for a machine of its own: its own address (unless a request names one), so rate-limit counters are its own. */
const from = (ip = `10.${[...randomBytes(3)].join('.')}`): FetchLike => (request) => {
  const headers = new Headers(request.headers);
  if (!headers.has('x-forwarded-for')) headers.set('x-forwarded-for', ip);
  return fetch(new Request(request, { headers }));
};
const newUser = (name: string) => signUp(from(), proxy.url, name);
/** The same caller (cookies) talking to one instance directly. */
const at = (user: Caller, base: string): Caller =>
  Object.assign(Object.create(user), {
    api: (m: string, p: string, b?: unknown, h?: Record<string, string>) => user.api(m, new URL(p, base).href, b, h),
  });
const bearer = (token: string, base: string) =>
  createCaller(from(), base).api('GET', '/api/v1/tickets', undefined, { authorization: `Bearer ${token}` });
/** The upstreams that served requests to `path` from entry `since` of the proxy's log on. */
const upstreamsOf = (since: number, match: (p: string) => boolean) =>
  new Set(proxy.served.slice(since).filter((s) => match(s.path)).map((s) => s.upstream));

/** Compiles the project for `runtime` (its own database), starts the proxy, the receiver and two instances. */
async function setup(runtime: 'node' | 'bun') {
  const root = copyFixture('helpdesk', `two-instances-${runtime}`, {
    config: runtime === 'bun' ? [...config, ['defineRuntime("node")', 'defineRuntime("bun")']] : config,
  });
  const file = path.join(root, 'quickback', 'features', 'tickets', 'tickets.ts');
  writeFileSync(
    file,
    readFileSync(file, 'utf8').replace(
      '  read: { access:',
      '  realtime: true,\n  webhooks: { onUpdate: false, onDelete: false },\n  read: { access:',
    ),
  );
  db = await createTestDatabase(`two_instances_${runtime}`);
  [, proxy, receiver] = await Promise.all([compileAndMigratePg(root, db.url), startRoundRobin(), startReceiver()]);
  // Both behind the proxy: its address is the app's public URL (BETTER_AUTH_URL), as with a real load balancer.
  const env = {
    DATABASE_URL: db.url,
    BETTER_AUTH_URL: proxy.url,
    QUICKBACK_WEBHOOKS_ALLOW_PRIVATE: '1',
    QUICKBACK_WEBHOOK_LEASE_SECONDS: String(LEASE_SECONDS),
  };
  // One after the other: on Node the second starts from tsx's cache of the first's transforms.
  one = await startServer(root, runtime, false, { env });
  two = await startServer(root, runtime, false, { env });
  proxy.upstreams.push(one.baseURL, two.baseURL);
  client = new pg.Client({ connectionString: db.url });
  await client.connect();
}

async function teardown() {
  for (const s of sockets.splice(0)) s.close();
  await client?.end();
  // The instance SIGKILLed below has exited already.
  await Promise.all(
    [one, two].map((s) => (s && s.child.exitCode === null && s.child.signalCode === null ? s.stop() : undefined)),
  );
  await Promise.all([proxy?.close(), receiver?.close()]);
  await db?.drop();
}

const runtimes: ('node' | 'bun')[] = ['node', ...(hasBun() ? ['bun' as const] : [])];

describe.each(runtimes)('two %s instances on one PostgreSQL and one Redis, behind a round-robin proxy', (runtime) => {
  beforeAll(() => setup(runtime), 120_000);
  afterAll(teardown);

  it('a session (cookie) and a bearer token made through one instance work on either', async () => {
    const ada = await newUser('Ada');
    const org = await createOrg(ada, 'Alpha');
    for (const base of [one.baseURL, two.baseURL]) {
      const session = await at(ada, base).api('GET', '/auth/v1/get-session');
      expect([session.status, session.body.user.id, session.body.session.activeOrganizationId]).toEqual([
        200,
        ada.userId,
        org,
      ]);
    }
    const since = proxy.served.length;
    const lists = await Promise.all(Array.from({ length: 4 }, () => ada.api('GET', '/api/v1/tickets')));
    expect(lists.map((r) => r.status)).toEqual([200, 200, 200, 200]);
    expect(upstreamsOf(since, (p) => p === '/api/v1/tickets')).toEqual(new Set([0, 1]));
    const token = (await ada.api('POST', '/api/v1/token')).body.token as string;
    expect(token).toMatch(/^ey/);
    for (const base of [one.baseURL, two.baseURL]) expect((await bearer(token, base)).status).toBe(200);
  });

  it("Better Auth's rate limit counts across both (Redis): the fourth sign-in of a minute is 429, though each instance saw two", async () => {
    const caller = createCaller(from(), proxy.url);
    const since = proxy.served.length;
    const attempt = () => caller.auth.signIn.email({ email: 'nobody@example.com', password: 'wrong-password-1' });
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await attempt()).error?.status ?? 200);
    expect(statuses).toEqual([401, 401, 401, 429]);
    const signIns = proxy.served.slice(since).filter((s) => s.path === '/auth/v1/sign-in/email');
    expect(signIns.map((s) => s.upstream).sort()).toEqual([0, 0, 1, 1]);
  });

  it('our device-code throttle counts across both (Redis): past the budget, a guess is 429 on either instance', async () => {
    // Its client is the socket's peer: this proxy, for every caller (README, "More than one instance"). Earlier runs' counts go first.
    const redis = createClient({ url: 'redis://127.0.0.1:6379' });
    await redis.connect();
    const clear = async () => {
      for (const key of await redis.keys('quickback:device-throttle:*127.0.0.1*')) await redis.del(key);
    };
    try {
      await clear();
      const fay = await newUser('Fay');
      const since = proxy.served.length;
      const answers: { status: number; body: any }[] = [];
      // Each guess from another X-Forwarded-For: Better Auth's own limit (5 per address) never binds, ours does.
      const guess = (i: number) =>
        fay.api('GET', `/auth/v1/device?user_code=WRONG${String(i).padStart(3, '0')}`, undefined, {
          'x-forwarded-for': `10.${[...randomBytes(3)].join('.')}`,
        });
      for (let i = 0; i < DEVICE_ATTEMPTS + 2; i++) answers.push(await guess(i));
      expect(answers.map((a) => a.status)).toEqual([...Array(DEVICE_ATTEMPTS).fill(400), 429, 429]);
      expect(answers.at(-1)!.body.code).toBe('AUTH_RATE_LIMITED');
      const guesses = proxy.served.slice(since).filter((s) => s.path === '/auth/v1/device').map((s) => s.upstream);
      expect(guesses.slice(-2).sort()).toEqual([0, 1]);
      // Counted under the socket's peer (the proxy), not a bucket every caller without an address shares.
      const counted = await Promise.all(
        (await redis.keys('quickback:device-throttle:*127.0.0.1')).map(async (key) => Number(await redis.get(key))),
      );
      expect(counted.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(DEVICE_ATTEMPTS + 2);
    } finally {
      await clear();
      redis.destroy();
    }
  });

  it('a sign-out through one instance ends the session and its bearer tokens on both', async () => {
    const bob = await newUser('Bob');
    await createOrg(bob, 'Bravo');
    const token = (await bob.api('POST', '/api/v1/token')).body.token as string;
    for (const base of [one.baseURL, two.baseURL]) {
      expect((await at(bob, base).api('GET', '/api/v1/tickets')).status).toBe(200);
      expect((await bearer(token, base)).status).toBe(200);
    }
    const cookies = new Map(bob.jar);
    expect((await bob.auth.signOut()).error).toBeNull();
    bob.jar.clear();
    for (const [k, v] of cookies) bob.jar.set(k, v); // the old cookie, replayed
    for (const base of [one.baseURL, two.baseURL]) {
      expect((await at(bob, base).api('GET', '/auth/v1/get-session')).body).toBeNull();
      expect((await at(bob, base).api('GET', '/api/v1/tickets')).status).toBe(401);
      const refused = await bearer(token, base);
      expect([refused.status, refused.body.code]).toEqual([401, 'AUTH_INVALID_TOKEN']);
    }
  });

  it('Idempotency-Key: a retry on the other instance replays; racing retries through both write once', async () => {
    const gil = await newUser('Gil');
    await createOrg(gil, 'Golf');
    const count = async (title: string) =>
      (await client.query('SELECT count(*)::int AS n FROM tickets WHERE title = $1', [title])).rows[0].n;
    const first = await at(gil, one.baseURL).api(
      'POST',
      '/api/v1/tickets',
      { title: `Keyed ${runtime}` },
      { 'idempotency-key': 'two-1' },
    );
    const retry = await at(gil, two.baseURL).api(
      'POST',
      '/api/v1/tickets',
      { title: `Keyed ${runtime}` },
      { 'idempotency-key': 'two-1' },
    );
    expect([first.status, retry.status, retry.headers.get('idempotent-replayed'), retry.body]).toEqual([
      201,
      201,
      'true',
      first.body,
    ]);
    const raced = await Promise.all(
      Array.from(
        { length: 6 },
        () => gil.api('POST', '/api/v1/tickets', { title: `Raced ${runtime}` }, { 'idempotency-key': 'two-2' }),
      ),
    );
    expect(raced.filter((r) => r.status === 201 && r.headers.get('idempotent-replayed') === null)).toHaveLength(1);
    for (const r of raced.filter((r) => r.status !== 201))
      expect([r.status, r.body.code]).toEqual([409, 'IDEMPOTENCY_KEY_IN_PROGRESS']);
    expect([await count(`Keyed ${runtime}`), await count(`Raced ${runtime}`)]).toEqual([1, 1]);
  });

  it('realtime: writes through either instance reach sockets on both (Redis pub/sub), upgrades through the proxy', async () => {
    const cleo = await newUser('Cleo');
    await createOrg(cleo, 'Charlie');
    // A socket's upgrade follows its ticket request; steer the second upgrade to the other instance.
    const upgradeOf = () => proxy.served.filter((s) => s.upgrade).at(-1)!.upstream;
    const first = await connect(proxy.url, cleo);
    if ((proxy.served.length + 1) % 2 === upgradeOf()) await fetch(`${proxy.url}/health`);
    const second = await connect(proxy.url, cleo);
    sockets.push(first, second);
    expect(new Set(proxy.served.filter((s) => s.upgrade).slice(-2).map((s) => s.upstream))).toEqual(new Set([0, 1]));
    const since = proxy.served.length;
    const ids = (await Promise.all(['On one', 'On two'].map((title) => cleo.api('POST', '/api/v1/tickets', { title }))))
      .map((r) => r.body.id as string);
    expect(upstreamsOf(since, (p) => p === '/api/v1/tickets')).toEqual(new Set([0, 1]));
    for (const socket of [first, second])
      for (const id of ids) await socket.next(changeOf('tickets', 'INSERT', (r) => r.id === id));
    for (const socket of [first, second])
      expect(socket.messages.filter((m) => m?.type === 'postgres_changes')).toHaveLength(2);
  });

  it('realtime: a ticket opens one socket across both instances (its nonce is consumed in Redis)', async () => {
    const dan = await newUser('Dan');
    await createOrg(dan, 'Dune');
    const ticket = await ticketOf(dan);
    const socket = await openSocket(one.baseURL, ticket);
    sockets.push(socket);
    await expect(openSocket(two.baseURL, ticket)).rejects.toMatchObject({ status: 401 });
    await expect(openSocket(one.baseURL, ticket)).rejects.toMatchObject({ status: 401 });
  });

  it('webhooks: with both delivery loops running, each event is delivered exactly once', async () => {
    const dee = await newUser('Dee');
    await createOrg(dee, 'Delta');
    const endpoint = await dee.api('POST', '/webhooks/v1/endpoints', {
      url: receiver.url,
      events: ['tickets.created'],
    });
    expect(endpoint.status).toBe(201);
    receiver.state.secret = endpoint.body.secret;
    const created = await Promise.all(
      Array.from({ length: 12 }, (_, i) => dee.api('POST', '/api/v1/tickets', { title: `Hook ${i}` })),
    );
    const ids = created.map((r) => r.body.id as string);
    for (const id of ids) await receiver.next((r) => r.body.data.id === id, 20_000);
    // Two more ticks of both loops: nothing is sent again.
    await new Promise((r) => setTimeout(r, 2200));
    const mine = receiver.received.filter((r) => ids.includes(r.body.data.id));
    expect(mine).toHaveLength(12);
    expect(new Set(mine.map((r) => r.delivery)).size).toBe(12);
    expect(new Set(mine.map((r) => r.body.id)).size).toBe(12);
    expect(mine.every((r) => r.verified && r.status === 200)).toBe(true);
    const rows = await client.query(
      'SELECT status, attempts, count(*)::int AS n FROM webhook_deliveries WHERE endpoint_id = $1 GROUP BY 1, 2',
      [endpoint.body.id],
    );
    expect(rows.rows).toEqual([{ status: 'delivered', attempts: 1, n: 12 }]);
  });

  it('webhooks: an instance SIGKILLed mid-delivery leaves the delivery to the other once its lease has passed; acknowledged once', async () => {
    const eve = await newUser('Eve');
    await createOrg(eve, 'Echo');
    const endpoint = await eve.api('POST', '/webhooks/v1/endpoints', {
      url: receiver.url,
      events: ['tickets.created'],
    });
    receiver.state.secret = endpoint.body.secret;
    receiver.state.stall = 1;
    // The second instance holds still while the first claims and sends (so the sender is known), then resumes.
    two.child.kill('SIGSTOP');
    let ticket: string;
    try {
      ticket = (await at(eve, one.baseURL).api('POST', '/api/v1/tickets', { title: 'Kill me' })).body.id;
      const stalled = await receiver.next((r) => r.body.data.id === ticket, 20_000);
      expect(stalled.status).toBe(0);
      const [{ locked_until: lockedUntil }] =
        (await client.query('SELECT locked_until FROM webhook_deliveries WHERE id = $1', [stalled.delivery])).rows;
      expect(Number(lockedUntil)).toBeGreaterThan(stalled.at);
      const exited = new Promise((resolve) => one.child.once('exit', resolve));
      one.child.kill('SIGKILL');
      await exited;
      proxy.upstreams.splice(0, 1);
      two.child.kill('SIGCONT');
      const delivered = await receiver.next((r) => r.delivery === stalled.delivery && r.status === 200, 30_000);
      expect(delivered.at).toBeGreaterThanOrEqual(Number(lockedUntil));
      expect(delivered.verified).toBe(true);
    } finally {
      two.child.kill('SIGCONT');
    }
    await new Promise((r) => setTimeout(r, 2000));
    const sent = receiver.received.filter((r) => r.body.data.id === ticket);
    expect(sent.map((r) => r.status)).toEqual([0, 200]);
    const [row] = (await client.query('SELECT status, attempts, locked_until FROM webhook_deliveries WHERE id = $1', [
      sent[0].delivery,
    ])).rows;
    expect(row).toEqual({ status: 'delivered', attempts: 1, locked_until: null });
    // The survivor serves alone through the proxy.
    expect((await eve.api('GET', '/api/v1/tickets')).body.data.map((t: { id: string }) => t.id)).toContain(ticket);
  });
});
