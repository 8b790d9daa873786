import { describe, expect, it } from 'vitest';
import type { AppContext } from '../../core/context.js';
import { createHub } from './realtime-hub.js';
import { admit, memoryNonces, recheckInterval, recheckWith, type AuthState } from './realtime-live.js';
import { mintTicket, verifyTicket, type Ticket } from './realtime-ticket.js';

const SECRET = 'a'.repeat(64);
const ctx: AppContext = {
  authenticated: true,
  userId: 'u1',
  userRole: 'user',
  activeOrgId: 'o1',
  activeTeamId: null,
  roles: ['admin'],
  user: { id: 'u1', email: 'u@example.com', name: 'U' },
};
const ticketOf = (binding: { sid?: string; kid?: string }, channel = 'org:o1', holder = ctx): Ticket =>
  verifyTicket(SECRET, mintTicket(SECRET, holder, channel, Date.now(), binding))!;

function world() {
  const w = {
    user: {
      id: 'u1',
      email: 'u@example.com',
      name: 'U',
      role: 'user',
      banned: false as boolean | null,
      banExpires: null as Date | null,
    } as Awaited<ReturnType<AuthState['user']>>,
    sessions: new Set(['s1']),
    keys: new Set(['k1']),
    roles: new Map<string, string[]>([['o1:u1', ['admin']]]),
  };
  const state: AuthState = {
    user: async () => w.user,
    session: async (_u, sid) => w.sessions.has(sid),
    apiKey: async (_u, kid) => w.keys.has(kid),
  };
  const check = recheckWith({
    state: () => state,
    memberRoles: () => async (org, user) => w.roles.get(`${org}:${user}`) ?? null,
    teamMembership: () => async () => false,
  });
  return { w, check };
}

describe('re-checking a socket', () => {
  it('keeps a caller who still has access, with the roles of now', async () => {
    const { w, check } = world();
    expect(await check(ticketOf({ sid: 's1' }))).toEqual(ctx);
    w.roles.set('o1:u1', ['member']);
    expect((await check(ticketOf({ sid: 's1' })))?.roles).toEqual(['member']);
  });

  it('refuses a caller who left the organization, whose session or key is gone, or who is banned (until the ban expires) or deleted', async () => {
    const { w, check } = world();
    w.sessions.clear();
    expect(await check(ticketOf({ sid: 's1' }))).toBeNull();
    expect(await check(ticketOf({ kid: 'k1' }))).not.toBeNull();
    w.keys.clear();
    expect(await check(ticketOf({ kid: 'k1' }))).toBeNull();
    expect(await check(ticketOf({}))).not.toBeNull();
    w.roles.clear();
    expect(await check(ticketOf({}))).toBeNull();
    expect(await check(ticketOf({}, 'user:u1', { ...ctx, activeOrgId: null, roles: [] }))).not.toBeNull();
    w.user = { ...w.user!, banned: true, banExpires: new Date(Date.now() - 1000) };
    expect(await check(ticketOf({}, 'user:u1', { ...ctx, activeOrgId: null, roles: [] }))).not.toBeNull();
    w.user = { ...w.user!, banned: true, banExpires: null };
    expect(await check(ticketOf({}, 'user:u1', { ...ctx, activeOrgId: null, roles: [] }))).toBeNull();
    w.user = null;
    expect(await check(ticketOf({}, 'user:u1', { ...ctx, activeOrgId: null, roles: [] }))).toBeNull();
  });

  it('fails closed when the auth database errs, and on a scope channel it cannot prove', async () => {
    const failing = recheckWith({
      state: () => ({
        user: async () => {
          throw new Error('down');
        },
        session: async () => true,
        apiKey: async () => true,
      }),
      memberRoles: () => undefined,
      teamMembership: () => undefined,
    });
    const { check } = world();
    expect(await failing(ticketOf({}))).toBeNull();
    expect(await check(ticketOf({}, 'scope:tickets:t1'))).toBeNull();
  });

  it('the periodic interval is 30 s unless set between 1 and 60 s', () => {
    expect([
      recheckInterval(undefined),
      recheckInterval('5'),
      recheckInterval('0'),
      recheckInterval('600'),
      recheckInterval('x'),
    ]).toEqual([30_000, 5_000, 30_000, 30_000, 30_000]);
  });
});

describe('single-use tickets and the hub', () => {
  it('a nonce is consumed once, and forgotten after its lifetime', async () => {
    let now = 0;
    const nonces = memoryNonces(() => now);
    expect([await nonces.consume('j', 60), await nonces.consume('j', 60)]).toEqual([true, false]);
    now = 61_000;
    expect(await nonces.consume('other', 60)).toBe(true);
    expect(await nonces.consume('j', 60)).toBe(true);
  });

  it('admits a ticket once, and only while its caller has access', async () => {
    const { w, check } = world();
    const nonces = memoryNonces();
    const text = mintTicket(SECRET, ctx, 'org:o1', Date.now(), { sid: 's1' });
    expect((await admit(SECRET, text, nonces, check))?.ctx).toEqual(ctx);
    expect(await admit(SECRET, text, nonces, check)).toBeNull();
    expect(
      await admit(SECRET, mintTicket(SECRET, ctx, 'org:o1', Date.now(), { sid: 's1' }), {
        consume: async () => {
          throw new Error('redis down');
        },
      }, check),
    ).toBeNull();
    w.sessions.clear();
    expect(await admit(SECRET, mintTicket(SECRET, ctx, 'org:o1', Date.now(), { sid: 's1' }), nonces, check)).toBeNull();
  });

  it('an auth event closes the sockets of that user that lost access (4403) and re-shapes the others', async () => {
    const { w, check } = world();
    const hub = createHub(new Map());
    const stop = hub.authorize(check, 60_000);
    const closes: [string, number, string][] = [];
    const socket = (name: string) => ({
      send: () => {},
      close: (code: number, reason: string) => {
        closes.push([name, code, reason]);
      },
    });
    hub.join(ticketOf({ sid: 's1' }), socket('kept'));
    hub.join(ticketOf({ kid: 'k1' }), socket('keyed'));
    hub.join(ticketOf({ sid: 's1' }, 'org:o1', { ...ctx, userId: 'u2' }), socket('other user'));
    w.keys.clear();
    expect(await hub.reauthorize('u1')).toBe(1);
    expect(closes).toEqual([['keyed', 4403, 'access revoked']]);
    expect(hub.sockets()).toBe(2);
    stop();
  });
});
