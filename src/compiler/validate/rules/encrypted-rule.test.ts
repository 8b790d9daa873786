import { describe, expect, it } from 'vitest';
import { q } from '../../../dsl/columns/q.js';
import type { ColumnBuilder } from '../../../dsl/columns/builder.js';
import type { ResourceSpec } from '../../../dsl/feature.js';
import { defineDatabase } from '../../../dsl/providers.js';
import { config, project, resource, summary } from '../test-project.js';
import { encryptedRule } from './encrypted-rule.js';

const guests = (columns: Record<string, ColumnBuilder>, spec: ResourceSpec = {}, scoped = true) =>
  encryptedRule(
    project({
      resources: [
        resource('guests', {
          id: q.id(),
          ...(scoped ? { organizationId: q.scope('organization') } : {}),
          name: q.text(),
          ...columns,
        }, spec),
      ],
    }),
  );

describe('encrypted columns (seed 003 rules)', () => {
  it('accepts text-shaped encrypted columns on an organization-scoped table, shown in view fields', () => {
    expect(
      guests(
        { notes: q.text().encrypted(), contact: q.email().encrypted(), site: q.url().optional().encrypted() },
        {
          read: { views: { summary: { fields: ['name', 'notes'], query: { searchable: ['name'] } } } },
        } as ResourceSpec,
      ),
    ).toEqual([]);
  });

  it('one error per rule, each at the column', () => {
    const cases: [string, ColumnBuilder][] = [
      ['filterable', q.text().filterable().encrypted()],
      ['searchable', q.text().searchable().encrypted()],
      ['unique', q.text().unique().encrypted()],
      ['references', q.text().references('hosts').encrypted()],
      ['default', q.text().default('x').encrypted()],
      ['number', q.integer().encrypted()],
      ['json', q.json().encrypted()],
    ];
    for (const [label, column] of cases) {
      const found = guests({ secret: column });
      expect(summary(found), label).toEqual(['QB_VALIDATE_ENCRYPTED_COLUMN @ features.guests.columns.secret']);
      expect(found[0].hint, label).toBeTruthy();
    }
    expect(
      summary(
        encryptedRule(
          project({
            resources: [resource('keys', { id: q.id().encrypted(), organizationId: q.scope('organization') })],
          }),
        ),
      ),
    ).toEqual(['QB_VALIDATE_ENCRYPTED_COLUMN @ features.keys.columns.id']);
    expect(guests({ team: q.scope('team').encrypted() }).map((d) => d.message)).toEqual([
      'Encrypted column "team" cannot be a q.scope() column',
    ]);
  });

  it('needs ids known before the insert (not generateId: "serial")', () => {
    const serial = config({
      providers: { ...config().providers, database: defineDatabase('better-sqlite3', { generateId: 'serial' }) },
    });
    const found = encryptedRule(
      project({
        config: serial,
        resources: [
          resource('guests', { id: q.id(), organizationId: q.scope('organization'), notes: q.text().encrypted() }),
        ],
      }),
    );
    expect(found.map((d) => d.message)).toEqual([
      '"guests" has encrypted columns but its ids come from the database (generateId: "serial")',
    ]);
  });

  it('needs an organization scope, keeps encrypted columns out of view queries and embeddings', () => {
    expect(guests({ notes: q.text().encrypted() }, {}, false).map((d) => d.message)).toEqual([
      '"guests" has encrypted columns (notes) but no q.scope("organization") column',
    ]);
    const spec = {
      read: { views: { v: { fields: ['notes'], query: { filterable: ['notes'], sortable: ['name', 'notes'] } } } },
      embeddings: { fields: ['notes'] },
    } as unknown as ResourceSpec;
    expect(summary(guests({ notes: q.text().encrypted() }, spec))).toEqual([
      'QB_VALIDATE_ENCRYPTED_COLUMN @ features.guests.read.views.v.query.filterable[0]',
      'QB_VALIDATE_ENCRYPTED_COLUMN @ features.guests.read.views.v.query.sortable[1]',
      'QB_VALIDATE_ENCRYPTED_COLUMN @ features.guests.embeddings.fields[0]',
    ]);
  });

  it('keeps encrypted columns out of access record conditions and action transitions (they compare stored values)', () => {
    const spec = {
      read: { access: { or: [{ roles: ['admin'] }, { record: { notes: { equals: '$ctx.userId' } } }] } },
      crud: { update: { access: { record: { notes: { equals: 'x' } } } } },
    } as unknown as ResourceSpec;
    expect(summary(guests({ notes: q.text().encrypted() }, spec))).toEqual([
      'QB_VALIDATE_ENCRYPTED_COLUMN @ features.guests.read.access.or[1].record.notes',
      'QB_VALIDATE_ENCRYPTED_COLUMN @ features.guests.crud.update.access.record.notes',
    ]);
    const actions = [{
      file: 'quickback/features/guests/actions.ts',
      featureDir: 'quickback/features/guests',
      table: 'guests',
      actions: {
        close: { transition: { field: 'notes', fromTo: { a: ['b'] }, to: 'b' } },
        open: { transition: { field: 'name', fromTo: { a: ['b'] }, to: 'b' } },
      },
    }];
    const found = encryptedRule(
      project({
        resources: [
          resource('guests', {
            id: q.id(),
            organizationId: q.scope('organization'),
            name: q.text(),
            notes: q.text().encrypted(),
          }),
        ],
        actions: actions as never,
      }),
    );
    expect(found.map((d) => [d.code, d.file, d.at])).toEqual([[
      'QB_VALIDATE_ENCRYPTED_COLUMN',
      'quickback/features/guests/actions.ts',
      'features.guests.actions.close.transition.field',
    ]]);
  });
});
