import { describe, expect, it } from 'vitest';
import type { ResourceInput } from '../load/types.js';
import { deriveFirewall } from './firewall.js';
import { boundedIndexName, featureIndexes, MAX_INDEX_NAME } from './indexes.js';
import type { ColumnModel } from './ir.js';

const col = (key: string, sqlName: string, extra: Partial<ColumnModel> = {}): ColumnModel => ({
  key,
  sqlName,
  storage: 'text',
  notNull: false,
  unique: false,
  ...extra,
});
const AUDIT = [col('createdAt', 'created_at'), col('deletedAt', 'deleted_at')];

function indexes(
  config: ResourceInput['config'],
  columns: ColumnModel[],
  specs: ResourceInput['columns'] = {},
  sqlName = 'notes',
  defaultSort?: string,
) {
  const resource = {
    name: 'notes',
    file: 'x.ts',
    featureDir: 'notes',
    form: 'feature',
    columns: specs,
    config,
    internal: false,
  } as ResourceInput;
  const { firewall } = deriveFirewall(config, specs, 'deletedAt');
  return featureIndexes(
    resource,
    {
      name: 'notes',
      exportName: 'notes',
      sqlName,
      database: 'features',
      columns: [col('id', 'id', { primaryKey: true }), ...columns, ...AUDIT],
    },
    firewall,
    defaultSort,
  );
}

describe('feature indexes from the access model', () => {
  it('owner and team scopes lead their list index; several scopes share one; no scope keeps the order alone', () => {
    expect(indexes({ firewall: { owner: {} } }, [col('ownerId', 'owner_id')])).toEqual([
      {
        name: 'notes_owner_id_created_at_desc_id_idx',
        columns: ['ownerId', 'createdAt', 'id'],
        unique: false,
        descending: ['createdAt'],
        whereNull: ['deletedAt'],
      },
    ]);
    expect(
      indexes({ firewall: { organization: {}, team: {} } }, [
        col('organizationId', 'organization_id'),
        col('teamId', 'team_id'),
      ]).map((i) => [i.name, i.columns]),
    ).toEqual([
      ['notes_organization_id_team_id_created_at_desc_id_idx', ['organizationId', 'teamId', 'createdAt', 'id']],
      ['notes_team_id_idx', ['teamId']],
    ]);
    expect(indexes({ firewall: { exception: true, softDelete: false } }, [])).toEqual([
      { name: 'notes_created_at_desc_id_idx', columns: ['createdAt', 'id'], unique: false, descending: ['createdAt'] },
    ]);
  });

  it("adds the default view's sort, foreign keys not already leading an index, q.index() and unique sets", () => {
    const columns = [
      col('ownerId', 'owner_id'),
      col('projectId', 'project_id', { references: { table: 'projects', column: 'id' } }),
      col('rank', 'rank'),
      col('slug', 'slug'),
    ];
    const specs = {
      rank: { type: 'integer', index: true },
      slug: { type: 'text' },
    } as unknown as ResourceInput['columns'];
    expect(
      indexes(
        { firewall: { owner: {} }, unique: [{ columns: ['ownerId', 'slug'] }] },
        columns,
        specs,
        'notes',
        '-rank,slug',
      ).map((i) => i.name),
    ).toEqual([
      'notes_owner_id_created_at_desc_id_idx',
      'notes_owner_id_rank_desc_slug_id_idx',
      'notes_owner_id_slug_unique',
      'notes_project_id_idx',
      'notes_rank_idx',
    ]);
  });

  it("keeps names within PostgreSQL's 63 characters, deterministic and distinct", () => {
    const table = 'customer_support_escalation_workflow_assignments';
    const long = indexes({ firewall: { organization: {} } }, [col('organizationId', 'organization_id')], {}, table);
    expect(long[0].name.length).toBeLessThanOrEqual(MAX_INDEX_NAME);
    expect(long[0].name).toMatch(/^customer_support_escalation_workflow_assignments_organ_[0-9a-f]{8}$/);
    expect(boundedIndexName(`${table}_organization_id_created_at_desc_id_idx`)).toBe(long[0].name);
    expect(boundedIndexName(`${table}_organization_id_created_at_id_idx`)).not.toBe(long[0].name);
    expect(boundedIndexName('notes_owner_id_idx')).toBe('notes_owner_id_idx');
  });
});
