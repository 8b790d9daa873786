/**
 * The dependency bound (issue #31): the setting, the deadline itself, and the Workers wrappers —
 * a real D1 (miniflare) through Drizzle works unchanged behind boundedD1 (batches included), and
 * a stalled binding fails within the bound as 503 DATABASE_UNAVAILABLE.
 */
import { drizzle } from 'drizzle-orm/d1';
import { sql } from 'drizzle-orm';
import { Miniflare } from 'miniflare';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toDatabaseApiError } from './db-errors.js';
import { boundedD1, DeadlineExceeded, dependencyTimeout, withDeadline } from './deadline.js';

const never = (..._args: unknown[]) => new Promise<never>(() => {});

describe('dependency deadline', () => {
  it('QUICKBACK_DEPENDENCY_TIMEOUT_MS: a positive whole number of ms, else 2000', () => {
    expect(dependencyTimeout({ QUICKBACK_DEPENDENCY_TIMEOUT_MS: '750' })).toBe(750);
    for (const bad of [undefined, '', '0', '-5', '1.5', 'soon', 7])
      expect(dependencyTimeout({ QUICKBACK_DEPENDENCY_TIMEOUT_MS: bad })).toBe(2000);
    expect(dependencyTimeout(undefined)).toBe(2000);
  });

  it('answers the work, or ETIMEDOUT after the bound (mapped to 503 DATABASE_UNAVAILABLE)', async () => {
    expect(await withDeadline(Promise.resolve(3), 50, 'x')).toBe(3);
    const late = withDeadline(never(), 30, 'D1');
    await expect(late).rejects.toBeInstanceOf(DeadlineExceeded);
    const err = await late.catch((e) => e);
    expect(err).toMatchObject({
      code: 'ETIMEDOUT',
      message: expect.stringContaining('D1 did not answer within 30 ms'),
    });
    expect(toDatabaseApiError(err)).toMatchObject({
      code: 'DATABASE_UNAVAILABLE',
      status: 503,
      hint: expect.stringContaining('QUICKBACK_DEPENDENCY_TIMEOUT_MS'),
    });
  });

  it('a stalled D1 statement or batch fails within the bound', async () => {
    const statement: {
      bind(...args: unknown[]): typeof statement;
      all: typeof never;
      run: typeof never;
      raw: typeof never;
      first: typeof never;
    } = { bind: () => statement, all: never, run: never, raw: never, first: never };
    const d1 = boundedD1({ prepare: (_sql: string) => statement, batch: never, exec: never }, 30);
    const stmt = d1.prepare('SELECT 1').bind(1);
    for (const run of [() => stmt.all(), () => stmt.first(), () => d1.batch([stmt]), () => d1.exec('SELECT 1')]) {
      await expect(run()).rejects.toBeInstanceOf(DeadlineExceeded);
    }
  });
});

describe('boundedD1 over a real D1 (miniflare)', () => {
  let mf: Miniflare;
  beforeAll(() => {
    mf = new Miniflare({
      modules: true,
      script: 'export default { fetch: () => new Response("") }',
      d1Databases: ['DB'],
    });
  });
  afterAll(() => mf.dispose());

  it('Drizzle queries and batches work unchanged behind the bound', async () => {
    const db = drizzle(boundedD1(await mf.getD1Database('DB'), 2000));
    await db.run(sql`CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT)`);
    await db.batch([db.run(sql`INSERT INTO t VALUES (1, 'a')`), db.run(sql`INSERT INTO t VALUES (2, 'b')`)]);
    expect(await db.all(sql`SELECT name FROM t ORDER BY id`)).toEqual([{ name: 'a' }, { name: 'b' }]);
    expect(await db.get(sql`SELECT count(*) AS n FROM t WHERE id > ${1}`)).toEqual({ n: 1 });
  });
});
