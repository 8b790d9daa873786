/**
 * Throw-away databases for the PostgreSQL suites, one per test, dropped afterwards: on the server
 * every machine and CI runs (127.0.0.1:5432, trust auth, user postgres; PG_URL overrides), or,
 * when test/setup/postgres.ts fell back to PGlite (nothing answers there, or
 * QB_TEST_POSTGRES=pglite), on a PGlite instance of their own from its control server
 * (test/helpers/pglite-server.ts). Each suite logs which ran; without either it fails with the reason.
 */
import pg from 'pg';

export const PG_ADMIN_URL = process.env.PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** The PGlite control server's address when the suites run on PGlite (set by test/setup/postgres.ts). */
const PGLITE_CONTROL = process.env.QB_PGLITE_CONTROL;

/** True when the suites run on PGlite: for the tests that need more than one backend to skip. */
export const PGLITE = PGLITE_CONTROL !== undefined;

/** Why those tests skip on PGlite (printed with the skip). */
export const ONE_BACKEND =
  'PGlite is one backend: the request queries on a second pooled connection while its own RLS transaction is open, which deadlocks';

export interface TestDatabase {
  url: string;
  drop(): Promise<void>;
}

let announced = false;

function announce(line: string): void {
  if (!announced) console.log(`[postgres] ${line}`);
  announced = true;
}

/** A database of its own from the PGlite control server at `control`. */
export async function pgliteDatabase(control: string): Promise<TestDatabase> {
  const response = await fetch(`${control}/databases`, { method: 'POST' });
  if (!response.ok) throw new Error(`PGlite could not start a database: ${await response.text()}`);
  const { url, server } = (await response.json()) as { url: string; server: string };
  announce(server);
  return {
    url,
    async drop() {
      const dropped = await fetch(`${control}/databases/${new URL(url).port}`, { method: 'DELETE' });
      if (!dropped.ok) throw new Error(`PGlite could not drop ${url}: ${await dropped.text()}`);
    },
  };
}

export async function createTestDatabase(label: string): Promise<TestDatabase> {
  if (PGLITE_CONTROL) return pgliteDatabase(PGLITE_CONTROL);
  const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
  try {
    await admin.connect();
  } catch (err) {
    throw new Error(
      `PostgreSQL is not reachable at ${PG_ADMIN_URL} (${
        (err as Error).message
      }); start it (pg_ctlcluster 15 main start) or set PG_URL`,
    );
  }
  announce(`${(await admin.query('SHOW server_version')).rows[0].server_version} at ${new URL(PG_ADMIN_URL).host}`);
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
export async function query<T = Record<string, unknown>>(
  url: string,
  sql: string,
  params: unknown[] = [],
): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql, params)).rows as T[];
  } finally {
    await client.end();
  }
}
