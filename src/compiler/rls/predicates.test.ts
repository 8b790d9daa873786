/**
 * The RLS predicates against the API's own rules, on PostgreSQL: every access rule below is
 * printed as SQL (accessPredicate), evaluated over a table of rows as the API's role with the
 * caller's claims, and the rows it admits must be exactly the rows runtime evaluateAccess admits
 * for the same caller (the differential oracle of test/rls, per operator and value kind).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { evaluateAccess, type AccessRule } from '../../runtime/policy/access.js';
import { anonymousContext, type AppContext } from '../../runtime/core/context.js';
import type { AccessModel, FeatureModel } from '../model/ir.js';
import { helperStatements } from './helpers.js';
import { layerDatabase, ORG_A, type Claims, type LayerDatabase } from '../../../test/helpers/rls-layer.js';
import { accessPredicate, firewallPredicate, ruleColumns } from './policies.js';

let t: LayerDatabase;
const ROWS = [
  { id: 'r1', owner: 'u_member', label: 'open', n: 1, flag: true, org: ORG_A },
  { id: 'r2', owner: 'u_owner', label: "it's", n: 5, flag: false, org: 'org_b' },
  { id: 'r3', owner: null, label: null, n: null, flag: null, org: null },
  { id: 'r4', owner: 'u_member', label: 'admin', n: 10, flag: true, org: ORG_A },
];
beforeAll(async () => {
  t = await layerDatabase('rls_predicates');
  await t.client.query(
    'CREATE TABLE public.rule_rows (id text, owner_id text, label text, n bigint, flag boolean, org_id text); GRANT SELECT ON public.rule_rows TO authenticated, anon',
  );
  for (const r of ROWS)
    await t.client.query('INSERT INTO public.rule_rows VALUES ($1, $2, $3, $4, $5, $6)', [
      r.id,
      r.owner,
      r.label,
      r.n,
      r.flag,
      r.org,
    ]);
}, 120_000);
afterAll(async () => t?.close());
// The helper functions the predicates call, applied per test (see test/helpers/rls-layer.ts).
beforeEach(async () => t.apply(helperStatements(t.model)));

const feature = {
  name: 'ruleRows',
  source: 'quickback/features/rule-rows.ts',
  deleteMode: 'hard',
  audit: {},
  table: {
    columns: [['owner', 'owner_id'], ['label', 'label'], ['n', 'n'], ['flag', 'flag'], ['org', 'org_id']].map((
      [key, sqlName],
    ) => ({ key, sqlName })),
  },
  firewall: { predicates: [] },
} as unknown as FeatureModel;

interface Caller {
  name: string;
  ctx: AppContext;
  claims: Claims;
  role: 'authenticated' | 'anon';
}
const signedIn = (name: string, sub: string, roles: string[], userRole: string | null): Caller => ({
  name,
  role: 'authenticated',
  claims: { sub, org_id: ORG_A },
  ctx: { ...anonymousContext, authenticated: true, userId: sub, activeOrgId: ORG_A, roles, userRole },
});
const CALLERS: Caller[] = [
  signedIn('member', 'u_member', ['member', 'billing'], null),
  signedIn('owner', 'u_owner', ['owner'], 'user'),
  signedIn('platform admin', 'u_admin', [], 'admin'),
  { name: 'anonymous', role: 'anon', claims: null, ctx: anonymousContext },
];

const rec = (field: string, op: string, value: unknown): AccessModel =>
  ({ record: { [field]: { op, value } } }) as unknown as AccessModel;
const RULES: [string, AccessModel][] = [
  ['PUBLIC', { roles: ['PUBLIC'] }],
  ['signed in ({})', {}],
  ['roles', { roles: ['owner', 'billing'] }],
  ['userRole', { userRole: ['user'] }],
  ['equals $ctx.userId', rec('owner', 'equals', '$ctx.userId')],
  ['equals $ctx.activeOrgId', rec('org', 'equals', '$ctx.activeOrgId')],
  ['equals $ctx.userRole', rec('label', 'equals', '$ctx.userRole')],
  ['equals $ctx.activeTeamId', rec('label', 'equals', '$ctx.activeTeamId')],
  ['equals a quoted literal', rec('label', 'equals', "it's")],
  ['equals true', rec('flag', 'equals', true)],
  ['equals false', rec('flag', 'equals', false)],
  ['equals null', rec('label', 'equals', null)],
  ['notEquals', rec('label', 'notEquals', 'open')],
  ['notEquals null', rec('label', 'notEquals', null)],
  ['in', rec('label', 'in', ['open', "it's"])],
  ['in []', rec('label', 'in', [])],
  ['in (not a list)', rec('label', 'in', 'open')],
  ['in with null', rec('label', 'in', ['open', null])],
  ['notIn with null', rec('label', 'notIn', ['open', null])],
  ['notIn', rec('label', 'notIn', ['open'])],
  ['notIn []', rec('label', 'notIn', [])],
  ['notIn (not a list)', rec('label', 'notIn', 'open')],
  ['lessThan', rec('n', 'lessThan', 5)],
  ['greaterThan', rec('n', 'greaterThan', 5)],
  ['lessThanOrEqual', rec('n', 'lessThanOrEqual', 5)],
  ['greaterThanOrEqual', rec('n', 'greaterThanOrEqual', 5)],
  ['unknown field', rec('nope', 'equals', 'x')],
  ['PUBLIC with a $ctx record', { roles: ['PUBLIC'], ...rec('owner', 'equals', '$ctx.userId') }],
  ['or', { or: [{ roles: ['owner'] }, { roles: ['member'], ...rec('owner', 'equals', '$ctx.userId') }] }],
  ['and', { and: [{ roles: ['member'] }, rec('n', 'greaterThan', 1)] }],
  ['or of nothing', { or: [rec('nope', 'equals', 1), { roles: ['nobody'] }] }],
  ['and with PUBLIC', { and: [{ roles: ['PUBLIC'] }, rec('flag', 'equals', true)] }],
];

describe('accessPredicate admits exactly the rows evaluateAccess admits', () => {
  it.each(RULES)('%s', async (_, rule) => {
    for (const caller of CALLERS) {
      const predicate = accessPredicate(rule, feature, caller.role, true);
      const sqlRows = await t.as(
        caller.role,
        caller.claims,
        async () =>
          (await t.client.query(`SELECT id FROM public.rule_rows WHERE ${predicate} ORDER BY id`)).rows.map((r) =>
            r.id
          ),
      );
      const apiRows = ROWS.filter((row) => evaluateAccess(rule as AccessRule, caller.ctx, row)).map((r) => r.id);
      expect({ caller: caller.name, predicate, rows: sqlRows }).toEqual({
        caller: caller.name,
        predicate,
        rows: apiRows,
      });
    }
  });
});

describe('firewall predicates and indexed columns', () => {
  const scoped = (predicates: unknown[], deleteMode = 'soft') =>
    ({
      ...feature,
      deleteMode,
      audit: { deletedAt: 'deletedAt' },
      table: {
        columns: [
          ...feature.table.columns,
          { key: 'deletedAt', sqlName: 'deleted_at' },
          { key: 'team', sqlName: 'team_id' },
        ],
      },
      firewall: { predicates },
    }) as unknown as FeatureModel;

  it('owner and team scopes read the caller; anonymous callers only pass organization scopes', () => {
    const owner = scoped([{ column: 'owner', equals: 'ctx.userId' }, { column: 'team', equals: 'ctx.activeTeamId' }]);
    expect(firewallPredicate(owner, 'authenticated')).toBe(
      '("owner_id" = (select quickback.user_id())) AND ("team_id" = (select quickback.active_team_id()))',
    );
    expect(firewallPredicate(owner, 'anon')).toBe('false');
    expect(firewallPredicate(scoped([{ column: 'org', equals: 'ctx.activeOrgId' }]), 'anon')).toBe(
      '"org_id" = (select quickback.get_active_org_id())',
    );
  });

  it('the soft-delete column is left to the API; other isNull scopes stay, and hard delete keeps them all', () => {
    expect(firewallPredicate(scoped([{ column: 'deletedAt', isNull: true }]), 'authenticated')).toBe('true');
    expect(firewallPredicate(scoped([{ column: 'team', isNull: true }]), 'authenticated')).toBe('"team_id" IS NULL');
    expect(firewallPredicate(scoped([{ column: 'deletedAt', isNull: true }], 'hard'), 'authenticated')).toBe(
      '"deleted_at" IS NULL',
    );
  });

  it('ruleColumns: every column a record condition reads, through or/and, unknown keys skipped', () => {
    const rule = {
      ...rec('owner', 'equals', 1),
      or: [rec('label', 'in', ['a']), rec('nope', 'equals', 1)],
      and: [rec('n', 'lessThan', 2)],
    } as AccessModel;
    expect(ruleColumns(rule, feature)).toEqual(['owner_id', 'label', 'n']);
    expect(ruleColumns({ roles: ['member'] }, feature)).toEqual([]);
  });
});
