/**
 * The RLS layer's test database (layer.test.ts, predicates.test.ts): the helpdesk example compiled
 * for neon, its tables created from the model, the whole RLS script applied twice (it must be
 * idempotent), a small world of users, memberships and rows; and `as`, which runs SQL as one of
 * the API's roles with the claims the runtime sets (runtime rls.ts), always rolled back.
 */
import pg from 'pg';
import { inject } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/helpers/postgres.js';
import type { AppModel, ColumnModel, TableModel } from '../model/ir.js';
import { rlsStatements, tablePolicies } from './layer.js';

const SQL_TYPE: Record<ColumnModel['storage'], string> = { text: 'text', integer: 'bigint', real: 'double precision', boolean: 'boolean', json: 'jsonb', timestamp_ms: 'timestamptz' };
export const ORG_A = 'org_a';
export const ORG_B = 'org_b';
export type Claims = Record<string, unknown> | null;

export interface LayerDatabase {
  model: AppModel;
  client: pg.Client;
  /** Runs `fn` as the role with these claims, always rolled back; errors come back as `{ code }`. */
  as<T>(role: string, claims: Claims, fn: () => Promise<T>): Promise<T | { code: string }>;
  close(): Promise<void>;
}

export async function layerDatabase(label: string): Promise<LayerDatabase> {
  // Imported only when needed: the compiler's front end takes seconds to load (the mutation run provides the model).
  const model = inject('rlsLayerModel') ?? (await (await import('../../../test/setup/rls-model.js')).rlsLayerModel());
  const db: TestDatabase = await createTestDatabase(label);
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  const table = (name: string): TableModel => tablePolicies(model).find((p) => p.table.name === name)!.table;
  const insert = async (name: string, row: Record<string, unknown>) => {
    const t = table(name);
    const entries = Object.entries(row).map(([key, value]) => [t.columns.find((c) => c.key === key)!.sqlName, value] as const);
    await client.query(`INSERT INTO public."${t.sqlName}" (${entries.map(([c]) => `"${c}"`).join(', ')}) VALUES (${entries.map((_, i) => `$${i + 1}`).join(', ')})`, entries.map(([, v]) => v));
  };
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

  async function as<T>(role: string, claims: Claims, fn: () => Promise<T>): Promise<T | { code: string }> {
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
  return { model, client, as, close: async () => { await client.end(); await db.drop(); } };
}
