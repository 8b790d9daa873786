import Database from 'better-sqlite3';
import { eq } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { sqliteTable, text } from 'drizzle-orm/sqlite-core';
import type { Context } from 'hono';
import { afterAll, describe, expect, it } from 'vitest';
import { anonymousContext, type AppContext } from '../core/context.js';
import { isApiError } from '../core/errors.js';
import { conditional, evaluate, recordEtag, stampedAfter } from './preconditions.js';
import type { ResourceDefinition } from '../core/resource.js';
import type { QuickbackEnv } from '../core/types.js';

const docs = sqliteTable('docs', {
  id: text('id').primaryKey(),
  title: text('title'),
  secret: text('secret'),
  orgId: text('org_id').notNull(),
  createdAt: text('created_at'),
  modifiedAt: text('modified_at'),
  deletedAt: text('deleted_at'),
  createdBy: text('created_by'),
  modifiedBy: text('modified_by'),
  deletedBy: text('deleted_by'),
});
const sqlite = new Database(':memory:');
sqlite.exec(
  'CREATE TABLE docs (id TEXT PRIMARY KEY, title TEXT, secret TEXT, org_id TEXT NOT NULL, created_at TEXT, modified_at TEXT, deleted_at TEXT, created_by TEXT, modified_by TEXT, deleted_by TEXT)',
);
const db = drizzle(sqlite);
afterAll(() => sqlite.close());

const resource = {
  name: 'docs',
  table: docs,
  id: { key: 'id', type: 'text', clientIds: true },
  fields: [],
  firewall: {
    predicates: [{ column: 'orgId', equals: 'ctx.activeOrgId' }, { column: 'deletedAt', isNull: true }],
    errorMode: 'reveal',
  },
  scope: { organization: 'orgId' },
  access: { read: {}, create: {}, update: {}, delete: {} },
  deleteMode: 'soft',
  audit: {
    createdAt: 'createdAt',
    modifiedAt: 'modifiedAt',
    deletedAt: 'deletedAt',
    createdBy: 'createdBy',
    modifiedBy: 'modifiedBy',
    deletedBy: 'deletedBy',
  },
  // Members see `secret` redacted: a change to it does not change their ETag.
  masking: { secret: { type: 'redact', show: { roles: ['admin'], userRole: [] }, query: { roles: ['admin'] } } },
  views: {},
} as unknown as ResourceDefinition;
const ctx: AppContext = {
  ...anonymousContext,
  authenticated: true,
  userId: 'u1',
  userRole: 'user',
  activeOrgId: 'o1',
  roles: ['member'],
};
const request = (headers: Record<string, string>) =>
  ({
    req: { header: (name: string) => headers[name] },
    get: (key: string) => (key === 'db' ? db : undefined),
  }) as unknown as Context<QuickbackEnv>;
const insert = (id: string) =>
  sqlite.prepare(
    "INSERT INTO docs (id, title, secret, org_id, modified_at) VALUES (?, 'a', 's', 'o1', '2026-01-01T00:00:00.000Z')",
  ).run(id);
const row = (id: string) => sqlite.prepare('SELECT * FROM docs WHERE id = ?').get(id) as Record<string, unknown>;
const code = (err: unknown) => (isApiError(err) ? `${err.status} ${err.code}` : String(err));
/** A conditional UPDATE of the title, as crud.ts runs one (undefined: no row matched). */
const setTitle =
  (title: string) => (where: Parameters<Parameters<NonNullable<ReturnType<typeof conditional>>['write']>[0]>[0]) =>
    Promise.resolve(db.update(docs).set({ title }).where(where).returning().all()[0]);

