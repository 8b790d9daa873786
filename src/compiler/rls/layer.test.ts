/**
 * The RLS printer run on PostgreSQL: the helpdesk example compiled for neon, its tables created
 * from the model, the whole RLS script applied (twice: it is idempotent), then the helper
 * functions and the policies exercised as the API's roles with the claims the runtime sets
 * (runtime rls.ts: `role` and `request.jwt.claims`, transaction-local). Fast enough for mutation
 * testing: one database, no app (vitest.stryker.config.ts analyzes the fixture once per run).
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/helpers/postgres.js';
import type { AppModel, ColumnModel, TableModel } from '../model/ir.js';
import { rlsStatements, tablePolicies } from './layer.js';

const SQL_TYPE: Record<ColumnModel['storage'], string> = { text: 'text', integer: 'bigint', real: 'double precision', boolean: 'boolean', json: 'jsonb', timestamp_ms: 'timestamptz' };
const ORG_A = 'org_a';
const ORG_B = 'org_b';

let model: AppModel;
let db: TestDatabase;
let client: pg.Client;

const table = (name: string): TableModel => tablePolicies(model).find((p) => p.table.name === name)!.table;
const insert = async (name: string, row: Record<string, unknown>) => {
  const t = table(name);
  const entries = Object.entries(row).map(([key, value]) => [t.columns.find((c) => c.key === key)!.sqlName, value] as const);
  await client.query(`INSERT INTO public."${t.sqlName}" (${entries.map(([c]) => `"${c}"`).join(', ')}) VALUES (${entries.map((_, i) => `$${i + 1}`).join(', ')})`, entries.map(([, v]) => v));
};

beforeAll(async () => {
  // Imported only when needed: the compiler's front end takes seconds to load.
  model = inject('rlsLayerModel') ?? (await (await import('../../../test/setup/rls-model.js')).rlsLayerModel());
  db = await createTestDatabase('rls_layer');
  client = new pg.Client({ connectionString: db.url });
  await client.connect();
  await client.query(tablePolicies(model).map(({ table: t }) => `CREATE TABLE public."${t.sqlName}" (${t.columns.map((c) => `"${c.sqlName}" ${SQL_TYPE[c.storage]}`).join(', ')})`).join(';\n'));
  // Twice, as one script each time (as the migration runs it): the second run must succeed on the first's result.
  for (let round = 0; round < 2; round++) await client.query(rlsStatements(model).join(';\n'));
  const user = (id: string, role: string | null) => insert('user', { id, name: id, email: `${id}@example.com`, role });
  await user('u_owner', 'user');
  await user('u_member', null);
  await user('u_admin', 'admin');
  await user('u_b', 'user');
  const member = (id: string, organizationId: string, userId: string, role: string) => insert('member', { id, organizationId, userId, role });
  await member('m1', ORG_A, 'u_owner', 'owner');
  await member('m2', ORG_A, 'u_member', 'member, billing');
  await member('m3', ORG_B, 'u_b', 'owner');
  await client.query(`INSERT INTO public."${model.rlsSupport!.table.sqlName}" (user_id, active_organization_id) VALUES ('u_member', $1), ('u_b', $1)`, [ORG_A]);
  const ticket = (id: string, organizationId: string, assigneeId: string | null) => insert('tickets', { id, organizationId, assigneeId, title: id, priority: 'normal' });
  await ticket('t_a1', ORG_A, 'u_member');
  await ticket('t_a2', ORG_A, null);
  await ticket('t_b1', ORG_B, null);
  await insert('notes', { id: 'n_owner', ownerId: 'u_owner', body: 'mine' });
  await insert('notes', { id: 'n_b', ownerId: 'u_b', body: 'theirs' });
}, 120_000);
afterAll(async () => {
  await client?.end();
  await db?.drop();
});

/** Runs `fn` as the role with these claims (as the runtime sets them), always rolled back; errors come back as values. */
async function as<T>(role: string, claims: Record<string, unknown> | null, fn: () => Promise<T>): Promise<T | { code: string }> {
  await client.query('BEGIN');
  try {
    await client.query("select set_config('role', $1, true), set_config('request.jwt.claims', $2, true)", [role, claims ? JSON.stringify(claims) : '']);
    return await fn();
  } catch (err) {
    return { code: (err as { code?: string }).code ?? String(err) };
  } finally {
    await client.query('ROLLBACK');
  }
}
const value = async (sql: string, params: unknown[] = []) => (await client.query(sql, params)).rows[0].v;
const helper = (role: string, claims: Record<string, unknown> | null, sql: string) => as(role, claims, () => value(`select ${sql} as v`));
const ids = (role: string, claims: Record<string, unknown> | null, t: string) => as(role, claims, async () => (await client.query(`select id from public."${t}" order by id`)).rows.map((r) => r.id));

