/**
 * @module compiler/migrate/tables
 * Real Drizzle tables, built in memory from the model through the same column plans the schema
 * printer uses, for drizzle-kit to snapshot: sqlite-core here, pg-core in pg-tables.ts, one
 * builder for both. Nothing is imported from the user's app.
 */
import { sql } from 'drizzle-orm';
import { index, integer, real, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { columnPlan, type ChainCall, type ColumnPlan, type PrintablePlan } from '../emit/columns.js';
import type { ColumnModel, TableModel } from '../model/ir.js';

type Builder = any; // drizzle's builder types change with every chained call
type Columns = Record<string, Builder>;

/** One dialect's Drizzle functions, as the builder needs them. */
export interface TableKit<P extends PrintablePlan> {
  plan(column: ColumnModel, tables: readonly TableModel[]): P;
  start(plan: P): Builder;
  table(name: string, columns: Columns, extra: (t: Columns) => unknown[]): unknown;
  index(name: string): Builder;
  uniqueIndex(name: string): Builder;
  /** An index column stored descending, as the schema printer writes it (SchemaVocabulary.descending). */
  descending(column: Builder): Builder;
}

function apply(builder: Builder, c: ChainCall, built: Map<TableModel, Columns>): Builder {
  switch (c.call) {
    case 'primaryKey':
      return c.autoIncrement ? builder.primaryKey({ autoIncrement: true }) : builder.primaryKey();
    case 'notNull':
      return builder.notNull();
    case 'unique':
      return builder.unique();
    case 'default':
      return builder.default(c.value);
    case 'defaultSql':
      return builder.default(sql.raw(c.sql));
    case '$defaultFn':
      return builder.$defaultFn(() => new Date());
    case '$onUpdate':
      return builder.$onUpdate(() => new Date());
    case 'references':
      return builder.references(() => built.get(c.table)![c.column.key], c.onDelete ? { onDelete: c.onDelete } : {});
  }
}

/** `{ exportName: table }` for drizzle-kit's snapshot functions. */
export function buildTables<P extends PrintablePlan>(
  kit: TableKit<P>,
  tables: readonly TableModel[],
  all: readonly TableModel[] = tables,
): Record<string, unknown> {
  const built = new Map<TableModel, Columns>();
  const out: Record<string, unknown> = {};
  for (const model of tables) {
    const columns: Columns = {};
    for (const column of model.columns) {
      const plan = kit.plan(column, all);
      columns[column.key] = plan.chain.reduce((b, c) => apply(b, c, built), kit.start(plan));
    }
    const table = kit.table(model.sqlName, columns, (t) => model.indexes.map((ix) => {
      const [first, ...rest] = ix.columns.map((
        key,
      ) => (ix.descending?.includes(key) ? kit.descending(t[key]) : t[key]));
      const built = (ix.unique ? kit.uniqueIndex(ix.name) : kit.index(ix.name)).on(first, ...rest);
      return ix.whereNull?.length
        ? built.where(sql.join(ix.whereNull.map((key) => sql`${t[key]} is null`), sql` and `))
        : built;
    }));
    built.set(model, table as Columns);
    out[model.exportName] = table;
  }
  return out;
}

const SQLITE_KIT: TableKit<ColumnPlan> = {
  plan: columnPlan,
  start(plan) {
    const config = plan.config ? { ...plan.config } : undefined;
    if (plan.builder === 'integer')
      return config ? integer(plan.sqlName, config as { mode: 'boolean' }) : integer(plan.sqlName);
    if (plan.builder === 'real') return real(plan.sqlName);
    return config ? text(plan.sqlName, config as { mode: 'json' }) : text(plan.sqlName);
  },
  table: (name, columns, extra) => sqliteTable(name, columns, extra as never),
  index,
  uniqueIndex,
  descending: (column) => sql`${column} desc`,
};

/** `{ exportName: table }` for drizzle-kit's generateSQLiteDrizzleJson. */
export function buildSqliteTables(
  tables: readonly TableModel[],
  all: readonly TableModel[] = tables,
): Record<string, unknown> {
  return buildTables(SQLITE_KIT, tables, all);
}
