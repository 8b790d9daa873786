/**
 * @module quickback/rows
 * Row-level building blocks shared by the CRUD, batch and action routes: id parsing, the
 * firewall-scoped WHERE for one id, audit stamping, and the delete cascade as one unit of work
 * (see transaction.ts) so one implementation runs atomically on every driver.
 */
import { and, eq, inArray, type SQL } from 'drizzle-orm';
import type { AppContext } from '../core/context.js';
import { toDatabaseApiError } from '../core/db-errors.js';
import { isApiError } from '../core/errors.js';
import { columnOf, firewallWhere, notFound, scopeValues } from '../policy/firewall.js';
import { maskRow } from '../policy/masking.js';
import type { ResourceDefinition } from '../core/resource.js';
import type { Query, Work } from './transaction.js';
import type { QueryDatabase, Row } from '../core/types.js';

export type { Row } from '../core/types.js';

export function parseId(resource: ResourceDefinition, raw: unknown): string | number | undefined {
  if (resource.id.type === 'text')
    return typeof raw === 'string' && raw.length > 0 && raw.length <= 255 ? raw : undefined;
  if (typeof raw === 'number') return Number.isSafeInteger(raw) && raw >= 0 ? raw : undefined;
  return typeof raw === 'string' && /^\d{1,15}$/.test(raw) ? Number(raw) : undefined;
}

export function byId(resource: ResourceDefinition, ctx: AppContext, id: string | number): SQL {
  return and(firewallWhere(resource, ctx), eq(columnOf(resource, resource.id.key)!, id))!;
}

export function byIds(resource: ResourceDefinition, ctx: AppContext, ids: (string | number)[]): SQL {
  return and(firewallWhere(resource, ctx), inArray(columnOf(resource, resource.id.key)!, ids))!;
}

export function now(resource: ResourceDefinition, key: string): string | Date {
  return columnOf(resource, key)?.dataType === 'date' ? new Date() : new Date().toISOString();
}

/** A new row: body values, then scope columns from the context, audit stamps and a server id. */
export function newRow(resource: ResourceDefinition, ctx: AppContext, data: Row): Row {
  const { audit } = resource;
  const row: Row = {
    ...data,
    ...scopeValues(resource, ctx),
    [audit.createdAt]: now(resource, audit.createdAt),
    [audit.modifiedAt]: now(resource, audit.modifiedAt),
    [audit.createdBy]: ctx.userId,
    [audit.modifiedBy]: ctx.userId,
  };
  if (resource.id.generate) row[resource.id.key] = resource.id.generate();
  return row;
}

export function updateSet(resource: ResourceDefinition, ctx: AppContext, data: Row): Row {
  const { audit } = resource;
  return { ...data, [audit.modifiedAt]: now(resource, audit.modifiedAt), [audit.modifiedBy]: ctx.userId };
}

export function softDeleteSet(resource: ResourceDefinition, ctx: AppContext): Row {
  const { audit } = resource;
  return updateSet(resource, ctx, { [audit.deletedAt]: now(resource, audit.deletedAt), [audit.deletedBy]: ctx.userId });
}

/**
 * An upsert that inserts an id another tenant already holds hits the primary key: answer like any
 * row outside the caller's scope instead of a 409 that would reveal the id exists.
 */
export function hideForeignId(resource: ResourceDefinition, err: unknown): unknown {
  if (isApiError(err)) return err;
  const mapped = toDatabaseApiError(err);
  const column = mapped?.details?.column;
  if (
    mapped?.code === 'UNIQUE_VIOLATION'
    && (column === undefined || column === resource.id.key || column === columnOf(resource, resource.id.key)?.name)
  ) return notFound(resource);
  return err;
}

export function mask(resource: ResourceDefinition, ctx: AppContext, row: Row): Row {
  return maskRow(resource.masking, ctx, row);
}

/**
 * Deletes the rows `where` selects: hard, or soft with a cascade to child resources that
 * reference them (each child scoped by its own firewall, recursively, a resource at most once per
 * chain). Children go first and find their parents by subquery, so no statement needs an
 * earlier one's rows and the whole cascade is one atomic unit on every driver (transaction.ts).
 */
export function deleteRows(resource: ResourceDefinition, ctx: AppContext, where: SQL): Work<Row[]> {
  return {
    build: (tx) => deleteStatements(tx, resource, ctx, where, []),
    finish: (results) => results[results.length - 1],
  };
}

function deleteStatements(
  tx: QueryDatabase,
  resource: ResourceDefinition,
  ctx: AppContext,
  where: SQL,
  chain: ResourceDefinition[],
): Query[] {
  if (resource.deleteMode === 'hard') return [tx.delete(resource.table).where(where).returning()];
  const parents = tx.select({ id: columnOf(resource, resource.id.key)! }).from(resource.table).where(where);
  const children = (resource.children?.() ?? []).filter((child) =>
    child.resource.deleteMode !== 'hard' && !chain.includes(child.resource) && child.resource !== resource
  );
  return [
    ...children.flatMap((child) =>
      deleteStatements(
        tx,
        child.resource,
        ctx,
        and(firewallWhere(child.resource, ctx), inArray(columnOf(child.resource, child.column)!, parents))!,
        [...chain, resource],
      )
    ),
    tx.update(resource.table).set(softDeleteSet(resource, ctx)).where(where).returning(),
  ];
}
