import { sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { describe, expect, it } from 'vitest';
import type { AppContext } from '../../core/context.js';
import { channelOf, createRealtime, messageFor, rowTarget, type RealtimeEvent } from './realtime.js';
import type { ResourceDefinition } from '../../core/resource.js';

const table = sqliteTable('tickets', {
  id: text('id'),
  title: text('title'),
  email: text('email'),
  assigneeId: text('assignee_id'),
  organizationId: text('organization_id'),
  deletedAt: text('deleted_at'),
});
const tickets = {
  name: 'tickets',
  table,
  id: { key: 'id', type: 'text', clientIds: false },
  firewall: {
    predicates: [{ column: 'organizationId', equals: 'ctx.activeOrgId' }, { column: 'deletedAt', isNull: true }],
    errorMode: 'reveal',
  },
  access: {
    read: {
      or: [{ roles: ['admin'] }, { roles: ['member'], record: { assigneeId: { op: 'equals', value: '$ctx.userId' } } }],
    },
  },
  masking: { email: { type: 'email', show: { roles: ['admin'], userRole: [] }, query: { roles: ['admin'] } } },
  realtime: {
    onInsert: true,
    onUpdate: true,
    onDelete: true,
    requiredRoles: null,
    fields: ['title', 'email', 'assigneeId', 'organizationId'],
  },
} as unknown as ResourceDefinition;
const resources = new Map([['tickets', tickets]]);
const ctx = (userId: string, roles: string[], org = 'o1'): AppContext => ({
  authenticated: true,
  userId,
  userRole: 'user',
  activeOrgId: org,
  activeTeamId: null,
  roles,
  user: null,
});
const row = {
  id: 't1',
  title: 'T',
  email: 'jane@example.com',
  assigneeId: 'u2',
  organizationId: 'o1',
  deletedAt: null,
  estimate: 3,
};
const insert: RealtimeEvent = {
  type: 'postgres_changes',
  channel: 'org:o1',
  table: 'tickets',
  eventType: 'INSERT',
  new: row,
  old: null,
};
const parse = (m: string | null) => (m === null ? null : JSON.parse(m));

describe('realtime messages per recipient', () => {
  it('admins get the row cut to the fields; a member gets it masked only when a record condition lets them read it', () => {
    expect(parse(messageFor(insert, ctx('u1', ['admin']), resources)).new).toEqual({
      id: 't1',
      title: 'T',
      email: 'jane@example.com',
      assigneeId: 'u2',
      organizationId: 'o1',
    });
    expect(parse(messageFor(insert, ctx('u2', ['member']), resources)).new.email).toMatch(/^j\*+@/);
    expect(messageFor(insert, ctx('u3', ['member']), resources)).toBeNull();
  });

  it('never crosses the firewall, the user filter or requiredRoles', () => {
    expect(messageFor(insert, ctx('u1', ['admin'], 'o2'), resources)).toBeNull();
    expect(messageFor({ ...insert, userId: 'u9' }, ctx('u1', ['admin']), resources)).toBeNull();
    const admins = new Map([[
      'tickets',
      { ...tickets, realtime: { ...tickets.realtime!, requiredRoles: ['owner'] } } as ResourceDefinition,
    ]]);
    expect(messageFor(insert, ctx('u1', ['admin']), admins)).toBeNull();
  });

  it('DELETE carries only old; tables of your own go out as given; broadcasts carry their payload', () => {
    const del = parse(
      messageFor(
        { ...insert, eventType: 'DELETE', new: null, old: { ...row, deletedAt: 'now' } },
        ctx('u1', ['admin']),
        resources,
      ),
    );
    expect(Object.keys(del)).toEqual(['type', 'schema', 'table', 'eventType', 'old']);
    expect(parse(messageFor({ ...insert, table: 'custom', new: { a: 1 } }, ctx('u1', []), resources)).new).toEqual({
      a: 1,
    });
    expect(
      parse(
        messageFor(
          { type: 'broadcast', channel: 'org:o1', event: 'ping', payload: { n: 1 } },
          ctx('u1', []),
          resources,
        ),
      ),
    ).toEqual({ type: 'broadcast', event: 'ping', payload: { n: 1 } });
  });

  it('targets: a string is an organization; objects pick scope, then organization, then user', () => {
    expect(channelOf('o1')).toEqual({ channel: 'org:o1' });
    expect(channelOf({ organizationId: 'o1', userId: 'u1' })).toEqual({ channel: 'org:o1', userId: 'u1' });
    expect(channelOf({ userId: 'u1' })).toEqual({ channel: 'user:u1' });
    expect(channelOf({ scopeKey: 'events:e1' })).toEqual({ channel: 'scope:events:e1' });
    expect(() => channelOf({})).toThrow(/needs a scopeKey/);
    expect(rowTarget(tickets, row)).toEqual({ organizationId: 'o1' });
  });

  it('createRealtime publishes one event per row', async () => {
    const sent: RealtimeEvent[] = [];
    const realtime = createRealtime(async (e) => {
      sent.push(e);
    });
    await realtime.delete('tickets', [row, { ...row, id: 't2' }], 'o1');
    await realtime.broadcast('typing', { who: 'u1' }, { organizationId: 'o1', userId: 'u2' });
    expect(sent.map((e) => [e.type, e.channel, e.userId, e.type === 'postgres_changes' ? e.old?.id : e.event])).toEqual(
      [
        ['postgres_changes', 'org:o1', undefined, 't1'],
        ['postgres_changes', 'org:o1', undefined, 't2'],
        ['broadcast', 'org:o1', 'u2', 'typing'],
      ],
    );
  });
});
