/**
 * Issue #29 part 6: the cross-tenant checks of the add-ons, kept closed on the Node server
 * (SQLite) and on the Worker under workerd (D1, R2, Durable Objects). One helpdesk with every
 * add-on, the organization (teams) and admin plugins, and a team-scoped `standups` table on
 * realtime. Tickets: a caller whose session names an organization it is not a member of, or who
 * asks for another organization's channel, gets its own channel; a ticket edited to another
 * organization (re-signed with a wrong key, or unsigned) is 401. Randomized (fast-check, logged
 * seed): writes by two organizations while sockets of both are open, each socket gets exactly its
 * organization's rows, each as GET shows that caller (masked per recipient). File keys of another
 * organization, in any spelling, reach nothing of it. Switching teams switches the rows, in the API
 * and on a socket opened after. Impersonation gives exactly the user's view; stopping it closes
 * the impersonation session's socket with 4403.
 */
import Database from 'better-sqlite3';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUp, type Caller } from '../helpers/client.js';
import { addMember, createOrg, type User } from '../helpers/orgs.js';
import { addonsProject } from '../helpers/addons.js';
import { changeOf, openSocket, ticketOf, type Socket } from '../helpers/realtime.js';
import { startServer } from '../helpers/server.js';
import { compileAndMigrate, databaseFiles } from '../helpers/target.js';
import { CLOUDFLARE, startWorker } from '../helpers/worker.js';
import { compile } from '../../src/compiler/index.js';
import { mintTicket } from '../../src/runtime/addons/realtime/realtime-ticket.js';

const SEED = 20261207;
const PLUGINS: [string, string] = [
  'emailAndPassword: { enabled: true, minPasswordLength: 10 },',
  'emailAndPassword: { enabled: true, minPasswordLength: 10 },\n      plugins: ["organization", "admin"],',
];
/** Team-scoped rows inside an organization (the organization column routes them to its channel). */
const STANDUPS = `import { feature, q } from "@quickback/compiler";
export default feature("standups", {
  columns: { id: q.id(), note: q.text().required(), organizationId: q.scope("organization"), teamId: q.scope("team") },
  firewall: { organization: { column: "organizationId" }, team: { column: "teamId" } },
  realtime: true,
  read: { access: { roles: ["member+"] } },
  create: { access: { roles: ["member+"] } },
});
`;
/** A re-check only on events: a prompt close is the auth hook's, not the backstop's. */
const BACKSTOP = { REALTIME_RECHECK_SECONDS: '60' };
const WAIT_MS = 6_000;

interface Target {
  base: string;
  authSql(sql: string, ...args: unknown[]): Promise<void>;
  stored?(key: string): Promise<boolean>;
  stop(): Promise<void>;
}

const project = (label: string, config: [string, string][]) =>
  addonsProject(label, [PLUGINS, ...config], { files: { 'quickback/features/standups/standups.ts': STANDUPS } });

const targets: [string, (label: string) => Promise<Target>][] = [
  ['node (SQLite)', async (label) => {
    const root = project(label, []);
    await compileAndMigrate(root, 'better-sqlite3');
    const server = await startServer(root, 'node', true, { env: BACKSTOP });
    const file = databaseFiles(root).auth;
    return {
      base: server.baseURL,
      authSql: async (sql, ...args) => {
        const db = new Database(file);
        try {
          db.prepare(sql).run(...args);
        } finally {
          db.close();
        }
      },
      stop: server.stop,
    };
  }],
  ['cloudflare (workerd + D1)', async (label) => {
    const root = project(label, CLOUDFLARE);
    await compile({ cwd: root });
    const w = await startWorker(root, { bindings: BACKSTOP });
    const bucket = await w.mf.getR2Bucket('FILES');
    return {
      base: w.baseURL,
      authSql: async (sql, ...args) => {
        await (await w.mf.getD1Database('AUTH_DB')).prepare(sql).bind(...args).run();
      },
      stored: async (key) => (await bucket.head(key)) !== null,
      stop: () => w.mf.dispose(),
    };
  }],
];

