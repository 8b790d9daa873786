import { describe, expect, it } from 'vitest';
import { q } from '../../../dsl/columns/q.js';
import type { ColumnBuilder } from '../../../dsl/columns/builder.js';
import type { Firewall } from '../../../dsl/feature.js';
import { project, resource, summary } from '../test-project.js';
import { scopeRule } from './scope-rule.js';

const check = (columns: Record<string, ColumnBuilder>, firewall?: Firewall, internal = false) =>
  scopeRule(
    project({
      resources: [
        resource(
          'tickets',
          { id: q.id(), ...columns },
          { ...(firewall ? { firewall } : {}), ...(internal ? { internal } : {}) },
        ),
      ],
    }),
  );

describe('scope rule: auto-derived firewall', () => {
  it.each(['organizationId', 'organisationId', 'orgId', 'organization', 'organisation', 'org', 'userId'])(
    'accepts the single isolation column %s',
    (column) => {
      expect(check({ [column]: q.text() })).toEqual([]);
    },
  );

  it('accepts a single q.scope() column of any built kind', () => {
    expect(check({ ownerId: q.scope('owner') })).toEqual([]);
    expect(check({ author: q.scope('user') })).toEqual([]);
  });

  it('reports several candidates as ambiguous, with an example firewall', () => {
    const [d, ...rest] = check({ organizationId: q.scope('organization'), userId: q.text(), ownerId: q.text() });
    expect(rest).toEqual([]);
    expect(d).toMatchObject({ code: 'QB_VALIDATE_AMBIGUOUS_SCOPE', at: 'features.tickets.columns' });
    expect(d.message).toContain('(organizationId, userId)');
    expect(d.hint).toContain('firewall: { organization: { column: "organizationId" }, owner: { column: "userId" } }');
  });

  it('reports a table with no isolation column (ownerId is not auto-detected)', () => {
    const [d] = check({ ownerId: q.text() });
    expect(d).toMatchObject({ code: 'QB_VALIDATE_INVALID_FIREWALL', at: 'features.tickets.firewall' });
    expect(d.hint).toContain('firewall: { exception: true }');
  });

  it('accepts a team scope', () => {
    expect(summary(check({ teamId: q.text() }))).toEqual([]);
    expect(summary(check({ squad: q.scope('team') }))).toEqual([]);
  });

  it('skips internal tables', () => {
    expect(check({}, undefined, true)).toEqual([]);
    expect(check({ orgId: q.text(), userId: q.text() }, undefined, true)).toEqual([]);
  });
});

describe('scope rule: predicate firewall', () => {
  it('accepts real columns and context values, including audit columns', () => {
    expect(
      check({ orgId: q.text(), userId: q.text() }, [
        { field: 'orgId', equals: 'ctx.activeOrgId' },
        { field: 'userId', equals: 'ctx.userId' },
        { field: 'deletedAt', isNull: true },
      ]),
    ).toEqual([]);
  });

  it('reports unknown fields and unknown context values (a team context is fine)', () => {
    const diagnostics = check({ orgId: q.text() }, [
      { field: 'orgID', equals: 'ctx.activeOrgId' },
      { field: 'orgId', equals: 'ctx.orgId' },
      { field: 'orgId', equals: 'ctx.activeTeamId' },
    ]);
    expect(diagnostics.map((d) => [d.code, d.at, d.hint])).toEqual([
      ['QB_VALIDATE_UNKNOWN_COLUMN', 'features.tickets.firewall[0].field', 'Did you mean "orgId"?'],
      [
        'QB_VALIDATE_INVALID_FIREWALL',
        'features.tickets.firewall[1].equals',
        'Valid values: ctx.activeOrgId, ctx.userId, ctx.activeTeamId',
      ],
    ]);
  });

  it('reports an empty predicate list', () => {
    expect(summary(check({ orgId: q.text() }, []))).toEqual([
      'QB_VALIDATE_INVALID_FIREWALL @ features.tickets.firewall',
    ]);
  });
});

describe('scope rule: named scopes', () => {
  it('uses the default columns unless `column` is given', () => {
    expect(
      check(
        { organizationId: q.text(), ownerId: q.text() },
        { organization: {}, owner: { mode: 'optional' }, softDelete: true },
      ),
    ).toEqual([]);
    expect(
      check(
        { tenant: q.text() },
        { organization: { column: 'tenant', source: 'ctx.activeOrgId' }, softDelete: { column: 'deletedAt' } },
      ),
    ).toEqual([]);
  });

  it('reports scope columns that do not exist', () => {
    const diagnostics = check(
      { tenant: q.text() },
      { organization: {}, owner: { column: 'author' }, softDelete: { column: 'archivedAt' } },
    );
    expect(diagnostics.map((d) => [d.code, d.at])).toEqual([
      ['QB_VALIDATE_UNKNOWN_COLUMN', 'features.tickets.firewall.owner.column'],
      ['QB_VALIDATE_UNKNOWN_COLUMN', 'features.tickets.firewall.organization'],
      ['QB_VALIDATE_UNKNOWN_COLUMN', 'features.tickets.firewall.softDelete.column'],
    ]);
    expect(diagnostics[1].hint).toBe(
      'Add organizationId: q.scope("organization") to columns, or set firewall.organization.column.',
    );
  });

  it('reports a bad source', () => {
    expect(summary(check({ ownerId: q.text() }, { owner: { source: 'ctx.user' } }))).toEqual([
      'QB_VALIDATE_INVALID_FIREWALL @ features.tickets.firewall.owner.source',
    ]);
  });

  it('rejects exception combined with a scope, and a firewall with no scope', () => {
    expect(summary(check({ organizationId: q.text() }, { exception: true, organization: {} }))).toEqual([
      'QB_VALIDATE_INVALID_FIREWALL @ features.tickets.firewall.exception',
    ]);
    expect(summary(check({}, { softDelete: true }))).toEqual([
      'QB_VALIDATE_INVALID_FIREWALL @ features.tickets.firewall',
    ]);
    expect(check({}, { exception: true })).toEqual([]);
  });

  it('accepts a team scope beside the organization', () => {
    expect(summary(check({ teamId: q.text(), organizationId: q.text() }, { organization: {}, team: {} }))).toEqual([]);
  });
});
