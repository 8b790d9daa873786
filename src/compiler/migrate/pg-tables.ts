/**
 * @module compiler/migrate/pg-tables
 * Real Drizzle pg-core tables, built in memory from the model through the pg column plans, for
 * drizzle-kit's PostgreSQL snapshot (`generateDrizzleJson`). Nothing is imported from the app.
 */
import { sql } from 'drizzle-orm';
import { boolean, doublePrecision, index, integer, jsonb, pgTable, serial, text, timestamp, uniqueIndex, type AnyPgColumn, type PgColumnBuilderBase } from 'drizzle-orm/pg-core';
import { pgColumnPlan, type PgColumnPlan } from '../../emitters/drizzle-pg/columns.js';
import type { ChainCall } from '../../emitters/drizzle-sqlite/columns.js';
import type { TableModel } from '../model/ir.js';

type Builder = any; // drizzle's builder types change with every chained call
type Built = Map<TableModel, Record<string, AnyPgColumn> & object>;

function start(plan: PgColumnPlan): Builder {
  switch (plan.builder) {
    case 'integer': return integer(plan.sqlName);
    case 'serial': return serial(plan.sqlName);
    case 'doublePrecision': return doublePrecision(plan.sqlName);
    case 'boolean': return boolean(plan.sqlName);
    case 'jsonb': return jsonb(plan.sqlName);
    case 'timestamp': return timestamp(plan.sqlName, { withTimezone: true, mode: 'date' });
    default: return plan.config?.enum ? text(plan.sqlName, { enum: plan.config.enum as [string, ...string[]] }) : text(plan.sqlName);
  }
}

function apply(builder: Builder, c: ChainCall, built: Built): Builder {
  switch (c.call) {
    case 'primaryKey': return builder.primaryKey();
    case 'notNull': return builder.notNull();
    case 'unique': return builder.unique();
    case 'default': return builder.default(c.value);
    case 'defaultSql': return builder.default(sql.raw(c.sql));
    case '$defaultFn': return builder.$defaultFn(() => new Date());
    case '$onUpdate': return builder.$onUpdate(() => new Date());
    case 'references':
      return builder.references(() => (built.get(c.table) as Record<string, AnyPgColumn>)[c.column.key], c.onDelete ? { onDelete: c.onDelete } : {});
  }
}

/** `{ exportName: table }` for drizzle-kit's generateDrizzleJson. */
export function buildPgTables(tables: readonly TableModel[], all: readonly TableModel[] = tables): Record<string, unknown> {
  const built: Built = new Map();
  const out: Record<string, unknown> = {};
  for (const model of tables) {
    const columns: Record<string, PgColumnBuilderBase> = {};
    for (const column of model.columns) {
      const plan = pgColumnPlan(column, all);
      columns[column.key] = plan.chain.reduce((b, c) => apply(b, c, built), start(plan));
    }
    const table = pgTable(model.sqlName, columns, (t: Record<string, AnyPgColumn>) => model.indexes.map((ix) => {
      const [first, ...rest] = ix.columns.map((key) => t[key]);
      return (ix.unique ? uniqueIndex(ix.name) : index(ix.name)).on(first, ...rest);
    }));
    built.set(model, table as unknown as Record<string, AnyPgColumn>);
    out[model.exportName] = table;
  }
  return out;
}
