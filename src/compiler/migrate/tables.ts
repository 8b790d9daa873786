/**
 * @module compiler/migrate/tables
 * Real Drizzle sqlite-core tables, built in memory from the model through the same column plans
 * the schema printer uses, for drizzle-kit to snapshot. Nothing is imported from the user's app.
 */
import { sql } from 'drizzle-orm';
import { index, integer, real, sqliteTable, text, uniqueIndex, type AnySQLiteColumn, type SQLiteColumnBuilderBase } from 'drizzle-orm/sqlite-core';
import { columnPlan, type ChainCall, type ColumnPlan } from '../../emitters/drizzle-sqlite/columns.js';
import type { TableModel } from '../model/ir.js';

type Builder = any; // drizzle's builder types change with every chained call

type Built = Map<TableModel, Record<string, AnySQLiteColumn> & object>;

function start(plan: ColumnPlan): Builder {
  const config = plan.config ? { ...plan.config } : undefined;
  if (plan.builder === 'integer') return config ? integer(plan.sqlName, config as { mode: 'boolean' }) : integer(plan.sqlName);
  if (plan.builder === 'real') return real(plan.sqlName);
  return config ? text(plan.sqlName, config as { mode: 'json' }) : text(plan.sqlName);
}

function apply(builder: Builder, c: ChainCall, built: Built): Builder {
  switch (c.call) {
    case 'primaryKey': return c.autoIncrement ? builder.primaryKey({ autoIncrement: true }) : builder.primaryKey();
    case 'notNull': return builder.notNull();
    case 'unique': return builder.unique();
    case 'default': return builder.default(c.value);
    case 'defaultSql': return builder.default(sql.raw(c.sql));
    case '$defaultFn': return builder.$defaultFn(() => new Date());
    case '$onUpdate': return builder.$onUpdate(() => new Date());
    case 'references':
      return builder.references(() => (built.get(c.table) as Record<string, AnySQLiteColumn>)[c.column.key], c.onDelete ? { onDelete: c.onDelete } : {});
  }
}

/** `{ exportName: table }` for drizzle-kit's generateSQLiteDrizzleJson. */
export function buildSqliteTables(tables: readonly TableModel[], all: readonly TableModel[] = tables): Record<string, unknown> {
  const built: Built = new Map();
  const out: Record<string, unknown> = {};
  for (const model of tables) {
    const columns: Record<string, SQLiteColumnBuilderBase> = {};
    for (const column of model.columns) {
      const plan = columnPlan(column, all);
      columns[column.key] = plan.chain.reduce((b, c) => apply(b, c, built), start(plan));
    }
    const table = sqliteTable(model.sqlName, columns, (t: Record<string, AnySQLiteColumn>) => model.indexes.map((ix) => {
      const [first, ...rest] = ix.columns.map((key) => t[key]);
      return (ix.unique ? uniqueIndex(ix.name) : index(ix.name)).on(first, ...rest);
    }));
    built.set(model, table as unknown as Record<string, AnySQLiteColumn>);
    out[model.exportName] = table;
  }
  return out;
}
