/**
 * @module compiler/migrate/pg-tables
 * Real Drizzle pg-core tables, built in memory from the model through the pg column plans (the
 * shared builder of tables.ts), for drizzle-kit's PostgreSQL snapshot (`generateDrizzleJson`).
 */
import {
  boolean,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgTable,
  serial,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import { pgColumnPlan, type PgColumnPlan } from '../emit/pg-columns.js';
import type { TableModel } from '../model/ir.js';
import { buildTables, type TableKit } from './tables.js';

const PG_KIT: TableKit<PgColumnPlan> = {
  plan: pgColumnPlan,
  start(plan) {
    switch (plan.builder) {
      case 'integer':
        return integer(plan.sqlName);
      case 'serial':
        return serial(plan.sqlName);
      case 'doublePrecision':
        return doublePrecision(plan.sqlName);
      case 'boolean':
        return boolean(plan.sqlName);
      case 'jsonb':
        return jsonb(plan.sqlName);
      case 'timestamp':
        return timestamp(plan.sqlName, { withTimezone: true, mode: 'date' });
      default:
        return plan.config?.enum
          ? text(plan.sqlName, { enum: plan.config.enum as [string, ...string[]] })
          : text(plan.sqlName);
    }
  },
  table: (name, columns, extra) => pgTable(name, columns, extra as never),
  index,
  uniqueIndex,
  descending: (column) => column.desc().nullsFirst(),
};

/** `{ exportName: table }` for drizzle-kit's generateDrizzleJson. */
export function buildPgTables(
  tables: readonly TableModel[],
  all: readonly TableModel[] = tables,
): Record<string, unknown> {
  return buildTables(PG_KIT, tables, all);
}
