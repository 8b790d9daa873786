/**
 * The PGlite fallback itself (test/helpers/pglite-server.ts, test/helpers/postgres.ts): a
 * database of its own per request over the wire protocol (other database names refused, as the
 * server does), one backend that several connections share without their statements or
 * transactions interleaving, and nothing left after drop.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPgliteControl, type PgliteControl } from './pglite-server.js';
import { pgliteDatabase, query } from './postgres.js';

let control: PgliteControl;

beforeAll(async () => {
  control = await startPgliteControl('a test of the fallback');
}, 120_000);
afterAll(async () => control?.close());

async function connect(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  return client;
}

describe('PGlite fallback (when nothing answers at 127.0.0.1:5432, or QB_TEST_POSTGRES=pglite)', () => {
  it('gives each database its own instance, as the superuser postgres, and refuses other database names', async () => {
    const [a, b] = [await pgliteDatabase(control.address), await pgliteDatabase(control.address)];
    await query(a.url, 'CREATE TABLE only_in_a (id int)');
    expect(await query(b.url, "SELECT to_regclass('only_in_a') AS t")).toEqual([{ t: null }]);
    expect(await query(a.url, 'SELECT rolsuper FROM pg_roles WHERE rolname = current_user')).toEqual([{
      rolsuper: true,
    }]);
    await expect(connect(a.url.replace(/\/postgres$/, '/qb_no_such_database'))).rejects.toThrow(
      'database "qb_no_such_database" does not exist',
    );
    await Promise.all([a.drop(), b.drop()]);
  }, 60_000);

  it('holds other connections back during a transaction, then runs their extended-query cycles whole', async () => {
    const db = await pgliteDatabase(control.address);
    const [writer, ...readers] = await Promise.all([0, 1, 2, 3].map(() => connect(db.url)));
    await writer.query('CREATE TABLE t (id int)');
    await writer.query('BEGIN');
    await writer.query('INSERT INTO t VALUES (1)');
    // Each reader's Parse waits behind the transaction; released together, a Bind must not meet another's statement.
    const reads = Promise.all(
      readers.map((c, i) => c.query(`SELECT count(*)::int AS n, ${i} AS who, $1::text AS echo FROM t`, [`r${i}`])),
    );
    await writer.query('COMMIT');
    expect((await reads).map((r) => r.rows[0])).toEqual(readers.map((_, i) => ({ n: 1, who: i, echo: `r${i}` })));
    await Promise.all([writer, ...readers].map((c) => c.end()));
    await db.drop();
    await expect(connect(db.url)).rejects.toThrow(/ECONNREFUSED/);
  }, 60_000);
});
