import { describe, expect, it } from 'vitest';
import { q } from '../../../dsl/columns/q.js';
import type { ResourceSpec } from '../../../dsl/feature.js';
import { defineAuth, defineDatabase, defineRuntime, type RuntimeKind } from '../../../dsl/providers.js';
import { validate } from '../validate.js';
import { config, project, resource, summary } from '../test-project.js';
import { realtimeRule } from './realtime-rule.js';

const tickets = (spec: ResourceSpec) =>
  resource('tickets', { id: q.id(), title: q.text(), organizationId: q.scope('organization') }, spec);
const logs = (spec: ResourceSpec) => resource('logs', { id: q.id(), line: q.text() }, spec);
const cfg = (realtime: unknown, runtime: RuntimeKind = 'node', auth = defineAuth('better-auth')) => config({
  providers: {
    runtime: defineRuntime(runtime),
    database: defineDatabase('better-sqlite3', { realtime } as never),
    auth,
  },
});
const check = (c: ReturnType<typeof config>, ...resources: ReturnType<typeof tickets>[]) =>
  realtimeRule(project({ config: c, resources }));

describe('realtime rule', () => {
  it('accepts realtime on Node with tables that opt in, with no diagnostics from any rule', () => {
    const spec: ResourceSpec = { realtime: { fields: ['title'], requiredRoles: ['admin+'], onDelete: false } };
    expect(validate(project({ config: cfg(true), resources: [tickets(spec)] }))).toEqual([]);
    expect(validate(project({ config: cfg({ enabled: true }), resources: [tickets({ realtime: true })] }))).toEqual([]);
  });

  it('refuses auth other than Better Auth, naming the way out; Node, Bun and Workers are built', () => {
    for (const runtime of ['node', 'bun'] as const) expect(check(cfg(true, runtime))).toEqual([]);
    expect(summary(check(cfg(true, 'node', defineAuth('supabase-auth'))))).toEqual([
      'QB_VALIDATE_NOT_SUPPORTED @ providers.database.realtime',
    ]);
  });

  it('wsTicket: the role is an authz role whose via table references the scope table and has a user column', () => {
    const events = resource('events', { id: q.id(), name: q.text(), organizationId: q.scope('organization') });
    const guests = (columns: Record<string, ReturnType<typeof q.text>>) =>
      resource(
        'guests',
        { id: q.id(), organizationId: q.scope('organization'), ...columns },
        { firewall: { organization: { column: 'organizationId' } } } as ResourceSpec,
      );
    const ws = { wsTicket: { role: 'attendee', requestField: 'eventId', scopeTable: 'events' } };
    const withAuthz = (via: string) => config({ ...cfg(ws), authz: { roles: { attendee: { via } } } });
    const ok = guests({ eventId: q.text().references('events'), userId: q.text() });
    expect(validate(project({ config: withAuthz('guests'), resources: [events, ok] }))).toEqual([]);
    expect(summary(check(cfg(ws), events, ok))).toEqual([
      'QB_VALIDATE_INVALID_OPTION @ providers.database.realtime.wsTicket.role',
    ]);
    expect(summary(check(withAuthz('nope'), events, ok))).toEqual([
      'QB_VALIDATE_UNKNOWN_REFERENCE @ authz.roles.attendee.via',
    ]);
    expect(summary(check(withAuthz('guests'), events, guests({ note: q.text() })))).toEqual([
      'QB_VALIDATE_INVALID_OPTION @ authz.roles.attendee.via',
      'QB_VALIDATE_INVALID_OPTION @ authz.roles.attendee.via',
    ]);
    expect(
      check(
        config({
          ...withAuthz('guests'),
          providers: { ...cfg(ws).providers, database: defineDatabase('neon', { realtime: ws } as never) },
        }),
        events,
        ok,
      ),
    ).toEqual([]);
  });

  it("checks a table's fields and requiredRoles, and warns when nothing can be pushed", () => {
    expect(
      summary(
        check(cfg(true), tickets({ realtime: { fields: ['title', 'nope'], requiredRoles: ['member', 'boss+'] } })),
      ),
    ).toEqual([
      'QB_VALIDATE_INVALID_OPTION @ features.tickets.realtime.fields[1]',
      'QB_VALIDATE_INVALID_ACCESS @ features.tickets.realtime.requiredRoles[1]',
    ]);
    expect(summary(check(cfg(false), tickets({ realtime: true })))).toEqual([
      'QB_WARN_OPTION_NO_EFFECT @ features.tickets.realtime',
    ]);
    expect(summary(check(cfg(true), logs({ realtime: true })))).toEqual([
      'QB_WARN_OPTION_NO_EFFECT @ features.logs.realtime',
    ]);
    expect(check(cfg(true), tickets({ realtime: { enabled: false, fields: ['nope'] } }))).toEqual([]);
  });
});
