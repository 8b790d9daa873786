import { describe, expect, it } from 'vitest';
import { q } from '../../../dsl/columns/q.js';
import type { ResourceSpec } from '../../../dsl/feature.js';
import { config, project, resource, summary } from '../test-project.js';
import { accessRule } from './access-rule.js';
import { guardsRule } from './guards-rule.js';
import { readRule } from './read-rule.js';

const columns = {
  title: q.text().required(),
  status: q.text(),
  sku: q.text(),
  email: q.text(),
  organizationId: q.scope('organization'),
};
const run = (
  rule: typeof guardsRule,
  spec: ResourceSpec,
  cols: Parameters<typeof resource>[1] = columns,
  cfg = config(),
) => summary(rule(project({ config: cfg, resources: [resource('items', cols, spec)] }))).sort();

describe('guards rule', () => {
  it('accepts consistent lists', () => {
    expect(
      run(guardsRule, {
        guards: {
          createable: ['title', 'status'],
          updatable: ['title'],
          immutable: ['sku'],
          protected: { email: ['verify'] },
        },
      }),
    ).toEqual([]);
  });

  it('rejects unknown and server-managed fields, contradictions, and uncreatable required fields', () => {
    expect(
      run(guardsRule, {
        guards: {
          createable: ['titel', 'organizationId', 'status'],
          updatable: ['status', 'sku'],
          immutable: ['sku'],
          protected: { status: ['x'] },
        },
      }),
    ).toEqual([
      'QB_VALIDATE_INVALID_GUARDS @ features.items.guards.createable',
      'QB_VALIDATE_INVALID_GUARDS @ features.items.guards.createable[1]',
      'QB_VALIDATE_INVALID_GUARDS @ features.items.guards.immutable',
      'QB_VALIDATE_INVALID_GUARDS @ features.items.guards.protected.status',
      'QB_VALIDATE_UNKNOWN_COLUMN @ features.items.guards.createable[0]',
    ]);
  });

  it('allows PUT only with client ids and without guard lists', () => {
    expect(run(guardsRule, { crud: { put: true } })).toEqual(['QB_VALIDATE_INVALID_OPTION @ features.items.crud.put']);
    const clientIds = config({
      providers: {
        ...config().providers,
        database: { ...config().providers.database, options: { generateId: false } },
      } as never,
    });
    expect(run(guardsRule, { crud: { put: true } }, columns, clientIds)).toEqual([]);
    expect(run(guardsRule, { crud: { put: true }, guards: { createable: ['title'] } }, columns, clientIds)).toEqual([
      'QB_VALIDATE_INVALID_OPTION @ features.items.crud.put',
    ]);
  });
});

describe('read rule (masking and views)', () => {
  it('rejects masks on unknown or system columns, owner reveal without an owner, and stray keep options', () => {
    expect(
      run(readRule, {
        masking: {
          nope: { type: 'redact' },
          organizationId: { type: 'redact' },
          title: { type: 'name', show: { or: 'owner' }, keepFirst: 1 },
        },
      }),
    ).toEqual([
      'QB_VALIDATE_INVALID_MASKING @ features.items.masking.organizationId',
      'QB_VALIDATE_INVALID_MASKING @ features.items.masking.title',
      'QB_VALIDATE_INVALID_MASKING @ features.items.masking.title.show.or',
      'QB_VALIDATE_UNKNOWN_COLUMN @ features.items.masking.nope',
      'QB_WARN_AUTO_MASK @ features.items.columns.email',
    ]);
    expect(
      run(
        readRule,
        { masking: { email: { type: 'email', show: { or: 'owner' } } } },
        { email: q.text(), ownerId: q.scope('owner') },
      ),
    ).toEqual([]);
  });

  it('checks mask roles like access roles', () => {
    expect(
      run(accessRule, {
        masking: { email: { type: 'email', show: { roles: ['PUBLIC'] }, query: { roles: ['admn'] } } },
      }),
    ).toEqual([
      'QB_VALIDATE_INVALID_MASKING @ features.items.masking.email.show.roles[0]',
      'QB_VALIDATE_UNKNOWN_ROLE @ features.items.masking.email.query.roles[0]',
    ]);
  });

  it('rejects views with unknown columns, widening roles, and a missing default', () => {
    const spec: ResourceSpec = {
      masking: { email: { type: 'email' } },
      read: {
        access: { roles: ['admin+'] },
        views: {
          a: {
            fields: ['title', 'nope'],
            access: { roles: ['member+'] },
            query: { sortable: ['x'], defaultSort: '-zzz' },
          },
        },
        defaultView: 'b',
      },
    };
    expect(run(readRule, spec)).toEqual([
      'QB_VALIDATE_INVALID_VIEW @ features.items.read.defaultView',
      'QB_VALIDATE_INVALID_VIEW @ features.items.read.views.a.access.roles',
      'QB_VALIDATE_INVALID_VIEW @ features.items.read.views.a.query.defaultSort',
      'QB_VALIDATE_UNKNOWN_COLUMN @ features.items.read.views.a.fields[1]',
      'QB_VALIDATE_UNKNOWN_COLUMN @ features.items.read.views.a.query.sortable[0]',
    ]);
  });
});
