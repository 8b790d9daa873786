/**
 * @module compiler/migrate/snapshot
 * drizzle-kit snapshots (SQLite and PostgreSQL) as plain data: deterministic ids, declared renames applied to the
 * previous snapshot, and the drop + add ambiguity drizzle-kit would prompt about, split out.
 */
import { createHash } from 'node:crypto';

export interface SnapshotColumn {
  name: string;
  [k: string]: unknown;
}
export interface SnapshotTable {
  name: string;
  columns: Record<string, SnapshotColumn>;
  indexes: Record<string, { name: string; columns: string[]; isUnique: boolean; where?: string }>;
  foreignKeys: Record<
    string,
    {
      name: string;
      tableFrom: string;
      tableTo: string;
      columnsFrom: string[];
      columnsTo: string[];
      onDelete?: string;
      onUpdate?: string;
    }
  >;
  [k: string]: unknown;
}
export interface Snapshot {
  version: string;
  dialect: string;
  id: string;
  prevId: string;
  tables: Record<string, SnapshotTable>;
  [k: string]: unknown;
}

export const ORIGIN_ID = '00000000-0000-0000-0000-000000000000';

export const clone = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

/** A UUID-shaped sha256 of the snapshot's tables and its parent, so ids are reproducible. */
export function snapshotId(tables: unknown, prevId: string): string {
  const h = createHash('sha256').update(prevId).update(JSON.stringify(tables)).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** `key`: the snapshot key of a SQL table name (`public.x` in PostgreSQL snapshots); foreign keys name tables bare. */
export function renameTable(
  snapshot: Snapshot,
  from: string,
  to: string,
  key: (name: string) => string = (n) => n,
): void {
  const table = snapshot.tables[key(from)];
  delete snapshot.tables[key(from)];
  snapshot.tables[key(to)] = { ...table, name: to };
  for (const t of Object.values(snapshot.tables)) {
    for (const fk of Object.values(t.foreignKeys)) {
      if (fk.tableFrom === from) fk.tableFrom = to;
      if (fk.tableTo === from) fk.tableTo = to;
    }
  }
}

/** PostgreSQL snapshots list index columns as `{ expression, ... }`, SQLite ones as names. */
type IndexColumn = string | { expression: string; [k: string]: unknown };

export function renameColumn(
  snapshot: Snapshot,
  tableName: string,
  from: string,
  to: string,
  key: (name: string) => string = (n) => n,
): void {
  const table = snapshot.tables[key(tableName)];
  const entries = Object.entries(table.columns).map(([k, c]) => (k === from ? [to, { ...c, name: to }] : [k, c]));
  table.columns = Object.fromEntries(entries);
  const renamed = (
    c: IndexColumn,
  ): IndexColumn => (typeof c === 'string'
    ? (c === from ? to : c)
    : c.expression === from
    ? { ...c, expression: to }
    : c);
  for (const ix of Object.values(table.indexes)) ix.columns = (ix.columns as IndexColumn[]).map(renamed) as string[];
  for (const unique of Object.values((table.uniqueConstraints ?? {}) as Record<string, { columns: string[] }>))
    unique.columns = unique.columns.map((c) => (c === from ? to : c));
  for (const t of Object.values(snapshot.tables)) {
    for (const fk of Object.values(t.foreignKeys)) {
      if (fk.tableFrom === tableName) fk.columnsFrom = fk.columnsFrom.map((c) => (c === from ? to : c));
      if (fk.tableTo === tableName) fk.columnsTo = fk.columnsTo.map((c) => (c === from ? to : c));
    }
  }
}

/**
 * drizzle-kit asks "renamed or dropped?" whenever one diff both removes and adds a table (or a
 * column of the same table). When that would happen, returns an intermediate snapshot: `next`
 * plus everything `prev` had that `next` dropped. prev → intermediate only adds and
 * intermediate → next only drops, so neither step is ambiguous. Undeclared renames are a drop
 * plus an add; declare renames in compiler.migrations.renames to keep the data.
 */
export function splitAmbiguity(prev: Snapshot, next: Snapshot): Snapshot | null {
  const droppedTables = Object.keys(prev.tables).filter((t) => !next.tables[t]);
  const addedTables = Object.keys(next.tables).filter((t) => !prev.tables[t]);
  let ambiguous = droppedTables.length > 0 && addedTables.length > 0;
  const middle = clone(next);
  for (const name of droppedTables) middle.tables[name] = clone(prev.tables[name]);
  for (const [name, table] of Object.entries(next.tables)) {
    const before = prev.tables[name];
    if (!before) continue;
    const dropped = Object.keys(before.columns).filter((c) => !table.columns[c]);
    const added = Object.keys(table.columns).filter((c) => !before.columns[c]);
    if (dropped.length > 0 && added.length > 0) ambiguous = true;
    for (const c of dropped) middle.tables[name].columns[c] = clone(before.columns[c]);
  }
  return ambiguous ? middle : null;
}
