/**
 * @module compiler/model/indexes
 * A feature table's indexes, derived from what every request does (issue #31): the list index
 * (the firewall's equality columns, then the list order `created_at DESC, id`, over the live rows
 * only — a partial index on the firewall's `deleted_at IS NULL`), the same for the default view's
 * `defaultSort`, one index per foreign key (soft delete cascades and reference checks look rows
 * up by it) and per scope column no index leads with, `q.index()` columns and `unique` sets.
 * Names are `<table>_<columns>_idx|unique` (`<column>_desc` for a descending one), bounded to
 * PostgreSQL's 63 characters.
 */
import { createHash } from 'node:crypto';
import type { ResourceInput } from '../load/types.js';
import { AUDIT_KEYS } from './columns.js';
import type { FeatureModel, IndexModel, TableModel } from './ir.js';

/** PostgreSQL truncates identifiers past 63 bytes; a longer name keeps its start and gains 8 hex of its sha256. */
export const MAX_INDEX_NAME = 63;

export function boundedIndexName(name: string): string {
  if (Buffer.byteLength(name) <= MAX_INDEX_NAME) return name;
  const hash = createHash('sha256').update(name).digest('hex').slice(0, 8);
  return `${Buffer.from(name).subarray(0, MAX_INDEX_NAME - 9).toString().replace(/\uFFFD+$/, '')}_${hash}`;
}

/** `-priority,title` → [['priority', desc], ['title', asc]] as the list route reads a defaultSort (runtime/list.ts). */
function sortKeys(defaultSort: string): { key: string; desc: boolean }[] {
  return defaultSort.split(',').map((s) => s.trim()).filter(Boolean).map((s) => ({
    key: s.replace(/^[-+]/, ''),
    desc: s.startsWith('-'),
  }));
}

type Table = Omit<TableModel, 'indexes'>;

/** The index a list in this order reads: firewall equalities, the sort, the id; partial on the live rows. */
function listIndex(
  table: Table,
  firewall: FeatureModel['firewall'],
  sort: { key: string; desc: boolean }[],
  make: Make,
): IndexModel | null {
  const has = (key: string) => table.columns.some((c) => c.key === key);
  const idKey = table.columns.find((c) => c.primaryKey)?.key;
  const equals = firewall.predicates.flatMap((p) => ('equals' in p ? [p.column] : []));
  const live = firewall.predicates.flatMap((p) => ('isNull' in p ? [p.column] : []));
  const columns = [...new Set([...equals, ...sort.map((s) => s.key), ...(idKey ? [idKey] : [])])];
  if (!idKey || sort.length === 0 || ![...columns, ...live].every(has)) return null;
  const descending = sort.filter((s) => s.desc).map((s) => s.key);
  return {
    ...make(columns, false, descending),
    ...(descending.length ? { descending } : {}),
    ...(live.length ? { whereNull: [...new Set(live)] } : {}),
  };
}

/** A descending column is `<column>_desc` in the name: `(org, created_at)` and `(org, created_at DESC)` are two indexes. */
type Make = (columns: string[], unique: boolean, descending?: string[]) => IndexModel;

export function featureIndexes(
  resource: ResourceInput,
  table: Table,
  firewall: FeatureModel['firewall'],
  defaultSort: string | undefined,
): IndexModel[] {
  const sql = (key: string) => table.columns.find((c) => c.key === key)?.sqlName ?? key;
  const make: Make = (columns, unique, descending = []) => ({
    name: boundedIndexName(
      `${table.sqlName}_${columns.map((c) => (descending.includes(c) ? `${sql(c)}_desc` : sql(c))).join('_')}_${
        unique ? 'unique' : 'idx'
      }`,
    ),
    columns,
    unique,
  });
  const indexes: IndexModel[] = [];
  const orders = [[{ key: AUDIT_KEYS.createdAt, desc: true }], ...(defaultSort ? [sortKeys(defaultSort)] : [])];
  for (const order of orders) {
    const list = listIndex(table, firewall, order, make);
    if (list) indexes.push(list);
  }
  if (indexes.length === 0) {
    for (const p of firewall.predicates)
      if ('equals' in p)
        indexes.push(
          make(
            [p.column, ...(table.columns.some((c) => c.key === AUDIT_KEYS.deletedAt) ? [AUDIT_KEYS.deletedAt] : [])],
            false,
          ),
        );
  }
  for (const [key, spec] of Object.entries(resource.columns)) if (spec.index) indexes.push(make([key], false));
  for (const unique of resource.config.unique ?? []) indexes.push(make(unique.columns, true));
  const led = new Set(indexes.map((i) => i.columns[0]));
  // A scope column after the first (team of an organization) still leads one: RLS policies test each alone (rls/lint.ts).
  const scopes = firewall.predicates.flatMap((p) => ('equals' in p ? [p.column] : [])).filter((key) =>
    table.columns.some((c) => c.key === key)
  );
  for (const key of scopes) if (!led.has(key)) indexes.push(make([key], false));
  for (const column of table.columns)
    if (column.references && !column.primaryKey && !led.has(column.key) && !scopes.includes(column.key))
      indexes.push(make([column.key], false));
  const byName = new Map(indexes.map((i) => [i.name, i]));
  return [...byName.values()].sort((a, b) => (a.name < b.name ? -1 : 1));
}
