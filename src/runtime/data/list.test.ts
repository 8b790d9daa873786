import Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { afterAll, describe, expect, it } from 'vitest';
import { isApiError } from '../core/errors.js';
import { escapeLike, parseListQuery } from './list.js';
import type { ResourceDefinition } from '../core/resource.js';

const items = sqliteTable('items', {
  id: text('id').primaryKey(),
  title: text('title').notNull(),
  n: integer('n'),
  done: integer('done', { mode: 'boolean' }),
  secret: text('secret'),
  createdAt: text('created_at').notNull(),
});
const resource = {
  name: 'items',
  table: items,
  id: { key: 'id', type: 'text', clientIds: false },
  fields: [
    { key: 'id', kind: 'id', system: true, filterable: false, searchable: false },
    { key: 'title', kind: 'text', system: false, filterable: ['eq'], searchable: true },
    { key: 'n', kind: 'integer', system: false, filterable: true, searchable: false },
    { key: 'done', kind: 'boolean', system: false, filterable: ['eq'], searchable: false },
    { key: 'secret', kind: 'text', system: false, filterable: false, searchable: false },
    { key: 'createdAt', kind: 'audit-time', system: true, filterable: true, searchable: false },
  ],
  audit: { createdAt: 'createdAt' },
} as unknown as ResourceDefinition;

const sqlite = new Database(':memory:');
sqlite.exec(
  'CREATE TABLE items (id TEXT PRIMARY KEY, title TEXT NOT NULL, n INTEGER, done INTEGER, secret TEXT, created_at TEXT NOT NULL)',
);
const rows = [
  ['a', 'Coffee 100%', 1, 1, 's', '2026-01-01'],
  ['b', 'coffee beans', 5, 0, 't', '2026-01-02'],
  ['c', 'Desk_lamp', 9, 0, 'u', '2026-01-03'],
];
for (const r of rows) sqlite.prepare('INSERT INTO items VALUES (?, ?, ?, ?, ?, ?)').run(...r);
const db = drizzle(sqlite);
afterAll(() => sqlite.close());

function ids(params: Record<string, string>): string[] {
  const q = parseListQuery(resource, params);
  return db.select({ id: items.id }).from(items).where(q.where).orderBy(...q.orderBy).limit(q.limit).offset(q.offset)
    .all().map((r) => r.id);
}

describe('parseListQuery', () => {
  it('defaults to newest first, 50 per page; clamps limit to 1..100 and ignores junk', () => {
    expect(ids({})).toEqual(['c', 'b', 'a']);
    expect(parseListQuery(resource, { limit: '5000' }).limit).toBe(100);
    expect(parseListQuery(resource, { limit: '0' }).limit).toBe(1);
    expect(parseListQuery(resource, { limit: 'abc', offset: '-3' })).toMatchObject({ limit: 50, offset: 0 });
  });

  it('sorts by allowed fields, with - for descending and order=desc for one field', () => {
    expect(ids({ sort: 'n' })).toEqual(['a', 'b', 'c']);
    expect(ids({ sort: '-n' })).toEqual(['c', 'b', 'a']);
    expect(ids({ sort: 'n', order: 'desc' })).toEqual(['c', 'b', 'a']);
    expect(ids({ sort: 'nope' })).toEqual(['c', 'b', 'a']);
  });

  it('filters with typed operators only where the field allows them', () => {
    expect(ids({ 'n.gte': '5' })).toEqual(['c', 'b']);
    expect(ids({ 'n.between': '2,9' })).toEqual(['c', 'b']);
    expect(ids({ 'n.in': '1,9', sort: 'n' })).toEqual(['a', 'c']);
    expect(ids({ done: 'true' })).toEqual(['a']);
    expect(ids({ 'title.like': 'x' })).toEqual(['c', 'b', 'a']); // like not allowed on title: dropped
    expect(ids({ secret: 's' })).toEqual(['c', 'b', 'a']); // not filterable: dropped
  });

  it('answers a value of the wrong type with 400 VALIDATION_FAILED, never a 500', () => {
    const cases: Record<string, string>[] = [{ n: 'abc' }, { 'n.gt': '1.5' }, { done: 'maybe' }, { 'n.between': '1' }];
    for (const params of cases) {
      try {
        parseListQuery(resource, params);
        expect.fail(`no error for ${JSON.stringify(params)}`);
      } catch (error) {
        expect(isApiError(error) && error.status === 400 && error.code === 'VALIDATION_FAILED').toBe(true);
      }
    }
  });

  it('searches searchable columns case-insensitively with LIKE wildcards escaped', () => {
    expect(ids({ search: 'coffee', sort: 'n' })).toEqual(['a', 'b']);
    expect(ids({ search: '%' })).toEqual(['a']);
    expect(ids({ search: '_' })).toEqual(['c']);
    expect(escapeLike('50%_\\')).toBe('50\\%\\_\\\\');
  });

  it('projects fields, always including the id', () => {
    expect(parseListQuery(resource, { fields: 'title,nope' }).fields).toEqual(['id', 'title']);
    expect(parseListQuery(resource, { fields: 'nope' }).fields).toBeUndefined();
    expect(parseListQuery(resource, { total: 'true' }).total).toBe(true);
  });
});
