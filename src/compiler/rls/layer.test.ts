/**
 * The RLS printer run on PostgreSQL (test/helpers/rls-layer.ts builds the database; the script is applied
 * again before every test): the helper functions and the policies exercised as the API's roles
 * with the claims the runtime sets. Fast enough for mutation testing: one database, no app.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { rlsStatements, tablePolicies } from './layer.js';
import { layerDatabase, ORG_A, ORG_B, type Claims, type LayerDatabase } from '../../../test/helpers/rls-layer.js';

let t: LayerDatabase;
beforeAll(async () => {
  t = await layerDatabase('rls_layer');
}, 120_000);
afterAll(async () => t?.close());
// Before every test, on the previous one's result: the script must be idempotent (see test/helpers/rls-layer.ts).
beforeEach(async () => t.apply(rlsStatements(t.model)));

const as = <T>(role: string, claims: Claims, fn: () => Promise<T>) => t.as(role, claims, fn);
const value = async (sql: string) => (await t.client.query(sql)).rows[0].v;
const helper = (role: string, claims: Claims, sql: string) => as(role, claims, () => value(`select ${sql} as v`));
const ids = (role: string, claims: Claims, table: string) =>
  as(
    role,
    claims,
    async () => (await t.client.query(`select id from public."${table}" order by id`)).rows.map((r) => r.id),
  );

describe('helper functions: identity, organization and roles from the claims the API sets', () => {
  it('user_id: the sub claim; nothing without claims or with an empty sub', async () => {
    expect(await helper('authenticated', { sub: 'u_owner' }, 'quickback.user_id()')).toBe('u_owner');
    expect(await helper('authenticated', null, 'quickback.user_id()')).toBeNull();
    expect(await helper('authenticated', { sub: '' }, 'quickback.user_id()')).toBeNull();
    expect(await helper('anon', { sub: 'u_owner' }, "quickback.claims() ->> 'sub'")).toBe('u_owner');
  });

  it('get_active_org_id: the claimed organization only for its members', async () => {
    expect(await helper('authenticated', { sub: 'u_owner', org_id: ORG_A }, 'quickback.get_active_org_id()')).toBe(
      ORG_A,
    );
    expect(await helper('authenticated', { sub: 'u_owner', org_id: ORG_B }, 'quickback.get_active_org_id()'))
      .toBeNull();
    expect(await helper('authenticated', { sub: 'u_owner', org_id: null }, 'quickback.get_active_org_id()')).toBeNull();
    expect(await helper('authenticated', { sub: 'u_owner', org_id: ORG_A }, 'quickback.is_org_member()')).toBe(true);
    expect(await helper('authenticated', { sub: 'u_owner', org_id: ORG_B }, 'quickback.is_org_member()')).toBe(false);
  });

  it('without an org claim (a direct SQL client): the user_sessions row, again only while a member', async () => {
    expect(await helper('authenticated', { sub: 'u_member' }, 'quickback.get_active_org_id()')).toBe(ORG_A);
    expect(await helper('authenticated', { sub: 'u_member' }, "quickback.has_any_role(array['member'])")).toBe(true);
    expect(await helper('authenticated', { sub: 'u_b' }, 'quickback.get_active_org_id()')).toBeNull();
    expect(await helper('authenticated', { sub: 'u_owner' }, 'quickback.get_active_org_id()')).toBeNull();
  });

  it('has_any_role / has_org_role: a role held in the active organization (comma-separated roles split)', async () => {
    const owner = { sub: 'u_owner', org_id: ORG_A };
    expect(await helper('authenticated', owner, "quickback.has_any_role(array['admin', 'owner'])")).toBe(true);
    expect(await helper('authenticated', owner, "quickback.has_any_role(array['member'])")).toBe(false);
    expect(await helper('authenticated', { sub: 'u_member', org_id: ORG_A }, "quickback.has_org_role('billing')")).toBe(
      true,
    );
    expect(await helper('authenticated', { sub: 'u_b', org_id: ORG_A }, "quickback.has_any_role(array['owner'])")).toBe(
      false,
    );
    expect(await helper('authenticated', { org_id: ORG_A }, "quickback.has_any_role(array['owner'])")).toBe(false);
  });

  it('the platform admin: user_role, is_platform_admin, and any claimed organization', async () => {
    expect(await helper('authenticated', { sub: 'u_admin' }, 'quickback.user_role()')).toBe('admin');
    expect(await helper('authenticated', { sub: 'u_admin' }, 'quickback.is_platform_admin()')).toBe(true);
    expect(await helper('authenticated', { sub: 'u_owner' }, 'quickback.is_platform_admin()')).toBe(false);
    expect(await helper('authenticated', { sub: 'u_member' }, 'quickback.is_platform_admin()')).toBe(false);
    expect(await helper('authenticated', { sub: 'u_admin', org_id: ORG_B }, 'quickback.get_active_org_id()')).toBe(
      ORG_B,
    );
    expect(await helper('anon', { org_id: ORG_B }, 'quickback.get_active_org_id()')).toBe(ORG_B);
  });

  it('is_owner and active_team_id (no teams in this app: never a team)', async () => {
    expect(await helper('authenticated', { sub: 'u_owner' }, "quickback.is_owner('u_owner')")).toBe(true);
    expect(await helper('authenticated', { sub: 'u_owner' }, "quickback.is_owner('u_b')")).toBe(false);
    expect(await helper('authenticated', { sub: 'u_owner' }, 'quickback.is_owner(null)')).toBe(false);
    expect(
      await helper('authenticated', { sub: 'u_owner', org_id: ORG_A, team_id: 'team_1' }, 'quickback.active_team_id()'),
    ).toBeNull();
  });

  it('run as definer with an empty search_path; EXECUTE for the API roles only', async () => {
    const fns = (await t.client.query(
      "select p.proname, p.prosecdef, p.proconfig, has_function_privilege('public', p.oid, 'EXECUTE') as pub from pg_proc p join pg_namespace n on n.oid = p.pronamespace where n.nspname = 'quickback' order by 1",
    )).rows;
    expect(fns.map((f) => f.proname)).toEqual([
      'active_team_id',
      'claims',
      'get_active_org_id',
      'has_any_role',
      'has_org_role',
      'is_org_member',
      'is_owner',
      'is_platform_admin',
      'user_id',
      'user_role',
    ]);
    expect(fns.filter((f) => f.prosecdef).map((f) => f.proname)).toEqual([
      'active_team_id',
      'get_active_org_id',
      'has_any_role',
      'is_platform_admin',
      'user_role',
    ]);
    for (const f of fns) expect([f.proname, f.proconfig, f.pub]).toEqual([f.proname, ['search_path=""'], false]);
  });
});

describe('policies: what each role reaches', () => {
  const memberA = { sub: 'u_member', org_id: ORG_A };
  const ownerA = { sub: 'u_owner', org_id: ORG_A };

  it('every table has row level security enabled and forced', async () => {
    const tables = (await t.client.query(
      "select relname, relrowsecurity, relforcerowsecurity from pg_class where relnamespace = 'public'::regnamespace and relkind = 'r' order by 1",
    )).rows;
    expect(tables.length).toBe(tablePolicies(t.model).length);
    for (const t of tables) expect(t).toEqual({ relname: t.relname, relrowsecurity: true, relforcerowsecurity: true });
  });

  it("select: the active organization's rows, the owner's notes, nothing for anon; service_role sees all", async () => {
    expect(await ids('authenticated', memberA, 'tickets')).toEqual(['t_a1', 't_a2']);
    expect(await ids('authenticated', { sub: 'u_b', org_id: ORG_B }, 'tickets')).toEqual(['t_b1']);
    expect(await ids('authenticated', { sub: 'u_owner', org_id: ORG_B }, 'tickets')).toEqual([]);
    expect(await ids('authenticated', { sub: 'u_owner' }, 'notes')).toEqual(['n_owner']);
    expect(await ids('anon', { org_id: ORG_A }, 'tickets')).toEqual({ code: '42501' });
    expect(await ids('service_role', null, 'tickets')).toEqual(['t_a1', 't_a2', 't_b1']);
    expect(await ids('authenticated', { sub: 'u_owner' }, 'user')).toEqual(['u_owner']);
    expect(await ids('authenticated', { sub: 'u_owner' }, 'member')).toEqual(['m1']);
  });

  it('insert: only into the active organization, by a role create allows', async () => {
    const add = (claims: Record<string, unknown>, org: string) =>
      as(
        'authenticated',
        claims,
        async () =>
          (await t.client.query(
            `INSERT INTO public.tickets (id, organization_id, title, priority) VALUES ('t_new', $1, 'x', 'low')`,
            [org],
          )).rowCount,
      );
    expect(await add(memberA, ORG_A)).toBe(1);
    expect(await add(memberA, ORG_B)).toEqual({ code: '42501' });
  });

  it('update: by the rule (admins, or the assigned member), and never out of the organization', async () => {
    const set = (claims: Record<string, unknown>, sql: string, params: unknown[] = []) =>
      as(
        'authenticated',
        claims,
        async () => (await t.client.query(`UPDATE public.tickets SET ${sql}`, params)).rowCount,
      );
    expect(await set(memberA, "title = 'm' WHERE id = 't_a1'")).toBe(1);
    expect(await set(memberA, "title = 'm' WHERE id = 't_a2'")).toBe(0);
    expect(await set(ownerA, "title = 'o'")).toBe(2);
    expect(await set(ownerA, 'organization_id = $1', [ORG_B])).toEqual({ code: '42501' });
    expect(await set(memberA, 'organization_id = $1', [ORG_B])).toEqual({ code: '42501' });
  });

  it("hard delete: only the delete rule's roles, only in the active organization; no soft delete through UPDATE for others", async () => {
    const remove = (claims: Record<string, unknown>) =>
      as('authenticated', claims, async () => (await t.client.query('DELETE FROM public.logs')).rowCount);
    expect(await remove(ownerA)).toBe(2);
    expect(await remove(memberA)).toBe(0);
    expect(await remove({ sub: 'u_b', org_id: ORG_B })).toBe(1);
    expect(await as('anon', { org_id: ORG_A }, async () => (await t.client.query('DELETE FROM public.logs')).rowCount))
      .toEqual({ code: '42501' });
    const edit = (claims: Record<string, unknown>) =>
      as('authenticated', claims, async () => (await t.client.query("UPDATE public.logs SET message = 'x'")).rowCount);
    expect(await edit(memberA)).toBe(2);
  });

  it('delete: soft-delete tables get no DELETE grant; the soft delete is an UPDATE the owner may make', async () => {
    const remove = (claims: Record<string, unknown>, table: string) =>
      as('authenticated', claims, async () => (await t.client.query(`DELETE FROM public."${table}"`)).rowCount);
    expect(await remove(ownerA, 'tickets')).toEqual({ code: '42501' });
    expect(await remove({ sub: 'u_owner' }, 'notes')).toEqual({ code: '42501' });
    const softDelete = (claims: Record<string, unknown>) =>
      as(
        'authenticated',
        claims,
        async () => (await t.client.query("UPDATE public.notes SET deleted_at = 'now'")).rowCount,
      );
    expect(await softDelete({ sub: 'u_owner' })).toBe(1);
    expect(await softDelete({ sub: 'u_admin' })).toBe(0);
  });
});
