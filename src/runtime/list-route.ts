/**
 * @module quickback/list-route
 * GET / of a resource: firewall AND access filter AND query filters, a +1 probe for `hasMore`,
 * an optional count. Response: `{ data, view, pagination: { limit, offset, count, hasMore, total? } }`.
 */
import { and, count, type SQL } from 'drizzle-orm';
import type { Context } from 'hono';
import type { AppContext } from './context.js';
import { firewallWhere } from './firewall.js';
import { parseListQuery } from './list.js';
import type { ResourceDefinition } from './resource.js';
import type { QuickbackEnv } from './types.js';

export interface ListResponse {
  data: Record<string, unknown>[];
  view: string | null;
  pagination: { limit: number; offset: number; count: number; hasMore: boolean; total?: number };
}

function project(row: Record<string, unknown>, fields: string[] | undefined): Record<string, unknown> {
  if (!fields) return row;
  return Object.fromEntries(fields.filter((f) => f in row).map((f) => [f, row[f]]));
}

export async function listRows(c: Context<QuickbackEnv>, resource: ResourceDefinition, access: { ctx: AppContext; filter: SQL | undefined }): Promise<ListResponse> {
  const query = parseListQuery(resource, c.req.query());
  const where = and(firewallWhere(resource, access.ctx), access.filter, query.where);
  const db = c.get('db');
  const rows: Record<string, unknown>[] = await db
    .select()
    .from(resource.table)
    .where(where)
    .orderBy(...query.orderBy)
    .limit(query.limit + 1)
    .offset(query.offset);
  const data = rows.slice(0, query.limit).map((row) => project(row, query.fields));
  const pagination: ListResponse['pagination'] = { limit: query.limit, offset: query.offset, count: data.length, hasMore: rows.length > query.limit };
  if (query.total) {
    const [{ value }] = await db.select({ value: count() }).from(resource.table).where(where);
    pagination.total = Number(value);
  }
  return { data, view: null, pagination };
}
