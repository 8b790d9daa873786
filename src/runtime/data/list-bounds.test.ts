import Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { PgDialect, integer as pgInteger, pgTable } from 'drizzle-orm/pg-core';
import { integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { afterAll, describe, expect, it } from 'vitest';
import { isApiError } from '../core/errors.js';
import { inList, likeSql, MAX_IN_VALUES, MAX_LIKE_BYTES } from './list-bounds.js';

const items = sqliteTable('items', {
  id: text('id').primaryKey(),
  n: integer('n'),
  done: integer('done', { mode: 'boolean' }),
  title: text('title'),
});
const sqlite = new Database(':memory:');
sqlite.exec('CREATE TABLE items (id TEXT PRIMARY KEY, n INTEGER, done INTEGER, title TEXT)');
for (const [id, n, done, title] of [['a', 1, 1, 'é'.repeat(24)], ['b', 2, 0, 'x'], ['c', 3, 0, '50%']] as const)
  sqlite.prepare('INSERT INTO items VALUES (?, ?, ?, ?)').run(id, n, done, title);
const db = drizzle(sqlite);
afterAll(() => sqlite.close());

const ids = async (where: ReturnType<typeof inList>) =>
  (await db.select({ id: items.id }).from(items).where(where)).map((r) => r.id).sort();
const refusal = (run: () => unknown) => {
  try {
    run();
  } catch (err) {
    return isApiError(err) ? err.toBody() : err;
  }
  return undefined;
};

describe('list bounds', () => {
  it("binds an in list as one JSON parameter on SQLite, with the column's own encoding", async () => {
    const values = Array.from({ length: MAX_IN_VALUES }, (_, i) => i + 2);
    const query = db.select().from(items).where(inList('n', items.n, values)).toSQL();
    expect(query.params).toHaveLength(1);
    expect(query.sql).toContain('"n" IN (SELECT value FROM json_each(?))');
    expect(await ids(inList('n', items.n, values))).toEqual(['b', 'c']);
    expect(await ids(inList('done', items.done, [true]))).toEqual(['a']);
    expect(await ids(inList('title', items.title, ['x', '50%']))).toEqual(['b', 'c']);
  });

  it('keeps a plain list on PostgreSQL', () => {
    const t = pgTable('t', { n: pgInteger('n') });
    const query = new PgDialect().sqlToQuery(inList('n', t.n, [1, 2, 3]));
    expect(query.sql).toBe('"t"."n" in ($1, $2, $3)');
  });

  it('refuses more than 100 values with a 400 naming the bound', () => {
    expect(refusal(() => inList('n', items.n, Array.from({ length: MAX_IN_VALUES + 1 }, (_, i) => i)))).toMatchObject({
      code: 'VALIDATION_FAILED',
      details: { fields: { n: 'in takes at most 100 comma-separated values (got 101)' } },
    });
  });

  it('measures like terms in UTF-8 bytes after escaping: 48 pass, 49 are refused', async () => {
    expect(await ids(likeSql('title', items.title, 'é'.repeat(24)))).toEqual(['a']);
    expect(refusal(() => likeSql('title', items.title, `${'é'.repeat(24)}x`))).toMatchObject({
      code: 'VALIDATION_FAILED',
      details: { fields: { title: expect.stringContaining(`${MAX_LIKE_BYTES} bytes`) } },
    });
    expect(await ids(likeSql('title', items.title, '0%'))).toEqual(['c']);
    expect(refusal(() => likeSql('search', items.title, '%'.repeat(25)))).toMatchObject({
      details: { fields: { search: expect.any(String) } },
    });
    expect(refusal(() => likeSql('search', items.title, '%'.repeat(24)))).toBeUndefined();
  });
});
