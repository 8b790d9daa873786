import { describe, expect, it } from 'vitest';
import { q } from '../../../dsl/columns/q.js';
import type { ResourceSpec } from '../../../dsl/feature.js';
import { defineAuth, defineDatabase, defineRuntime, type RuntimeKind } from '../../../dsl/providers.js';
import { validate } from '../validate.js';
import { config, project, resource, summary } from '../test-project.js';
import { realtimeRule } from './realtime-rule.js';

const tickets = (spec: ResourceSpec) => resource('tickets', { id: q.id(), title: q.text(), organizationId: q.scope('organization') }, spec);
const logs = (spec: ResourceSpec) => resource('logs', { id: q.id(), line: q.text() }, spec);
const cfg = (realtime: unknown, runtime: RuntimeKind = 'node', auth = defineAuth('better-auth')) => config({
  providers: { runtime: defineRuntime(runtime), database: defineDatabase('better-sqlite3', { realtime } as never), auth },
});
const check = (c: ReturnType<typeof config>, ...resources: ReturnType<typeof tickets>[]) => realtimeRule(project({ config: c, resources }));

describe('realtime rule', () => {
  it('accepts realtime on Node with tables that opt in, with no diagnostics from any rule', () => {
    const spec: ResourceSpec = { realtime: { fields: ['title'], requiredRoles: ['admin+'], onDelete: false } };
    expect(validate(project({ config: cfg(true), resources: [tickets(spec)] }))).toEqual([]);
    expect(validate(project({ config: cfg({ enabled: true }), resources: [tickets({ realtime: true })] }))).toEqual([]);
  });

  it('refuses auth other than Better Auth, and wsTicket, naming the way out; Node, Bun and Workers are built', () => {
    for (const runtime of ['node', 'bun'] as const) expect(check(cfg(true, runtime))).toEqual([]);
    expect(summary(check(cfg(true, 'node', defineAuth('supabase-auth'))))).toEqual(['QB_VALIDATE_NOT_SUPPORTED @ providers.database.realtime']);
    expect(summary(check(cfg({ wsTicket: { role: 'attendee', requestField: 'eventId', scopeTable: 'events' } })))).toEqual(['QB_VALIDATE_NOT_SUPPORTED @ providers.database.realtime.wsTicket']);
  });

  it('checks a table\'s fields and requiredRoles, and warns when nothing can be pushed', () => {
    expect(summary(check(cfg(true), tickets({ realtime: { fields: ['title', 'nope'], requiredRoles: ['member', 'boss+'] } })))).toEqual([
      'QB_VALIDATE_INVALID_OPTION @ features.tickets.realtime.fields[1]', 'QB_VALIDATE_INVALID_ACCESS @ features.tickets.realtime.requiredRoles[1]',
    ]);
    expect(summary(check(cfg(false), tickets({ realtime: true })))).toEqual(['QB_WARN_OPTION_NO_EFFECT @ features.tickets.realtime']);
    expect(summary(check(cfg(true), logs({ realtime: true })))).toEqual(['QB_WARN_OPTION_NO_EFFECT @ features.logs.realtime']);
    expect(check(cfg(true), tickets({ realtime: { enabled: false, fields: ['nope'] } }))).toEqual([]);
  });
});
