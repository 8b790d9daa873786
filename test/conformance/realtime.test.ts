/**
 * Realtime (issue #12 §1): the same suite on the Node server (one process, and two processes
 * fanning out through the local Redis) and on the compiled Worker with its Broadcaster Durable
 * Object under workerd, over real HTTP and WebSockets. Three callers in two organizations and two
 * roles: each socket gets only its own organization's events, masked for its role and cut to the
 * table's `fields`; `requiredRoles` keeps events from lower roles; owner-scoped rows reach only
 * their owner; forged and expired tickets are refused with 401 before the upgrade.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUp, type Caller } from '../helpers/client.js';
import { addMember, createOrg, type User } from '../helpers/orgs.js';
import { copyFixture, SECRET } from '../helpers/project.js';
import { changeOf, connect, openSocket, type Socket } from '../helpers/realtime.js';
import { REDIS, realtimeProject } from '../helpers/realtime-project.js';
import { hasBun, startServer } from '../helpers/server.js';
import { pgServerTarget } from '../helpers/pg-target.js';
import { compileAndMigrate } from '../helpers/target.js';
import { CLOUDFLARE, startWorker } from '../helpers/worker.js';
import { compile } from '../../src/compiler/index.js';
import { mintTicket } from '../../src/runtime/addons/realtime/realtime-ticket.js';

interface Target {
  writer: string;
  reader: string;
  stop(): Promise<void>;
}

const targets: [string, (label: string) => Promise<Target>][] = [
  ['node', async (label) => {
    const root = realtimeProject(label, []);
    await compileAndMigrate(root, 'better-sqlite3');
    const server = await startServer(root, 'node');
    return { writer: server.baseURL, reader: server.baseURL, stop: server.stop };
  }],
  ['node, two processes through Redis', async (label) => {
    const root = realtimeProject(label, REDIS);
    await compileAndMigrate(root, 'better-sqlite3');
    const [one, two] = [await startServer(root, 'node'), await startServer(root, 'node')];
    // Sockets live on the second process; every write goes to the first.
    return {
      writer: one.baseURL,
      reader: two.baseURL,
      stop: async () => {
        await one.stop();
        await two.stop();
      },
    };
  }],
  ...(hasBun()
    ? [['bun', async (label: string) => {
      const root = realtimeProject(label, [['defineRuntime("node")', 'defineRuntime("bun")']]);
      await compileAndMigrate(root, 'better-sqlite3');
      const server = await startServer(root, 'bun');
      return { writer: server.baseURL, reader: server.baseURL, stop: server.stop };
    }] as [string, (label: string) => Promise<Target>]]
    : []),
  ['node + supabase (PostgreSQL, row level security)', async (label) => {
    const root = realtimeProject(label, [['defineDatabase("better-sqlite3"', 'defineDatabase("supabase"']]);
    const t = await pgServerTarget(root, label, 'node');
    return { writer: t.baseURL, reader: t.baseURL, stop: t.close };
  }],
  ['cloudflare (Durable Object)', async (label) => {
    const root = realtimeProject(label, CLOUDFLARE);
    await compile({ cwd: root });
    const w = await startWorker(root);
    return { writer: w.baseURL, reader: w.baseURL, stop: () => w.mf.dispose() };
  }],
];

describe.each(targets)('realtime on %s', (name, start) => {
  let t: Target;
  let ada: User, bob: User, eve: User;
  let orgA: string;
  const sockets: Socket[] = [];
  const as = (user: User, base: string): Caller =>
    Object.assign(Object.create(user), {
      api: (m: string, p: string, b?: unknown) => user.api(m, new URL(p, base).href, b),
    });
  const socketOf = async (user: User) => {
    const s = await connect(t.reader, as(user, t.reader));
    sockets.push(s);
    return s;
  };
  /** Proves `socket` got nothing matching, by waiting for `witness` (sent later) first. */
  const quiet = (socket: Socket, match: (m: any) => boolean) => expect(socket.messages.filter(match)).toEqual([]);

  beforeAll(async () => {
    t = await start(`realtime-${name.split(/\W/)[0]}${name.includes('supabase') ? '-pg' : ''}`);
    [ada, bob, eve] = await Promise.all(['Ada', 'Bob', 'Eve'].map((n) => signUp(fetch, t.writer, n)));
    orgA = await createOrg(ada, 'Alpha');
    await addMember(ada, bob, orgA, 'member');
    await createOrg(eve, 'Beta');
  }, 120_000);
  afterAll(async () => {
    for (const s of sockets) s.close();
    await t?.stop();
  });

  it('pushes a new ticket to its own organization only, masked per role and cut to the fields', async () => {
    const [a, b, e] = await Promise.all([ada, bob, eve].map(socketOf));
    const created = await ada.api('POST', '/api/v1/tickets', {
      title: 'Printer on fire',
      customerEmail: 'jane@example.com',
      estimate: 3,
    });
    expect(created.status).toBe(201);
    const id = created.body.id;
    const own = await a.next(changeOf('tickets', 'INSERT', (r) => r.id === id));
    expect(own).toMatchObject({
      type: 'postgres_changes',
      schema: 'public',
      table: 'tickets',
      eventType: 'INSERT',
      old: {},
    });
    expect(own.new).toEqual({
      id,
      title: 'Printer on fire',
      priority: 'normal',
      customerEmail: 'jane@example.com',
      organizationId: orgA,
    });
    const member = await b.next(changeOf('tickets', 'INSERT', (r) => r.id === id));
    expect(member.new.customerEmail).not.toBe('jane@example.com');
    expect(member.new.customerEmail).toMatch(/\*/);
    // Eve's own write reaches her: by then the Alpha ticket would have too.
    const mine = await eve.api('POST', '/api/v1/tickets', { title: 'Beta only' });
    await e.next(changeOf('tickets', 'INSERT', (r) => r.id === mine.body.id));
    quiet(e, changeOf('tickets', 'INSERT', (r) => r.id === id));
    await new Promise((r) => setTimeout(r, 200));
    quiet(a, changeOf('tickets', 'INSERT', (r) => r.id === mine.body.id));
    quiet(b, changeOf('tickets', 'INSERT', (r) => r.id === mine.body.id));
  });

  it('pushes updates and deletes; a failed write pushes nothing', async () => {
    const b = await socketOf(bob);
    const { body } = await ada.api('POST', '/api/v1/tickets', { title: 'Old title' });
    await b.next(changeOf('tickets', 'INSERT', (r) => r.id === body.id));
    expect((await bob.api('DELETE', `/api/v1/tickets/${body.id}`)).status).toBe(403);
    await ada.api('PATCH', `/api/v1/tickets/${body.id}`, { title: 'New title' });
    const update = await b.next(changeOf('tickets', 'UPDATE', (r) => r.id === body.id));
    expect(update.new.title).toBe('New title');
    expect((await ada.api('DELETE', `/api/v1/tickets/${body.id}`)).status).toBe(200);
    const deleted = await b.next(changeOf('tickets', 'DELETE', (r) => r.id === body.id));
    expect(deleted).not.toHaveProperty('new');
    expect(b.messages.filter(changeOf('tickets', 'DELETE', (r) => r.id === body.id))).toHaveLength(1);
  });

  it('requiredRoles: comments reach admins and owners, not members', async () => {
    const [a, b] = await Promise.all([ada, bob].map(socketOf));
    const { body: ticket } = await ada.api('POST', '/api/v1/tickets', { title: 'Thread' });
    const { body: comment } = await bob.api('POST', '/api/v1/ticket-comments', { ticketId: ticket.id, body: 'First!' });
    expect((await a.next(changeOf('ticketComments', 'INSERT', (r) => r.id === comment.id))).new.body).toBe('First!');
    await b.next(changeOf('tickets', 'INSERT', (r) => r.id === ticket.id));
    await new Promise((r) => setTimeout(r, 200));
    quiet(b, changeOf('ticketComments', 'INSERT'));
  });

  it("owner-scoped rows reach only their owner, on the owner's own channel", async () => {
    const [lone, other] = await Promise.all(['Lone', 'Other'].map((n) => signUp(fetch, t.writer, n)));
    const [mine, theirs] = await Promise.all([lone, other].map(socketOf));
    const { body } = await lone.api('POST', '/api/v1/notes', { body: 'private' });
    expect((await mine.next(changeOf('notes', 'INSERT', (r) => r.id === body.id))).new.body).toBe('private');
    const { body: own } = await other.api('POST', '/api/v1/notes', { body: 'mine' });
    await theirs.next(changeOf('notes', 'INSERT', (r) => r.id === own.id));
    quiet(theirs, changeOf('notes', 'INSERT', (r) => r.id === body.id));
  });

  it("wsTicket: a watcher outside the organization gets one ticket's channel, masked as the watcher role; others are refused", async () => {
    const [carl, dave] = await Promise.all(['Carl', 'Dave'].map((n) => signUp(fetch, t.writer, n)));
    const { body: ticket } = await ada.api('POST', '/api/v1/tickets', {
      title: 'Watched',
      customerEmail: 'jane@example.com',
    });
    const { body: other } = await ada.api('POST', '/api/v1/tickets', { title: 'Not watched' });
    expect((await ada.api('POST', '/api/v1/watchers', { ticketId: ticket.id, userId: carl.userId })).status).toBe(201);
    const ask = (user: User, body: unknown) => as(user, t.reader).api('POST', '/broadcast/v1/ws-ticket', body);
    const granted = await ask(carl, { ticketId: ticket.id });
    expect(granted.body).toMatchObject({ channel: `scope:tickets:${ticket.id}`, expiresIn: 60 });
    expect((await ask(dave, { ticketId: ticket.id })).body).toMatchObject({
      code: 'ACCESS_ROLE_REQUIRED',
      details: { required: ['watcher'] },
    });
    expect((await ask(carl, { ticketId: other.id })).status).toBe(403);
    expect((await ask(carl, { ticketId: 42 })).status).toBe(400);
    const nul = await ask(carl, { ticketId: `${ticket.id}\u0000` });
    expect([nul.status, nul.body.code, nul.body.details?.fields]).toEqual([400, 'VALIDATION_FAILED', {
      ticketId: expect.stringContaining('NUL'),
    }]);
    const socket = await openSocket(t.reader, granted.body.wsTicket);
    sockets.push(socket);
    await ada.api('PATCH', `/api/v1/tickets/${ticket.id}`, { title: 'Watched, renamed' });
    const update = await socket.next(changeOf('tickets', 'UPDATE', (r) => r.id === ticket.id));
    expect(update.new).toMatchObject({ title: 'Watched, renamed', organizationId: orgA });
    expect(update.new.customerEmail).toMatch(/\*/);
    await ada.api('PATCH', `/api/v1/tickets/${other.id}`, { title: 'Still not watched' });
    await ada.api('PATCH', `/api/v1/tickets/${ticket.id}`, { title: 'Watched again' });
    await socket.next(changeOf('tickets', 'UPDATE', (r) => r.title === 'Watched again'));
    expect(socket.messages.filter(changeOf('tickets', 'UPDATE', (r) => r.id === other.id))).toEqual([]);
  });

  it('refuses a forged, expired or missing ticket with 401 before the upgrade, and tickets to anonymous callers', async () => {
    const ctx = {
      authenticated: true,
      userId: ada.userId,
      userRole: 'user',
      activeOrgId: orgA,
      activeTeamId: null,
      roles: ['owner'],
      user: null,
    };
    const expired = mintTicket(SECRET, ctx, `org:${orgA}`, Date.now() - 61_000);
    const forged = mintTicket('f'.repeat(64), ctx, `org:${orgA}`);
    for (const ticket of [expired, forged, ''])
      await expect(openSocket(t.reader, ticket)).rejects.toMatchObject({ status: 401 });
    const anonymous = await fetch(`${t.reader}/broadcast/v1/ws-ticket`, { method: 'POST' });
    expect(anonymous.status).toBe(401);
    expect((await anonymous.json()).code).toBe('AUTH_MISSING');
  });
});