const payloadOf = (ticket: string) => JSON.parse(Buffer.from(ticket.split('.')[0], 'base64url').toString('utf8'));
const rowOf = (m: any) => (m.eventType === 'DELETE' ? m.old : m.new);
const quiet = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.each(targets)('cross-tenant add-ons on %s', (name, start) => {
  let t: Target;
  let ada: User, abe: User, mia: User, eve: User, bo: User;
  let orgA: string, orgB: string;
  const sockets: Socket[] = [];
  const open = async (user: Caller) => {
    const s = await openSocket(t.base, await ticketOf(user));
    sockets.push(s);
    return s;
  };
  const upgrade = (ticket: string) =>
    openSocket(t.base, ticket).then((s) => {
      sockets.push(s);
      return 101;
    }, (err: { status?: number }) => err.status ?? 0);

  beforeAll(async () => {
    console.log(`[attack] tenancy ${name}: seed ${SEED}`);
    t = await start(`addons-tenancy-${name.split(/\W/)[0]}`);
    [ada, abe, mia, eve, bo] = await Promise.all(
      ['Ada', 'Abe', 'Mia', 'Eve', 'Bo'].map((n) => signUp(fetch, t.base, n)),
    );
    orgA = await createOrg(ada, 'Alpha');
    orgB = await createOrg(eve, 'Beta');
    await addMember(ada, abe, orgA, 'admin');
    await addMember(ada, mia, orgA, 'member');
    await addMember(eve, bo, orgB, 'admin');
  }, 120_000);
  afterAll(async () => {
    for (const s of sockets) s.close();
    await t?.stop();
  });

  it("tickets for other organizations: a session naming B (not a member) or a request for B's channel gets the caller's own channel; an edited ticket is 401", async () => {
    const asked = await mia.api('POST', `${t.base}/broadcast/v1/ws-ticket`, {
      channel: `org:${orgB}`,
      organizationId: orgB,
      ticketId: 'x',
    });
    expect(asked.body.channel).toBe(`org:${orgA}`);
    // Better Auth refuses to make B active for a non-member (and clears the session's active organization).
    expect((await mia.api('POST', `${t.base}/auth/v1/organization/set-active`, { organizationId: orgB })).status).toBe(
      403,
    );
    expect((await mia.api('POST', `${t.base}/broadcast/v1/ws-ticket`, { organizationId: orgB })).body.channel).toBe(
      `user:${mia.userId}`,
    );
    await mia.auth.organization.setActive({ organizationId: orgA });
    // Behind Better Auth's back, the session row of a user without organizations names B.
    const loner = await signUp(fetch, t.base, 'Loner');
    await t.authSql('UPDATE session SET active_organization_id = ? WHERE user_id = ?', orgB, loner.userId);
    const own = await loner.api('POST', `${t.base}/broadcast/v1/ws-ticket`);
    expect(own.body.channel).toBe(`user:${loner.userId}`);
    expect(payloadOf(own.body.wsTicket)).toMatchObject({ org: null, roles: [] });
    expect((await loner.api('GET', `${t.base}/api/v1/tickets`)).body.code).toBe('ORG_REQUIRED');
    // Mia's genuine ticket, edited to organization B: re-signed with a wrong key, or with no signature.
    const genuine = (await mia.api('POST', `${t.base}/broadcast/v1/ws-ticket`)).body.wsTicket as string;
    const p = payloadOf(genuine);
    const ctx = {
      authenticated: true,
      userId: mia.userId,
      userRole: 'user',
      activeOrgId: orgB,
      activeTeamId: null,
      roles: ['owner'],
      user: null,
    };
    const wrongKey = mintTicket('b'.repeat(64), ctx, `org:${orgB}`, Date.now(), { sid: p.sid });
    const edited = Buffer.from(JSON.stringify({ ...p, org: orgB, ch: `org:${orgB}`, roles: ['owner'] })).toString(
      'base64url',
    );
    const answers = [
      await upgrade(wrongKey),
      await upgrade(`${edited}.${genuine.split('.')[1]}`),
      await upgrade(`${edited}.`),
      await upgrade(edited),
    ];
    console.log(`[attack] tenancy ${name}: tickets edited to org B → ${JSON.stringify(answers)}`);
    expect(answers).toEqual([401, 401, 401, 401]);
    expect(await upgrade(genuine)).toBe(101);
  });

  it("randomized writes by A and B while sockets of A-owner, A-member, B-admin are open: each gets its organization's rows only, as GET shows it, none missing", async () => {
    const watch = [
      { user: ada, org: orgA, s: await open(ada) },
      { user: mia, org: orgA, s: await open(mia) },
      { user: bo, org: orgB, s: await open(bo) },
    ];
    const writers = { A: [ada, abe, mia], B: [eve, bo] };
    const admins = { A: [ada, abe], B: [eve, bo] };
    const op = fc.record({
      org: fc.constantFrom<'A' | 'B'>('A', 'B'),
      kind: fc.constantFrom('create', 'create', 'update', 'delete'),
      who: fc.nat(),
      pick: fc.nat(),
      email: fc.boolean(),
    });
    const missing = await mia.api('GET', `${t.base}/api/v1/tickets/tck_00000000000000000000000000000000`);
    let runs = 0, writes = 0, checked = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 2, maxLength: 6 }), async (ops) => {
        runs++;
        /** What each row of this run became: its organization, its last event and title. */
        const final = new Map<string, { org: 'A' | 'B'; event: string; title: string }>();
        const live = { A: [] as string[], B: [] as string[] };
        for (const o of ops) {
          writes++;
          const pool = live[o.org];
          const [who, id] = [admins[o.org][o.who % 2], pool[o.pick % pool.length]];
          if (o.kind === 'create' || pool.length === 0) {
            const author = writers[o.org][o.who % writers[o.org].length];
            const res = await author.api('POST', `${t.base}/api/v1/tickets`, {
              title: `T${runs}-${writes}`,
              ...(o.email ? { customerEmail: `c${writes}@example.com` } : {}),
            });
            expect(res.status).toBe(201);
            pool.push(res.body.id);
            final.set(res.body.id, { org: o.org, event: 'INSERT', title: res.body.title });
          } else if (o.kind === 'update') {
            expect((await who.api('PATCH', `${t.base}/api/v1/tickets/${id}`, { title: `U${runs}-${writes}` })).status)
              .toBe(200);
            final.set(id, { org: o.org, event: 'UPDATE', title: `U${runs}-${writes}` });
          } else {
            expect(
              (await who.api('DELETE', `${t.base}/api/v1/tickets/${pool.splice(o.pick % pool.length, 1)[0]}`)).status,
            ).toBe(200);
            final.set(id, { ...final.get(id)!, event: 'DELETE' });
          }
        }
        // Workers publish after the answer (waitUntil): each socket waits for the last event of each of its rows.
        for (const w of watch) {
          const mine = [...final].filter(([, f]) => (f.org === 'A' ? orgA : orgB) === w.org);
          for (const [id, f] of mine) {
            const last = await w.s.next(
              changeOf('tickets', f.event, (r) => r.id === id && (f.event === 'DELETE' || r.title === f.title)),
              WAIT_MS,
            );
            const res = await w.user.api('GET', `${t.base}/api/v1/tickets/${id}`);
            if (f.event === 'DELETE') expect(res.body).toEqual(missing.body);
            else expect(last.new).toEqual(res.body);
            checked++;
          }
          const tickets = w.s.messages.filter((m) => m?.type === 'postgres_changes' && m.table === 'tickets');
          expect(tickets.filter((m) => rowOf(m).organizationId !== w.org), 'a row of another organization').toEqual([]);
          const seen = new Set(tickets.map((m) => rowOf(m).id).filter((id) => final.has(id)));
          expect([...seen].sort()).toEqual(mine.map(([id]) => id).sort());
        }
      }),
      { numRuns: 15, seed: SEED },
    );
    // Late arrivals: a last row of each organization, then no socket holds another organization's row.
    for (const [writer, org] of [[ada, orgA], [eve, orgB]] as const) {
      const { body: mark } = await writer.api('POST', `${t.base}/api/v1/tickets`, { title: 'Mark' });
      for (const w of watch.filter((x) => x.org === org))
        await w.s.next(changeOf('tickets', 'INSERT', (r) => r.id === mark.id), WAIT_MS);
    }
    await quiet(250);
    for (const w of watch)
      expect(w.s.messages.filter((m) => m?.type === 'postgres_changes' && rowOf(m).organizationId !== w.org)).toEqual(
        [],
      );
    console.log(
      `[attack] tenancy ${name}: ${runs} runs, ${writes} random writes, ${checked} (socket, row) pairs equal to GET (seed ${SEED})`,
    );
  });

  it('masking per recipient: one row reaches owner, admin and member sockets each masked as GET shows them', async () => {
    const watch = await Promise.all([ada, abe, mia].map(async (user) => ({ user, s: await open(user) })));
    const { body: row } = await mia.api('POST', `${t.base}/api/v1/tickets`, {
      title: 'Masked',
      customerEmail: 'jane@example.com',
    });
    const got: Record<string, string> = {};
    for (const { user, s } of watch) {
      const message = await s.next(changeOf('tickets', 'INSERT', (r) => r.id === row.id));
      const { body } = await user.api('GET', `${t.base}/api/v1/tickets/${row.id}`);
      expect(message.new).toEqual(body);
      got[user.email.split('-')[0]] = message.new.customerEmail;
    }
    expect(got).toMatchObject({ ada: 'jane@example.com', abe: 'jane@example.com' });
    expect(got.mia).not.toBe('jane@example.com');
    expect(got.mia).toMatch(/\*/);
  });

  it("file keys across organizations: B reaches none of A's objects by any key spelling (fast-check); A's stay intact", async () => {
    const send = (user: User, method: string, key: string, body?: string) =>
      user.api(
        method,
        `${t.base}/storage/v1/object/${key}`,
        body,
        body === undefined ? {} : { 'content-type': 'text/plain' },
      );
    const names = ['notes.txt', 'a/b.txt', 'secret'];
    for (const n of names) expect((await send(ada, 'PUT', n, `A-secret ${n}`)).status).toBe(201);
    const spell = fc.tuple(
      fc.constantFrom(...names, 'x.txt', ''),
      fc.constantFrom(
        '',
        `org/${orgA}/`,
        `${orgA}/`,
        `org%2F${orgA}%2F`,
        `../org/${orgA}/`,
        `%2e%2e/org/${orgA}/`,
        `org/${orgA}%2F`,
        `/org/${orgA}/`,
        `./`,
        `org/${orgB}/../${orgA}/`,
      ),
      fc.constantFrom('', '/', '%2F'),
    );
    const key = fc.oneof(
      spell.map(([n, prefix, tail]) => `${prefix}${n}${tail}`),
      fc.stringMatching(/^[a-zA-Z0-9._%\/-]{1,24}$/).map((s) => `org/${orgA}/${s}`),
    );
    const statuses = new Map<string, number>();
    await fc.assert(
      fc.asyncProperty(key, fc.constantFrom('GET', 'PUT', 'DELETE'), async (k, method) => {
        const res = await send(bo, method, k, method === 'PUT' ? 'from B' : undefined);
        statuses.set(`${method} ${res.status}`, (statuses.get(`${method} ${res.status}`) ?? 0) + 1);
        expect(res.status, `${method} ${k}`).toBeLessThan(500);
        expect(String(typeof res.body === 'string' ? res.body : JSON.stringify(res.body))).not.toContain('A-secret');
      }),
      { numRuns: 60, seed: SEED },
    );
    console.log(
      `[attack] tenancy ${name}: B's file requests over A's keys → ${
        JSON.stringify(Object.fromEntries(statuses))
      } (seed ${SEED})`,
    );
    for (const n of names) {
      const res = await send(ada, 'GET', n);
      expect([res.status, res.body]).toEqual([200, `A-secret ${n}`]);
      if (t.stored) expect(await t.stored(`org/${orgA}/${n}`)).toBe(true);
    }
  });

  it("team switching: rows of the active team only, in the API and on a socket opened after the switch; an older socket never gets the other team's rows", async () => {
    const team = async (n: string) =>
      (await ada.api('POST', `${t.base}/auth/v1/organization/create-team`, { name: n, organizationId: orgA })).body
        .id as string;
    const [red, blue] = [await team('Red'), await team('Blue')];
    for (const id of [red, blue])
      for (const u of [ada, mia])
        expect(
          (await ada.api('POST', `${t.base}/auth/v1/organization/add-team-member`, { teamId: id, userId: u.userId }))
            .status,
        ).toBe(200);
    const note = async (teamId: string, text: string) => {
      expect((await ada.api('POST', `${t.base}/auth/v1/organization/set-active-team`, { teamId })).status).toBe(200);
      const res = await ada.api('POST', `${t.base}/api/v1/standups`, { note: text });
      expect([res.status, res.body.teamId]).toEqual([201, teamId]);
      return res.body.id as string;
    };
    const switchTo = async (teamId: string) =>
      expect((await mia.api('POST', `${t.base}/auth/v1/organization/set-active-team`, { teamId })).status).toBe(200);
    const list = async () =>
      ((await mia.api('GET', `${t.base}/api/v1/standups`)).body.data as { id: string }[]).map((r) => r.id).sort();
    const rows = { [red]: [await note(red, 'red 1')], [blue]: [await note(blue, 'blue 1')] };
    await switchTo(red);
    expect(await list()).toEqual(rows[red]);
    const redTicket = await ticketOf(mia);
    expect(payloadOf(redTicket).team).toBe(red);
    const old = await openSocket(t.base, redTicket);
    sockets.push(old);
    await switchTo(blue);
    expect(await list()).toEqual(rows[blue]);
    const blueTicket = await ticketOf(mia);
    expect(payloadOf(blueTicket).team).toBe(blue);
    const fresh = await openSocket(t.base, blueTicket);
    sockets.push(fresh);
    rows[red].push(await note(red, 'red 2'));
    rows[blue].push(await note(blue, 'blue 2'));
    await fresh.next(changeOf('standups', 'INSERT', (r) => r.id === rows[blue][1]));
    await old.next(changeOf('standups', 'INSERT', (r) => r.id === rows[red][1]));
    const ids = (s: Socket) => s.messages.filter(changeOf('standups', 'INSERT')).map((m) => m.new.id);
    expect(ids(fresh)).toEqual([rows[blue][1]]);
    expect(ids(old)).toEqual([rows[red][1]]);
    // Removed from Red: the old socket's re-check drops the team (no Red row, nor any Blue row, reaches it afterwards).
    expect(
      (await ada.api('POST', `${t.base}/auth/v1/organization/remove-team-member`, { teamId: red, userId: mia.userId }))
        .status,
    ).toBe(200);
    const since = Date.now();
    let leaked = 0;
    for (; leaked < 10; leaked++) {
      // The re-check may run after the answer (Workers: the user's index object): a ticket row behind each Red row marks the point.
      const [probe, { body: mark }] = [
        await note(red, 'red probe'),
        await ada.api('POST', `${t.base}/api/v1/tickets`, { title: 'Mark' }),
      ];
      await old.next(changeOf('tickets', 'INSERT', (r) => r.id === mark.id));
      if (!ids(old).includes(probe)) break;
      if (Date.now() - since > WAIT_MS) break;
    }
    console.log(
      `[attack] tenancy ${name}: after remove-team-member, the old (Red) socket got ${leaked} Red rows (${
        Date.now() - since
      } ms)`,
    );
    expect(leaked, 'removed from Red, the old socket still gets Red rows').toBeLessThan(3);
    const after = [await note(red, 'red 3'), await note(blue, 'blue 3')];
    await fresh.next(changeOf('standups', 'INSERT', (r) => r.id === after[1]));
    const { body: mark } = await ada.api('POST', `${t.base}/api/v1/tickets`, { title: 'Mark' });
    await old.next(changeOf('tickets', 'INSERT', (r) => r.id === mark.id));
    await quiet(250);
    expect(ids(old).filter((id) => after.includes(id))).toEqual([]);
  });

  it("impersonation: a platform admin impersonating Mia gets exactly her view; stop-impersonating closes that session's socket 4403", async () => {
    const root = await signUp(fetch, t.base, 'Root');
    await t.authSql('UPDATE user SET role = ? WHERE id = ?', 'admin', root.userId);
    await root.auth.signIn.email({ email: root.email, password: 'correct-horse-battery' });
    await createOrg(root, 'Rootco');
    expect((await root.api('POST', `${t.base}/auth/v1/admin/impersonate-user`, { userId: mia.userId })).status).toBe(
      200,
    );
    expect((await root.api('GET', `${t.base}/auth/v1/get-session`)).body.user.id).toBe(mia.userId);
    await root.auth.organization.setActive({ organizationId: orgA });
    for (const path of ['/api/v1/tickets?limit=50', '/api/v1/tickets?limit=50&sort=title']) {
      const [as, own] = [await root.api('GET', `${t.base}${path}`), await mia.api('GET', `${t.base}${path}`)];
      expect(as.status).toBe(200);
      expect(as.body).toEqual(own.body);
    }
    const ticket = await root.api('POST', `${t.base}/broadcast/v1/ws-ticket`);
    expect(ticket.body.channel).toBe(`org:${orgA}`);
    expect(payloadOf(ticket.body.wsTicket)).toMatchObject({ sub: mia.userId, org: orgA, roles: ['member'] });
    const socket = await openSocket(t.base, ticket.body.wsTicket);
    sockets.push(socket);
    const { body: row } = await ada.api('POST', `${t.base}/api/v1/tickets`, {
      title: 'Seen as Mia',
      customerEmail: 'jane@example.com',
    });
    expect((await socket.next(changeOf('tickets', 'INSERT', (r) => r.id === row.id))).new).toEqual(
      (await mia.api('GET', `${t.base}/api/v1/tickets/${row.id}`)).body,
    );
    const since = Date.now();
    expect((await root.api('POST', `${t.base}/auth/v1/admin/stop-impersonating`, {})).status).toBe(200);
    expect((await root.api('GET', `${t.base}/auth/v1/get-session`)).body.user.id).toBe(root.userId);
    const closed = await Promise.race([socket.closed, quiet(WAIT_MS).then(() => null)]);
    console.log(
      `[attack] tenancy ${name}: stop-impersonating → ${
        closed ? `close ${closed.code} after ${closed.at - since} ms` : `still open after ${WAIT_MS} ms`
      }`,
    );
    expect(closed && [closed.code, closed.reason]).toEqual([4403, 'access revoked']);
  });
});
