/**
 * @module quickback/list-route
 * GET / (and `?view=`, `GET /views/:name`) of a resource: view resolution (VIEW_REQUIRED /
 * VIEW_NOT_FOUND), the view's access or `read.access`, WHERE = firewall AND the access filter
 * (record conditions as SQL) AND the query filters, a +1 probe for `hasMore`, an optional
 * count, then masking and the projection. Response: `{ data, view, pagination: { limit,
 * offset, count, hasMore, total? } }`.
 */
import { and, count, type SQL } from 'drizzle-orm';
import type { Context } from 'hono';
import { accessWhere, allowsAnonymous } from '../policy/access.js';
import { authRequired } from '../core/auth-required.js';
import { apiError } from '../core/errors.js';
import { columnOf, firewallWhere, requireScope } from '../policy/firewall.js';
import { openRows } from '../crypto/encryption.js';
import { parseListQuery, type ListQuery } from '../data/list.js';
import { queryable } from '../policy/masking.js';
import type { ResourceDefinition, ViewDefinition } from '../core/resource.js';
import { mask, type Row } from '../data/rows.js';
import { roleRequired, tenantContext } from '../policy/tenant.js';
import type { QueryDatabase, QuickbackEnv, C } from '../core/types.js';

export interface ListResponse {
  data: Row[];
  view: string | null;
  pagination: { limit: number; offset: number; count: number; hasMore: boolean; total?: number };
}

/** The view of this request: the requested one, else the default; VIEW_REQUIRED / VIEW_NOT_FOUND otherwise. */
export function resolveView(
  resource: ResourceDefinition,
  requested: string | undefined,
): [string, ViewDefinition] | undefined {
  const names = Object.keys(resource.views);
  const name = requested ?? resource.defaultView;
  if (name === undefined) {
    if (names.length === 0) return undefined;
    throw apiError('VIEW_REQUIRED', {
      details: { views: names },
      hint: `Add ?view=${names[0]} (views: ${names.join(', ')}).`,
    });
  }
  if (!Object.prototype.hasOwnProperty.call(resource.views, name)) {
    throw apiError('VIEW_NOT_FOUND', {
      details: { view: name.slice(0, 100), views: names },
      hint: names.length ? `Views: ${names.join(', ')}.` : 'This resource has no views.',
    });
  }
  return [name, resource.views[name]];
}

/**
 * One page: WHERE, the list order (`created_at DESC, id` unless sorted), LIMIT + 1 (the `hasMore`
 * probe) and OFFSET. Under the firewall the compiled list index (compiler/model/indexes.ts) holds
 * exactly this order after the scope columns, so a page is an index range scan, never a sort.
 */
export function pageQuery(db: QueryDatabase, resource: ResourceDefinition, where: SQL | undefined, query: ListQuery) {
  return db.select().from(resource.table).where(where).orderBy(...query.orderBy).limit(query.limit + 1).offset(
    query.offset,
  );
}

function project(row: Row, fields: string[] | undefined): Row {
  if (!fields) return row;
  return Object.fromEntries(fields.filter((f) => f in row).map((f) => [f, row[f]]));
}

export async function listRoute(c: C, resource: ResourceDefinition, viewName: string | undefined): Promise<Response> {
  const view = resolveView(resource, viewName);
  const rule = view ? view[1].access : resource.access.read;
  const ctx = await tenantContext(c, rule);
  if (!ctx.authenticated && !allowsAnonymous(rule)) throw authRequired(c, 'Sign in first: POST /auth/v1/sign-in/email');
  requireScope(resource, ctx, () => authRequired(c, 'Sign in first: POST /auth/v1/sign-in/email'));
  const filter = accessWhere(rule, ctx, (key) => columnOf(resource, key));
  if (filter === false) throw roleRequired(rule);
  const query = parseListQuery(resource, c.req.query(), {
    view: view?.[1],
    canQuery: (key) => queryable(resource.masking[key], ctx),
  });
  const where = and(firewallWhere(resource, ctx), filter === true ? undefined : filter, query.where);
  const db = c.get('db');
  const rows: Row[] = await pageQuery(db, resource, where, query);
  const data = (await openRows(c, resource, rows.slice(0, query.limit), { only: query.fields, ctx })).map((row) =>
    project(mask(resource, ctx, row), query.fields)
  );
  const body: ListResponse = {
    data,
    view: view?.[0] ?? null,
    pagination: { limit: query.limit, offset: query.offset, count: data.length, hasMore: rows.length > query.limit },
  };
  if (query.total) {
    const [{ value }] = await db.select({ value: count() }).from(resource.table).where(where);
    body.pagination.total = Number(value);
  }
  return c.json(body);
}

/** GET /views/:name: the path form of `?view=name`. */
export function viewRoute(c: C, resource: ResourceDefinition, name: string): Promise<Response> {
  return listRoute(c, resource, name);
}