describe('evaluate (RFC 9110 §13.2.2, weak comparison)', () => {
  const tag = 'W/"0123456789abcdef"';
  it.each(
    [
      [['0123456789abcdef'], undefined, tag, true],
      [['ffff', '0123456789abcdef'], undefined, tag, true],
      [['ffff'], undefined, tag, false],
      ['*', undefined, tag, true],
      ['*', undefined, null, false],
      [['0123456789abcdef'], undefined, null, false],
      [undefined, '*', null, true],
      [undefined, '*', tag, false],
      [undefined, ['0123456789abcdef'], tag, false],
      [undefined, ['ffff'], tag, true],
    ] as const,
  )('If-Match %j, If-None-Match %j, current %s → passes %s', (ifMatch, ifNoneMatch, current, passes) => {
    const run = () => evaluate(ifMatch as never, ifNoneMatch as never, current);
    if (passes) expect(run).not.toThrow();
    else expect(run).toThrow(expect.objectContaining({ code: 'PRECONDITION_FAILED', status: 412 }));
  });
});

describe('conditional writes (compare-and-set on the stored row)', () => {
  const etagOf = (id: string) => recordEtag(resource, ctx, db.select().from(docs).where(eq(docs.id, id)).get()!);

  it('parses strong and weak spellings and lists; malformed headers are 400; no header is no conditional', () => {
    expect(conditional(request({}), resource, ctx, {})).toBeUndefined();
    expect(conditional(request({ 'if-match': '"a", W/"b"' }), resource, ctx, {})).toBeDefined();
    for (const bad of ['abc', '"a" junk', '*, "a"', '']) {
      expect(() => conditional(request({ 'if-match': bad }), resource, ctx, {})).toThrow(
        expect.objectContaining({ code: 'VALIDATION_FAILED', details: { header: 'If-Match' } }),
      );
    }
  });

  it('two writers that checked the same record: the first applies, the second re-reads and gets 412', async () => {
    insert('race');
    const etag = etagOf('race');
    const [a, b] = [
      conditional(request({ 'if-match': etag }), resource, ctx, {})!,
      conditional(request({ 'if-match': etag }), resource, ctx, {})!,
    ];
    for (const pre of [a, b]) await pre.check(await pre.read('race'));
    expect(await a.write(setTitle('from a'))).toMatchObject({ title: 'from a' });
    expect(code(await b.write(setTitle('from b')).catch((e: unknown) => e))).toBe('412 PRECONDITION_FAILED');
    expect(row('race').title).toBe('from a');
  });

  it('retries when the record changed only where the caller cannot see (a masked column)', async () => {
    insert('masked');
    const pre = conditional(request({ 'if-match': etagOf('masked') }), resource, ctx, {})!;
    await pre.check(await pre.read('masked'));
    sqlite.prepare("UPDATE docs SET secret = 'changed' WHERE id = 'masked'").run();
    expect(await pre.write(setTitle('still mine'))).toMatchObject({ title: 'still mine', secret: 'changed' });
  });

  it('answers not found when the record was deleted meanwhile, and 412 after it kept changing', async () => {
    insert('gone');
    const pre = conditional(request({ 'if-match': '*' }), resource, ctx, {})!;
    await pre.check(await pre.read('gone'));
    sqlite.prepare("UPDATE docs SET deleted_at = 'now' WHERE id = 'gone'").run();
    expect(code(await pre.write(setTitle('x')).catch((e: unknown) => e))).toBe('403 FIREWALL_NOT_FOUND');
    insert('busy');
    const busy = conditional(request({ 'if-match': '*' }), resource, ctx, {})!;
    await busy.read('busy');
    let n = 0;
    const alwaysLoses = () => {
      sqlite.prepare('UPDATE docs SET secret = ? WHERE id = ?').run(`s${++n}`, 'busy');
      return Promise.resolve(undefined);
    };
    expect(code(await busy.write(alwaysLoses).catch((e: unknown) => e))).toBe('412 PRECONDITION_FAILED');
    expect(n).toBe(3);
  });

  it('stamps modifiedAt strictly after the stored one', () => {
    const stored = { modifiedAt: '2999-01-01T00:00:00.000Z' };
    expect(stampedAfter(resource, { modifiedAt: '2026-01-01T00:00:00.000Z' }, stored)).toEqual({
      modifiedAt: '2999-01-01T00:00:00.001Z',
    });
    expect(stampedAfter(resource, { modifiedAt: '3000-01-01T00:00:00.000Z' }, stored)).toEqual({
      modifiedAt: '3000-01-01T00:00:00.000Z',
    });
  });
});
