/**
 * @module quickback/list
 * The list query language: `limit` (default 50, clamped 1..100), `offset`, `sort=a,-b` (+ `order`
 * for one bare field), `fields`, `search` (escaped LIKE over searchable columns), `<field>=v` and
 * `<field>.<op>=v`, `total=true`. Unknown or disallowed fields are dropped (not in a view's
 * allowlist, masked for this caller, or not filterable); a value that does not parse for its
 * column type is a 400. A view's projection replaces `fields`.
 */
import { and, asc, desc, eq, gt, gte, isNotNull, isNull, lt, lte, ne, or, type Column, type SQL } from 'drizzle-orm';
import { apiError } from '../core/errors.js';
import { columnOf } from '../policy/firewall.js';
import { checkFilterCount, inList, likeSql } from './list-bounds.js';
import type { FieldDefinition, ResourceDefinition, ViewDefinition } from '../core/resource.js';

/** `api_key` and `key` carry API keys (filter a column named `key` with `?key.eq=`). */
export const RESERVED_PARAMS = new Set([
  'limit',
  'offset',
  'sort',
  'order',
  'fields',
  'search',
  'total',
  'view',
  'organizationId',
  'api_key',
  'key',
]);
const OPERATORS = new Set(['eq', 'ne', 'gt', 'gte', 'lt', 'lte', 'in', 'like', 'isNull', 'between']);

export interface ListQuery {
  limit: number;
  offset: number;
  orderBy: SQL[];
  where: SQL | undefined;
  fields: string[] | undefined;
  total: boolean;
}

function integer(raw: string | undefined, fallback: number, min: number, max: number): number {
  const n = raw === undefined || !/^-?\d+$/.test(raw.trim()) ? fallback : Number(raw);
  return Math.min(max, Math.max(min, n));
}

function typed(field: FieldDefinition, raw: string): unknown {
  const bad = () =>
    apiError('VALIDATION_FAILED', {
      details: { fields: { [field.key]: `"${raw}" is not a valid ${field.kind} value` } },
    });
  if (field.kind === 'integer' || field.kind === 'number') {
    const n = Number(raw);
    if (raw.trim() === '' || !Number.isFinite(n) || (field.kind === 'integer' && !Number.isInteger(n))) throw bad();
    return n;
  }
  if (field.kind === 'boolean') {
    if (raw === 'true' || raw === '1') return true;
    if (raw === 'false' || raw === '0') return false;
    throw bad();
  }
  return raw;
}

export { escapeLike } from './list-bounds.js';

function filterSql(field: FieldDefinition, column: Column, op: string, raw: string): SQL {
  const value = () => typed(field, raw);
  const list = () => raw.split(',').map((part) => typed(field, part));
  switch (op) {
    case 'eq':
      return eq(column, value());
    case 'ne':
      return ne(column, value());
    case 'gt':
      return gt(column, value());
    case 'gte':
      return gte(column, value());
    case 'lt':
      return lt(column, value());
    case 'lte':
      return lte(column, value());
    case 'in':
      return inList(field.key, column, list());
    case 'like':
      return likeSql(field.key, column, raw);
    case 'isNull':
      return raw === 'false' || raw === '0' ? isNotNull(column) : isNull(column);
    default: {
      const [low, high] = list();
      if (high === undefined)
        throw apiError('VALIDATION_FAILED', {
          details: { fields: { [field.key]: 'between takes two comma-separated values' } },
        });
      return and(gte(column, low), lte(column, high))!;
    }
  }
}

function allows(
  field: FieldDefinition | undefined,
  op: string,
  view: ViewDefinition | undefined,
): field is FieldDefinition {
  if (!field || !OPERATORS.has(op)) return false;
  if (view?.query.filterable) return view.query.filterable.includes(field.key);
  return field.filterable === true || (Array.isArray(field.filterable) && field.filterable.includes(op));
}

export interface ListOptions {
  view?: ViewDefinition;
  /** Whether the caller may filter, sort and search on a column (masked columns may not). */
  canQuery(key: string): boolean;
}

function orderByOf(
  resource: ResourceDefinition,
  params: Record<string, string>,
  options: ListOptions,
  known: (key: string) => boolean,
): SQL[] {
  const allowed = (key: string) =>
    known(key) && options.canQuery(key) && (!options.view?.query.sortable || options.view.query.sortable.includes(key));
  const sorts = (params.sort ?? options.view?.query.defaultSort ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  const orderBy: SQL[] = [];
  for (const entry of sorts) {
    const key = entry.replace(/^[-+]/, '');
    const descending = entry.startsWith('-') || (sorts.length === 1 && params.order?.toLowerCase() === 'desc');
    const column = columnOf(resource, key);
    if (column && allowed(key)) orderBy.push(descending ? desc(column) : asc(column));
  }
  if (orderBy.length === 0) orderBy.push(desc(columnOf(resource, resource.audit.createdAt)!));
  orderBy.push(asc(columnOf(resource, resource.id.key)!));
  return orderBy;
}

export function parseListQuery(
  resource: ResourceDefinition,
  params: Record<string, string>,
  options: ListOptions = { canQuery: () => true },
): ListQuery {
  const fields = new Map(resource.fields.map((f) => [f.key, f]));
  const view = options.view;
  const where: SQL[] = [];
  for (const [name, raw] of Object.entries(params)) {
    if (RESERVED_PARAMS.has(name)) continue;
    const [key, op = 'eq'] = name.split('.', 2);
    const field = fields.get(key);
    const column = columnOf(resource, key);
    if (column && allows(field, op, view) && options.canQuery(key)) where.push(filterSql(field, column, op, raw));
  }
  checkFilterCount(where.length);
  const term = params.search?.trim();
  if (term) {
    const candidates = view?.query.searchable ?? resource.fields.filter((f) => f.searchable).map((f) => f.key);
    const searchable = candidates.filter((key) => options.canQuery(key)).map((key) => columnOf(resource, key)).filter((
      c,
    ): c is Column => c !== undefined);
    if (searchable.length > 0) where.push(or(...searchable.map((c) => likeSql('search', c, term)))!);
  }
  const orderBy = orderByOf(resource, params, options, (key) => fields.has(key));
  const projection = view
    ? [...view.fields]
    : params.fields?.split(',').map((f) => f.trim()).filter((f) => fields.has(f));
  return {
    limit: integer(params.limit, 50, 1, 100),
    offset: integer(params.offset, 0, 0, Number.MAX_SAFE_INTEGER),
    orderBy,
    where: where.length > 0 ? and(...where) : undefined,
    fields: projection && projection.length > 0 ? [...new Set([resource.id.key, ...projection])] : undefined,
    total: params.total === 'true' || params.total === '1',
  };
}