describe('helper functions: identity, organization and roles from the claims the API sets', () => {
  it('user_id: the sub claim; nothing without claims or with an empty sub', async () => {
    expect(await helper('authenticated', { sub: 'u_owner' }, 'quickback.user_id()')).toBe('u_owner');
    expect(await helper('authenticated', null, 'quickback.user_id()')).toBeNull();
    expect(await helper('authenticated', { sub: '' }, 'quickback.user_id()')).toBeNull();
    expect(await helper('anon', { sub: 'u_owner' }, 'quickback.claims() ->> \'sub\'')).toBe('u_owner');
  });

  it('get_active_org_id: the claimed organization only for its members', async () => {
    expect(await helper('authenticated', { sub: 'u_owner', org_id: ORG_A }, 'quickback.get_active_org_id()')).toBe(ORG_A);
    expect(await helper('authenticated', { sub: 'u_owner', org_id: ORG_B }, 'quickback.get_active_org_id()')).toBeNull();
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
    expect(await helper('authenticated', { sub: 'u_member', org_id: ORG_A }, "quickback.has_org_role('billing')")).toBe(true);
    expect(await helper('authenticated', { sub: 'u_b', org_id: ORG_A }, "quickback.has_any_role(array['owner'])")).toBe(false);
    expect(await helper('authenticated', { org_id: ORG_A }, "quickback.has_any_role(array['owner'])")).toBe(false);
  });

  it('the platform admin: user_role, is_platform_admin, and any claimed organization', async () => {
    expect(await helper('authenticated', { sub: 'u_admin' }, 'quickback.user_role()')).toBe('admin');
    expect(await helper('authenticated', { sub: 'u_admin' }, 'quickback.is_platform_admin()')).toBe(true);
    expect(await helper('authenticated', { sub: 'u_owner' }, 'quickback.is_platform_admin()')).toBe(false);
    expect(await helper('authenticated', { sub: 'u_member' }, 'quickback.is_platform_admin()')).toBe(false);
    expect(await helper('authenticated', { sub: 'u_admin', org_id: ORG_B }, 'quickback.get_active_org_id()')).toBe(ORG_B);
    expect(await helper('anon', { org_id: ORG_B }, 'quickback.get_active_org_id()')).toBe(ORG_B);
  });

  it('is_owner and active_team_id (no teams in this app: never a team)', async () => {
    expect(await helper('authenticated', { sub: 'u_owner' }, "quickback.is_owner('u_owner')")).toBe(true);
    expect(await helper('authenticated', { sub: 'u_owner' }, "quickback.is_owner('u_b')")).toBe(false);
    expect(await helper('authenticated', { sub: 'u_owner' }, 'quickback.is_owner(null)')).toBe(false);
    expect(await helper('authenticated', { sub: 'u_owner', org_id: ORG_A, team_id: 'team_1' }, 'quickback.active_team_id()')).toBeNull();
  });

  it('run as definer with an empty search_path; EXECUTE for the API roles only', async () => {
    const fns = (await client.query("select p.proname, p.prosecdef, p.proconfig, has_function_privilege('public', p.oid, 'EXECUTE') as pub from pg_proc p join pg_namespace n on n.oid = p.pronamespace where n.nspname = 'quickback' order by 1")).rows;
    expect(fns.map((f) => f.proname)).toEqual(['active_team_id', 'claims', 'get_active_org_id', 'has_any_role', 'has_org_role', 'is_org_member', 'is_owner', 'is_platform_admin', 'user_id', 'user_role']);
    expect(fns.filter((f) => f.prosecdef).map((f) => f.proname)).toEqual(['active_team_id', 'get_active_org_id', 'has_any_role', 'is_platform_admin', 'user_role']);
    for (const f of fns) expect([f.proname, f.proconfig, f.pub]).toEqual([f.proname, ['search_path=""'], false]);
  });
});

describe('policies: what each role reaches', () => {
  const memberA = { sub: 'u_member', org_id: ORG_A };
  const ownerA = { sub: 'u_owner', org_id: ORG_A };

  it('every table has row level security enabled and forced', async () => {
    const tables = (await client.query("select relname, relrowsecurity, relforcerowsecurity from pg_class where relnamespace = 'public'::regnamespace and relkind = 'r' order by 1")).rows;
    expect(tables.length).toBe(tablePolicies(model).length);
    for (const t of tables) expect(t).toEqual({ relname: t.relname, relrowsecurity: true, relforcerowsecurity: true });
  });

  it('select: the active organization\'s rows, the owner\'s notes, nothing for anon; service_role sees all', async () => {
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
    const add = (claims: Record<string, unknown>, org: string) => as('authenticated', claims, async () => (await client.query(`INSERT INTO public.tickets (id, organization_id, title, priority) VALUES ('t_new', $1, 'x', 'low')`, [org])).rowCount);
    expect(await add(memberA, ORG_A)).toBe(1);
    expect(await add(memberA, ORG_B)).toEqual({ code: '42501' });
  });

  it('update: by the rule (admins, or the assigned member), and never out of the organization', async () => {
    const set = (claims: Record<string, unknown>, sql: string, params: unknown[] = []) => as('authenticated', claims, async () => (await client.query(`UPDATE public.tickets SET ${sql}`, params)).rowCount);
    expect(await set(memberA, "title = 'm' WHERE id = 't_a1'")).toBe(1);
    expect(await set(memberA, "title = 'm' WHERE id = 't_a2'")).toBe(0);
    expect(await set(ownerA, "title = 'o'")).toBe(2);
    expect(await set(ownerA, 'organization_id = $1', [ORG_B])).toEqual({ code: '42501' });
    expect(await set(memberA, 'organization_id = $1', [ORG_B])).toEqual({ code: '42501' });
  });

  it('delete: soft-delete tables get no DELETE grant; the soft delete is an UPDATE the owner may make', async () => {
    const remove = (claims: Record<string, unknown>, t: string) => as('authenticated', claims, async () => (await client.query(`DELETE FROM public."${t}"`)).rowCount);
    expect(await remove(ownerA, 'tickets')).toEqual({ code: '42501' });
    expect(await remove({ sub: 'u_owner' }, 'notes')).toEqual({ code: '42501' });
    const softDelete = (claims: Record<string, unknown>) => as('authenticated', claims, async () => (await client.query("UPDATE public.notes SET deleted_at = 'now'")).rowCount);
    expect(await softDelete({ sub: 'u_owner' })).toBe(1);
    expect(await softDelete({ sub: 'u_admin' })).toBe(0);
  });
});
