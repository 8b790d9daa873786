import { describe, expect, it } from 'vitest';
import { q } from '../../../dsl/columns/q.js';
import type { AccessRule, ResourceSpec } from '../../../dsl/feature.js';
import { defineAuth, defineDatabase, defineRuntime } from '../../../dsl/providers.js';
import { config, project, resource, summary } from '../test-project.js';
import { accessRule } from './access-rule.js';
import { operationRule } from './operation-rule.js';
import { roleHierarchyRule } from './role-hierarchy-rule.js';
import { socialProviderRule } from './social-provider-rule.js';
import { uniqueRule } from './unique-rule.js';

const tickets = (spec: ResourceSpec) =>
  resource(
    'tickets',
    { id: q.id(), title: q.text(), assigneeId: q.text(), organizationId: q.scope('organization') },
    spec,
  );
const checkAccess = (access: AccessRule, hierarchy?: string[]) =>
  accessRule(
    project({
      config: config(hierarchy ? { auth: { roleHierarchy: hierarchy } } : {}),
      resources: [tickets({ read: { access } })],
    }),
  );

describe('access rule: roles', () => {
  it('accepts hierarchy roles, role+ and PUBLIC', () => {
    expect(checkAccess({ roles: ['member', 'admin+', 'owner', 'PUBLIC'], userRole: ['admin', 'anything'] })).toEqual(
      [],
    );
    expect(checkAccess({ roles: ['finance', 'viewer+'] }, ['viewer', 'finance', 'admin'])).toEqual([]);
  });

  it('reports unknown roles with the nearest role', () => {
    const diagnostics = checkAccess({ roles: ['membr', 'admn+', 'public', 'zzzzzzzz'] });
    expect(diagnostics.map((d) => [d.code, d.at, d.hint])).toEqual([
      ['QB_VALIDATE_UNKNOWN_ROLE', 'features.tickets.read.access.roles[0]', 'Did you mean "member"?'],
      ['QB_VALIDATE_UNKNOWN_ROLE', 'features.tickets.read.access.roles[1]', 'Did you mean "admin"?'],
      ['QB_VALIDATE_UNKNOWN_ROLE', 'features.tickets.read.access.roles[2]', 'Did you mean "PUBLIC"?'],
      ['QB_VALIDATE_UNKNOWN_ROLE', 'features.tickets.read.access.roles[3]', 'Roles: member, admin, owner, PUBLIC'],
    ]);
    expect(diagnostics[0].message).toBe('Role "membr" is not in auth.roleHierarchy (member, admin, owner)');
  });

  it('uses the configured hierarchy instead of the default', () => {
    expect(summary(checkAccess({ roles: ['member'] }, ['reader', 'editor']))).toEqual([
      'QB_VALIDATE_UNKNOWN_ROLE @ features.tickets.read.access.roles[0]',
    ]);
  });

  it('rejects "*" and "PUBLIC+"', () => {
    const diagnostics = checkAccess({ roles: ['*', 'PUBLIC+'] });
    expect(diagnostics.map((d) => [d.code, d.at])).toEqual([
      ['QB_VALIDATE_INVALID_ACCESS', 'features.tickets.read.access.roles[0]'],
      ['QB_VALIDATE_INVALID_ACCESS', 'features.tickets.read.access.roles[1]'],
    ]);
    expect(diagnostics[0].hint).toContain('Use "PUBLIC"');
  });

  it('checks every operation in both forms, nested or/and included', () => {
    const spec = {
      crud: { create: { access: { roles: ['x1'] } }, delete: { access: { and: [{ or: [{ roles: ['x2'] }] }] } } },
      update: { access: { or: [{ roles: ['admin'] }, { roles: ['x3'] }] } },
    } as ResourceSpec;
    expect(summary(accessRule(project({ resources: [tickets(spec)] })))).toEqual([
      'QB_VALIDATE_UNKNOWN_ROLE @ features.tickets.crud.create.access.roles[0]',
      'QB_VALIDATE_UNKNOWN_ROLE @ features.tickets.update.access.or[1].roles[0]',
      'QB_VALIDATE_UNKNOWN_ROLE @ features.tickets.crud.delete.access.and[0].or[0].roles[0]',
    ]);
  });
});

