import { describe, expect, it } from 'vitest';
import type { FeatureModel } from '../model/ir.js';
import type { MigrationHistory } from '../load/types.js';
import { unwrappedCalls } from './lint.js';
import { planRlsMigration, rlsHashOf } from './migration.js';
import { accessPredicate, firewallPredicate } from './policies.js';

const feature = {
  name: 'tickets',
  source: 'quickback/features/tickets/tickets.ts',
  deleteMode: 'soft',
  audit: { deletedAt: 'deletedAt' },
  table: {
    columns: [
      { key: 'assigneeId', sqlName: 'assignee_id' },
      { key: 'priority', sqlName: 'priority' },
      { key: 'organizationId', sqlName: 'organization_id' },
      { key: 'deletedAt', sqlName: 'deleted_at' },
    ],
  },
  firewall: {
    predicates: [{ column: 'organizationId', equals: 'ctx.activeOrgId' }, { column: 'deletedAt', isNull: true }],
  },
} as unknown as FeatureModel;

describe('RLS predicates mirror the API rules', () => {
  it('roles, record conditions with $ctx, or/and, the platform admin; anonymous callers only through PUBLIC', () => {
    const rule = {
      or: [
        { roles: ['admin', 'owner'] },
        { roles: ['member'], record: { assigneeId: { op: 'equals' as const, value: '$ctx.userId' } } },
      ],
    };
    expect(accessPredicate(rule, feature, 'authenticated', true)).toBe(
      "((select quickback.is_platform_admin())) OR (((select quickback.has_any_role(ARRAY['admin', 'owner'])))"
        + ' OR (((select quickback.has_any_role(ARRAY[\'member\']))) AND ("assignee_id" = (select quickback.user_id()))))',
    );
    expect(accessPredicate(rule, feature, 'anon', true)).toBe('false');
    expect(accessPredicate({ roles: ['PUBLIC'] }, feature, 'anon', true)).toBe('true');
    expect(accessPredicate({}, feature, 'anon', true)).toBe('false');
    expect(accessPredicate({ roles: ['member'] }, feature, 'authenticated', false)).toBe(
      '(select quickback.is_platform_admin())',
    );
    expect(accessPredicate({ record: { priority: { op: 'in', value: ["it's", 2] } } }, feature, 'authenticated', true))
      .toContain("\"priority\" IN ('it''s', 2)");
  });

  it('the firewall scopes by the active organization and leaves soft delete to the API', () => {
    expect(firewallPredicate(feature, 'authenticated')).toBe(
      '"organization_id" = (select quickback.get_active_org_id())',
    );
  });

  it('refuses a $ctx value with no SQL equivalent, naming the file', () => {
    expect(() =>
      accessPredicate(
        { record: { priority: { op: 'equals', value: '$ctx.user.email' } } },
        feature,
        'authenticated',
        true,
      )
    ).toThrow(/no RLS equivalent/);
  });
});

describe('lint: InitPlan wrapping', () => {
  it('counts helper calls that are not the head of a sub-select', () => {
    expect(unwrappedCalls('(owner_id = ( SELECT quickback.user_id() AS user_id))')).toBe(0);
    expect(unwrappedCalls('(owner_id = auth.user_id())')).toBe(1);
    expect(
      unwrappedCalls(
        "(( SELECT quickback.has_any_role(ARRAY['admin'::text]) AS has_any_role) OR (org = quickback.get_active_org_id()))",
      ),
    ).toBe(1);
  });
});

describe('the RLS migration is content-addressed', () => {
  const history = (tags: string[]): MigrationHistory => ({
    dir: 'quickback/drizzle/features',
    journal: {
      version: '7',
      dialect: 'postgresql',
      entries: tags.map((tag, idx) => ({ idx, version: '7', when: 1_700_000_000_000 + idx, tag, breakpoints: true })),
    },
    lastSnapshot: { id: 'a', prevId: 'b', tables: {} },
  });

  it('appends once, then nothing for the same statements, and again when they change', () => {
    const first = planRlsMigration('quickback/drizzle/features', ['SELECT 1'], history(['0000_init']), []);
    const tag = first[0].path.replace(/^.*\//, '').replace(/\.sql$/, '');
    expect(tag).toMatch(/^0001_quickback_rls_[0-9a-f]{12}$/);
    expect(first.map((f) => f.path.replace('quickback/drizzle/features/', ''))).toEqual([
      `${tag}.sql`,
      'meta/0001_snapshot.json',
      'meta/_journal.json',
    ]);
    expect(planRlsMigration('quickback/drizzle/features', ['SELECT 1'], history(['0000_init', tag]), [])).toEqual([]);
    expect(
      planRlsMigration('quickback/drizzle/features', ['SELECT 1'], history(['0000_init', tag, '0002_alter_notes']), []),
    ).toEqual([]);
    const changed = planRlsMigration('quickback/drizzle/features', ['SELECT 2'], history(['0000_init', tag]), []);
    expect(rlsHashOf(changed[0].path.replace(/\.sql$/, ''))).not.toBe(rlsHashOf(tag));
  });
});
