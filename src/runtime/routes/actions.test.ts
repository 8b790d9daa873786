import Database from 'better-sqlite3';
import { eq } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { Hono } from 'hono';
import { afterAll, describe, expect, it } from 'vitest';
import * as z from 'zod';
import { actionRoutes, type ActionDefinition, type ActionHandler } from './actions.js';
import { anonymousContext, type AppContext } from '../core/context.js';
import { apiError, isApiError } from '../core/errors.js';
import type { ResourceDefinition } from '../core/resource.js';
import { scopedDb } from '../data/scoped-db.js';
import type { QueryDatabase, QuickbackEnv } from '../core/types.js';

const docs = sqliteTable('docs', {
  id: text('id').primaryKey(),
  state: text('state').notNull(),
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
  'CREATE TABLE docs (id TEXT PRIMARY KEY, state TEXT NOT NULL, org_id TEXT NOT NULL, created_at TEXT, modified_at TEXT, deleted_at TEXT, created_by TEXT, modified_by TEXT, deleted_by TEXT)',
);
const db = drizzle(sqlite);
afterAll(() => sqlite.close());

let next = 0;
const resource = {
  name: 'docs',
  table: docs,
  id: { key: 'id', type: 'text', clientIds: false, generate: () => `doc_${++next}` },
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
  masking: {},
  views: {},
} as unknown as ResourceDefinition;
const ctx = (org: string): AppContext => ({
  ...anonymousContext,
  authenticated: true,
  userId: `u-${org}`,
  userRole: 'user',
  activeOrgId: org,
  roles: ['member'],
});

function app(action: Partial<ActionDefinition>, handlerDb: QueryDatabase = db as unknown as QueryDatabase, org = 'o1') {
  const definition: ActionDefinition = {
    name: 'approve',
    kind: 'record',
    method: 'POST',
    path: '/:id/approve',
    access: {},
    input: z.object({}),
    execute: (async () => ({ ok: true })) as ActionHandler<never>,
    ...action,
  };
  const hono = new Hono<QuickbackEnv>();
  hono.use('*', async (c, next) => {
    c.set('db', handlerDb);
    c.set('ctx', ctx(org));
    c.set('transactions', 'sync');
    await next();
  });
  hono.route('/', actionRoutes(resource, [resource], [definition]));
  hono.onError((
    err,
    c,
  ) => (isApiError(err) ? c.json(err.toBody(), err.status as 409) : c.json({ crash: String(err) }, 500)));
  return hono;
}
const post = (hono: Hono<QuickbackEnv>, id: string) =>
  hono.request(`/${id}/approve`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
const insert = (id: string, state: string, orgId = 'o1') =>
  sqlite.prepare('INSERT INTO docs (id, state, org_id) VALUES (?, ?, ?)').run(id, state, orgId);
const transition = { field: 'state', fromTo: { draft: ['approved'] }, to: 'approved' };

describe('record action transitions', () => {
  it('claims the transition before the handler runs, and 409s the wrong state', async () => {
    insert('d1', 'draft');
    let seen: unknown;
    const hono = app({
      transition,
      execute: (async ({ record }: { record?: Record<string, unknown> }) => {
        seen = record?.state;
        return record;
      }) as ActionHandler<never>,
    });
    expect((await post(hono, 'd1')).status).toBe(200);
    expect(seen).toBe('approved');
    const again = await post(hono, 'd1');
    expect(again.status).toBe(409);
    expect((await again.json()).code).toBe('ACCESS_ACTION_NOT_ALLOWED_FOR_STATE');
  });

  it('answers ACCESS_TRANSITION_LOST when the row changes between the read and the claim', async () => {
    insert('d2', 'draft');
    // A competing writer that moves the row on after this request read it, just before the claim.
    const racing = new Proxy(db, {
      get(target, prop) {
        if (prop !== 'update') return Reflect.get(target, prop);
        sqlite.prepare("UPDATE docs SET state = 'archived' WHERE id = 'd2'").run();
        return Reflect.get(target, prop);
      },
    }) as unknown as QueryDatabase;
    const lost = await post(app({ transition }, racing), 'd2');
    expect(lost.status).toBe(409);
    expect((await lost.json()).code).toBe('ACCESS_TRANSITION_LOST');
  });

  it('puts the state back when the handler fails after the claim', async () => {
    insert('d3', 'draft');
    const failing = app({
      transition,
      execute: (async () => {
        throw apiError('VALIDATION_FAILED');
      }) as ActionHandler<never>,
    });
    expect((await post(failing, 'd3')).status).toBe(400);
    expect(db.select().from(docs).where(eq(docs.id, 'd3')).get()!.state).toBe('draft');
  });
});

describe('scoped db', () => {
  it("keeps every statement on resource tables inside the tenant, even with the handler's own where", async () => {
    insert('mine', 'draft', 'o1');
    insert('theirs', 'draft', 'o2');
    const scoped = scopedDb(db as unknown as QueryDatabase, ctx('o1'), [resource]) as unknown as typeof db;
    const all = await scoped.select().from(docs);
    expect(all.map((r) => r.orgId)).toEqual(expect.arrayContaining(['o1']));
    expect(all.some((r) => r.orgId === 'o2')).toBe(false);
    expect(await scoped.select().from(docs).where(eq(docs.id, 'theirs'))).toEqual([]);
    expect(await scoped.update(docs).set({ state: 'hacked' }).where(eq(docs.id, 'theirs')).returning()).toEqual([]);
    expect(await scoped.delete(docs).where(eq(docs.id, 'theirs')).returning()).toEqual([]);
    expect(db.select().from(docs).where(eq(docs.id, 'theirs')).get()!.state).toBe('draft');
    const [created] = await scoped.insert(docs).values({ id: 'ignored', state: 'new', orgId: 'o2' } as never)
      .returning();
    expect(created).toMatchObject({ orgId: 'o1', createdBy: 'u-o1', state: 'new' });
    expect(created.id).toMatch(/^doc_\d+$/);
  });
});