describe('access rule: record conditions', () => {
  it('accepts declared, implicit id and audit columns', () => {
    expect(
      checkAccess({
        record: { assigneeId: { equals: '$ctx.userId' }, id: { notIn: ['a'] }, createdBy: { equals: '$ctx.userId' } },
      }),
    ).toEqual([]);
  });

  it('reports unknown columns', () => {
    const diagnostics = checkAccess({ or: [{ record: { asigneeId: { equals: '$ctx.userId' } } }] });
    expect(diagnostics.map((d) => [d.code, d.at, d.hint])).toEqual([[
      'QB_VALIDATE_UNKNOWN_COLUMN',
      'features.tickets.read.access.or[0].record.asigneeId',
      'Did you mean "assigneeId"?',
    ]]);
  });
});

describe('role hierarchy rule', () => {
  const check = (roleHierarchy: string[]) =>
    roleHierarchyRule(project({ config: config({ auth: { roleHierarchy } }) }));

  it('accepts a valid hierarchy', () => {
    expect(check(['viewer', 'member', 'admin', 'owner'])).toEqual([]);
  });

  it('rejects empty, duplicate, PUBLIC and + entries', () => {
    expect(summary(check([]))).toEqual(['QB_VALIDATE_INVALID_OPTION @ auth.roleHierarchy']);
    expect(summary(check(['member', 'PUBLIC', 'admin+', 'member', '']))).toEqual([
      'QB_VALIDATE_INVALID_OPTION @ auth.roleHierarchy[1]',
      'QB_VALIDATE_INVALID_OPTION @ auth.roleHierarchy[2]',
      'QB_VALIDATE_INVALID_OPTION @ auth.roleHierarchy[3]',
      'QB_VALIDATE_INVALID_OPTION @ auth.roleHierarchy[4]',
    ]);
  });
});

describe('operation rule', () => {
  it('rejects an operation declared in crud and at the top level', () => {
    const spec = {
      crud: { create: {}, update: { access: { roles: ['admin'] } } },
      update: { access: { roles: ['owner'] } },
      delete: { mode: 'hard' },
    } as ResourceSpec;
    const diagnostics = operationRule(project({ resources: [tickets(spec)] }));
    expect(summary(diagnostics)).toEqual(['QB_VALIDATE_INVALID_OPTION @ features.tickets.update']);
    expect(diagnostics[0].hint).toContain('Pick one form');
  });
});

describe('unique rule', () => {
  it('requires unique columns to exist', () => {
    const spec = { unique: [{ columns: ['organizationId', 'title'] }, { columns: ['title', 'tilte'] }] };
    const diagnostics = uniqueRule(project({ resources: [tickets(spec)] }));
    expect(diagnostics.map((d) => [d.code, d.at, d.hint])).toEqual([[
      'QB_VALIDATE_UNKNOWN_COLUMN',
      'features.tickets.unique[1].columns[1]',
      'Did you mean "title"?',
    ]]);
  });
});

describe('social provider rule', () => {
  it('rejects a literal clientSecret and points to the env variable', () => {
    const auth = defineAuth('better-auth', {
      socialProviders: { google: { clientId: 'id', clientSecret: 'shh' }, github: { enabled: true } },
    });
    const diagnostics = socialProviderRule(
      project({
        config: config({ providers: { runtime: defineRuntime('node'), database: defineDatabase('libsql'), auth } }),
      }),
    );
    expect(summary(diagnostics)).toEqual([
      'QB_VALIDATE_INVALID_OPTION @ providers.auth.socialProviders.google.clientSecret',
    ]);
    expect(diagnostics[0].hint).toContain('GOOGLE_CLIENT_SECRET');
  });
});
