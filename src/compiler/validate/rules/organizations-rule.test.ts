import { describe, expect, it } from 'vitest';
import { q } from '../../../dsl/columns/q.js';
import type { ResourceSpec } from '../../../dsl/feature.js';
import { config, project, resource, summary } from '../test-project.js';
import { namesRule } from './names-rule.js';
import { organizationsRule } from './organizations-rule.js';

const noOrgs = config({ features: {} });
const check = (columns: Parameters<typeof resource>[1], spec: ResourceSpec = {}, cfg = noOrgs) =>
  summary(organizationsRule(project({ config: cfg, resources: [resource('tickets', columns, spec)] })));

describe('organizations rule', () => {
  it('rejects an org-scoped table while organizations are off, naming the column', () => {
    expect(check({ organizationId: q.scope('organization') })).toEqual([
      'QB_VALIDATE_INVALID_FIREWALL @ features.tickets.columns.organizationId',
    ]);
    expect(check({ orgId: q.text() })).toEqual(['QB_VALIDATE_INVALID_FIREWALL @ features.tickets.columns.orgId']);
  });

  it('rejects explicit organization firewalls in both forms', () => {
    expect(check({ orgId: q.text() }, { firewall: [{ field: 'orgId', equals: 'ctx.activeOrgId' }] })).toEqual([
      'QB_VALIDATE_INVALID_FIREWALL @ features.tickets.firewall[0].equals',
    ]);
    expect(check({ organizationId: q.text() }, { firewall: { organization: {} } })).toEqual([
      'QB_VALIDATE_INVALID_FIREWALL @ features.tickets.firewall.organization',
    ]);
  });

  it('rejects organization roles but accepts PUBLIC and {}', () => {
    const spec: ResourceSpec = {
      read: { access: { roles: ['PUBLIC'] } },
      crud: { create: { access: {} }, delete: { access: { or: [{ roles: ['admin+'] }] } } },
    };
    expect(check({ ownerId: q.scope('owner') }, spec)).toEqual([
      'QB_VALIDATE_INVALID_ACCESS @ features.tickets.crud.delete.access.or[0].roles[0]',
    ]);
  });

  it('accepts everything when organizations are on', () => {
    expect(check({ organizationId: q.scope('organization') }, { read: { access: { roles: ['member+'] } } }, config()))
      .toEqual([]);
  });

  it('accepts owner-scoped tables without organizations', () => {
    expect(check({ ownerId: q.scope('owner') })).toEqual([]);
  });
});

describe('names rule: reserved feature names', () => {
  const names = (name: string) =>
    summary(namesRule(project({ resources: [resource(name, { ownerId: q.scope('owner') })] })));
  it.each(['delete', 'class', 'user', 'users', 'Sessions', 'api_keys'])('rejects %s', (name) => {
    expect(names(name)).toEqual([`QB_VALIDATE_INVALID_NAME @ features.${name}`]);
  });
  it('accepts ordinary names', () => {
    expect(names('userProfiles')).toEqual([]);
  });
});