describe('realtime with encrypted columns (vault, Node server)', () => {
  let base: string;
  let stop: () => Promise<void>;
  let ada: User, bob: User;

  beforeAll(async () => {
    const root = copyFixture('vault', 'realtime-vault', {
      config: [['generateId: "prefixed" }', 'generateId: "prefixed", realtime: true }']],
    });
    const file = path.join(root, 'quickback', 'features', 'guests', 'guests.ts');
    writeFileSync(file, readFileSync(file, 'utf8').replace('  read: {', '  realtime: true,\n  read: {'));
    await compileAndMigrate(root, 'better-sqlite3');
    const server = await startServer(root, 'node', true, { env: { ENCRYPTION_KEK: 'ef'.repeat(32) } });
    [base, stop] = [server.baseURL, server.stop];
    [ada, bob] = await Promise.all(['Ada', 'Bob'].map((n) => signUp(fetch, base, n)));
    const org = await createOrg(ada, 'Vault');
    await addMember(ada, bob, org, 'member');
  }, 120_000);
  afterAll(() => stop?.());

  it('sends decrypted values masked per recipient: the admin reads the contact, the member gets it redacted, nobody gets ciphertext', async () => {
    const [a, b] = await Promise.all([ada, bob].map((u) => connect(base, u)));
    const { body } = await ada.api('POST', '/api/v1/guests', {
      name: 'Grace',
      emergencyContact: 'Call Mum 555-0100',
      dietaryNotes: 'Vegan',
    });
    const own = await a.next(changeOf('guests', 'INSERT', (r) => r.id === body.id));
    expect(own.new).toMatchObject({ emergencyContact: 'Call Mum 555-0100', dietaryNotes: 'Vegan' });
    const member = await b.next(changeOf('guests', 'INSERT', (r) => r.id === body.id));
    expect(member.new.dietaryNotes).toBe('Vegan');
    expect(member.new.emergencyContact).not.toContain('Mum');
    expect(member.new.emergencyContact).toBe((await bob.api('GET', `/api/v1/guests/${body.id}`)).body.emergencyContact);
    for (const s of [a, b]) s.close();
  });
});
