import { describe, expect, it } from 'vitest';
import { q } from '../../../dsl/columns/q.js';
import type { ResourceSpec } from '../../../dsl/feature.js';
import { fileOf, project, resource, summary } from '../test-project.js';
import { resourceSchemaRule } from './resource-schema-rule.js';

const check = (spec: unknown) =>
  resourceSchemaRule(
    project({
      resources: [
        resource(
          'tickets',
          { id: q.id(), title: q.text(), organizationId: q.scope('organization') },
          spec as ResourceSpec,
        ),
      ],
    }),
  );

describe('resource schema rule', () => {
  it('accepts every documented key', () => {
    expect(check({
      unique: [{ columns: ['title'] }],
      firewall: { organization: {}, softDelete: { column: 'deletedAt' }, errorMode: 'hide' },
      firewallErrorMode: 'reveal',
      guards: false,
      masking: { title: { type: 'redact', show: { roles: ['admin'], or: 'owner' }, query: { roles: ['admin'] } } },
      read: {
        access: { roles: ['member'] },
        views: {
          board: {
            fields: ['title'],
            access: { roles: ['member'] },
            query: { filterable: ['title'], sortable: ['title'], searchable: ['title'], defaultSort: '-title' },
          },
        },
        defaultView: 'board',
      },
      crud: { create: { access: { userRole: ['admin'] } }, update: {}, delete: { mode: 'hard' }, put: true },
      references: { a: 'b' },
      realtime: true,
      embeddings: {},
      displayColumn: 'title',
      defaultSort: { field: 'title', order: 'asc' },
      inputHints: { title: 'textarea' },
      layouts: [],
      validation: {},
      internal: false,
    })).toEqual([]);
    expect(
      check({
        firewall: [{ field: 'organizationId', equals: 'ctx.activeOrgId' }, { field: 'deletedAt', isNull: true }],
      }),
    ).toEqual([]);
    expect(check({ read: { access: () => true } })).toEqual([]);
  });

  it('reports an unknown key with the nearest key, at the resource path and file', () => {
    const [d] = check({ firewal: { exception: true } });
    expect(d).toMatchObject({
      code: 'QB_VALIDATE_UNKNOWN_OPTION',
      at: 'features.tickets.firewal',
      file: fileOf('tickets'),
      hint: 'Did you mean "firewall"?',
    });
    expect(check({ read: { acess: {} } })[0]).toMatchObject({
      at: 'features.tickets.read.acess',
      hint: 'Did you mean "access"?',
    });
  });

  it('checks access rules recursively', () => {
    const diagnostics = check({
      crud: { update: { access: { or: [{ roles: ['admin'] }, { and: [{ role: ['member'] }] }] } } },
    });
    expect(summary(diagnostics)).toEqual([
      'QB_VALIDATE_UNKNOWN_OPTION @ features.tickets.crud.update.access.or[1].and[0].role',
    ]);
    expect(diagnostics[0].hint).toBe('Did you mean "roles"?');
    expect(summary(check({ read: { access: { roles: 'admin' } } }))).toEqual([
      'QB_VALIDATE_INVALID_OPTION @ features.tickets.read.access.roles',
    ]);
    expect(check({ read: { access: 'admin' } })[0].message).toBe(
      '`features.tickets.read.access` must be an object or a function, got "admin"',
    );
  });

  it('needs exactly one operator per record condition', () => {
    const record = { title: { equals: 'a', in: ['a'] }, organizationId: {}, id: { eq: 'x' }, assigneeId: { in: 'x' } };
    expect(check({ read: { access: { record } } }).map((d) => [d.code, d.at, d.hint])).toEqual([
      [
        'QB_VALIDATE_INVALID_ACCESS',
        'features.tickets.read.access.record.title',
        'Example: record: { ownerId: { equals: "$ctx.userId" } }',
      ],
      [
        'QB_VALIDATE_INVALID_ACCESS',
        'features.tickets.read.access.record.organizationId',
        'Example: record: { ownerId: { equals: "$ctx.userId" } }',
      ],
      ['QB_VALIDATE_UNKNOWN_OPTION', 'features.tickets.read.access.record.id.eq', 'Did you mean "equals"?'],
      ['QB_VALIDATE_INVALID_OPTION', 'features.tickets.read.access.record.assigneeId.in', undefined],
    ]);
  });

  it('checks delete modes, error modes and firewall forms', () => {
    expect(check({ delete: { mode: 'archive' } })[0]).toMatchObject({
      code: 'QB_VALIDATE_INVALID_OPTION',
      at: 'features.tickets.delete.mode',
    });
    expect(check({ firewallErrorMode: 'silent' })[0].message).toContain('"reveal", "hide"');
    expect(summary(check({ firewall: [{ field: 'organizationId', equals: 'ctx.activeOrgId', isNull: true }] })))
      .toEqual(['QB_VALIDATE_INVALID_FIREWALL @ features.tickets.firewall[0]']);
    expect(summary(check({ firewall: [{ field: 'deletedAt', isNull: false }] }))).toEqual([
      'QB_VALIDATE_INVALID_OPTION @ features.tickets.firewall[0].isNull',
    ]);
    expect(summary(check({ firewall: { organisation: {} } }))).toEqual([
      'QB_VALIDATE_UNKNOWN_OPTION @ features.tickets.firewall.organisation',
    ]);
    expect(summary(check({ firewall: 'organization' }))).toEqual([
      'QB_VALIDATE_INVALID_OPTION @ features.tickets.firewall',
    ]);
  });

  it('checks unique and internal', () => {
    expect(summary(check({ unique: [{ columns: [] }], internal: 'yes' }))).toEqual([
      'QB_VALIDATE_INVALID_OPTION @ features.tickets.unique[0].columns',
      'QB_VALIDATE_INVALID_OPTION @ features.tickets.internal',
    ]);
    expect(summary(check({ unique: [{ column: ['title'] }] }))).toEqual([
      'QB_VALIDATE_MISSING_OPTION @ features.tickets.unique[0].columns',
      'QB_VALIDATE_UNKNOWN_OPTION @ features.tickets.unique[0].column',
    ]);
  });
});
