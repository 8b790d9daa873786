/**
 * The RLS layer's test database (src/compiler/rls/layer.test.ts, predicates.test.ts): the helpdesk example compiled
 * for neon, its tables created from the model, the API's roles, a small world of users,
 * memberships and rows; and `as`, which runs SQL as one of the API's roles with the claims the
 * runtime sets (runtime rls.ts), always rolled back.
 *
 * The RLS script itself is applied by each test (`apply`), not here: mutation testing attributes
 * code to the tests that run it, and code run by a beforeAll would count as run by none of them
 * (each such mutant would then rerun every test). The script is idempotent, so applying it again
 * before every test is also a test of that.
 */
import pg from 'pg';
import { inject } from 'vitest';
import { createTestDatabase, type TestDatabase } from './postgres.js';
import type { AppModel, ColumnModel, TableModel } from '../../src/compiler/model/ir.js';

const SQL_TYPE: Record<ColumnModel['storage'], string> = {
  text: 'text',
  integer: 'bigint',
  real: 'double precision',
  boolean: 'boolean',
  json: 'jsonb',
  timestamp_ms: 'timestamptz',
};
export const ORG_A = 'org_a';
export const ORG_B = 'org_b';
export type Claims = Record<string, unknown> | null;

export interface LayerDatabase {
  model: AppModel;
  client: pg.Client;
  /** Sends these statements as one script (as the migration does). */
  apply(statements: string[]): Promise<void>;
  /** Runs `fn` as the role with these claims, always rolled back; errors come back as `{ code }`. */
  as<T>(role: string, claims: Claims, fn: () => Promise<T>): Promise<T | { code: string }>;
  close(): Promise<void>;
}

export async function layerDatabase(label: string): Promise<LayerDatabase> {
  // Imported only when needed: the compiler's front end takes seconds to load (the mutation run provides the model).
  const model = inject('rlsLayerModel') ?? (await (await import('../setup/rls-model.js')).rlsLayerModel());
  const db: TestDatabase = await createTestDatabase(label);
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  const tables: TableModel[] = [
    ...model.features.map((f) => f.table),
    ...model.auth.tables,
    model.rlsSupport!.table,
    ...(model.idempotency ? [model.idempotency.table] : []),
  ];
  const table = (name: string): TableModel => tables.find((t) => t.name === name)!;
  const insert = async (name: string, row: Record<string, unknown>) => {
    const t = table(name);
    const entries = Object.entries(row).map(([key, value]) =>
      [t.columns.find((c) => c.key === key)!.sqlName, value] as const
    );
    await client.query(
      `INSERT INTO public."${t.sqlName}" (${entries.map(([c]) => `"${c}"`).join(', ')}) VALUES (${
        entries.map((_, i) => `$${i + 1}`).join(', ')
      })`,
      entries.map(([, v]) => v),
    );
  };
  await client.query(
    tables.map((t) =>
      `CREATE TABLE public."${t.sqlName}" (${t.columns.map((c) => `"${c.sqlName}" ${SQL_TYPE[c.storage]}`).join(', ')})`
    ).join(';\n'),
  );
  await client.query(
    `DO $$ BEGIN\n${
      ['anon', 'authenticated', 'service_role'].map((r) =>
        `  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '${r}') THEN CREATE ROLE ${r} NOLOGIN; END IF;`
      ).join('\n')
    }\nEND $$`,
  );
  const user = (id: string, role: string | null) => insert('user', { id, name: id, email: `${id}@example.com`, role });
  await user('u_owner', 'user');
  await user('u_member', null);
  await user('u_admin', 'admin');
  await user('u_b', 'user');
  const member = (id: string, organizationId: string, userId: string, role: string) =>
    insert('member', { id, organizationId, userId, role });
  await member('m1', ORG_A, 'u_owner', 'owner');
  await member('m2', ORG_A, 'u_member', 'member, billing');
  await member('m3', ORG_B, 'u_b', 'owner');
  await client.query(
    `INSERT INTO public."${
      model.rlsSupport!.table.sqlName
    }" (user_id, active_organization_id) VALUES ('u_member', $1), ('u_b', $1)`,
    [ORG_A],
  );
  const ticket = (id: string, organizationId: string, assigneeId: string | null) =>
    insert('tickets', { id, organizationId, assigneeId, title: id, priority: 'normal' });
  await ticket('t_a1', ORG_A, 'u_member');
  await ticket('t_a2', ORG_A, null);
  await ticket('t_b1', ORG_B, null);
  await insert('logs', { id: 'l_a1', organizationId: ORG_A, message: 'a' });
  await insert('logs', { id: 'l_a2', organizationId: ORG_A, message: 'a' });
  await insert('logs', { id: 'l_b1', organizationId: ORG_B, message: 'b' });
  await insert('notes', { id: 'n_owner', ownerId: 'u_owner', body: 'mine' });
  await insert('notes', { id: 'n_b', ownerId: 'u_b', body: 'theirs' });

  async function as<T>(role: string, claims: Claims, fn: () => Promise<T>): Promise<T | { code: string }> {
    await client.query('BEGIN');
    try {
      await client.query("select set_config('role', $1, true), set_config('request.jwt.claims', $2, true)", [
        role,
        claims ? JSON.stringify(claims) : '',
      ]);
      return await fn();
    } catch (err) {
      return { code: (err as { code?: string }).code ?? String(err) };
    } finally {
      await client.query('ROLLBACK');
    }
  }
  const apply = async (statements: string[]) => {
    await client.query(statements.join(';\n'));
  };
  return {
    model,
    client,
    apply,
    as,
    close: async () => {
      await client.end();
      await db.drop();
    },
  };
}
