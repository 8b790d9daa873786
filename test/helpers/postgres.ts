/**
 * Throw-away databases on the PostgreSQL server every machine and CI runs (127.0.0.1:5432, trust
 * auth, user postgres; PG_URL overrides). Each test gets its own database, dropped afterwards.
 * The suite logs which server ran; without one it fails with the reason.
 */
import pg from 'pg';

export const PG_ADMIN_URL = process.env.PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

let announced = false;

export async function createTestDatabase(label: string): Promise<{ url: string; drop(): Promise<void> }> {
  const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
  try {
    await admin.connect();
  } catch (err) {
    throw new Error(`PostgreSQL is not reachable at ${PG_ADMIN_URL} (${(err as Error).message}); start it (pg_ctlcluster 15 main start) or set PG_URL`);
  }
  if (!announced) {
    console.log(`[postgres] ${(await admin.query('SHOW server_version')).rows[0].server_version} at ${new URL(PG_ADMIN_URL).host}`);
    announced = true;
  }
  const name = `qb_${label.replace(/\W+/g, '_').toLowerCase()}_${Math.random().toString(36).slice(2, 10)}`;
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const again = new pg.Client({ connectionString: PG_ADMIN_URL });
      await again.connect();
      await again.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await again.end();
    },
  };
}

/** Runs one query on `url` and returns its rows. */
export async function query<T = Record<string, unknown>>(url: string, sql: string, params: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql, params)).rows as T[];
  } finally {
    await client.end();
  }
}
