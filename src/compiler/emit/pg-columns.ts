/**
 * @module compiler/emit/pg-columns
 * How a ColumnModel becomes a Drizzle pg-core column (neon, supabase, any PostgreSQL): the
 * builder, its config and the chained calls, shared by the migration planner (real in-memory
 * tables) and the drizzle-pg emitter's schema printer, so the two can never disagree. Storage maps to
 * PostgreSQL types: text, integer (serial for database ids), double precision, boolean, jsonb,
 * and timestamptz for `timestamp_ms` (Better Auth's dates). Text timestamps keep the ISO-8601
 * form the SQLite targets store, so the API answers the same strings on every database.
 */
import type { ColumnModel, TableModel } from '../model/ir.js';
import { columnChain, defaultCallIn, type ChainCall } from './columns.js';

export type PgBuilderName = 'text' | 'integer' | 'serial' | 'doublePrecision' | 'boolean' | 'jsonb' | 'timestamp';

export interface PgColumnPlan {
  builder: PgBuilderName;
  sqlName: string;
  config?: { withTimezone?: true; mode?: 'date'; enum?: string[] };
  chain: ChainCall[];
}

/** ISO-8601 UTC with milliseconds, as `new Date().toISOString()` writes it. */
const PG_NOW_TEXT_SQL = `to_char(now() at time zone 'utc', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
const PG_NOW_SQL = 'now()';
const PG_TODAY_SQL = `to_char(current_date, 'YYYY-MM-DD')`;

function builderOf(column: ColumnModel): Pick<PgColumnPlan, 'builder' | 'config'> {
  switch (column.storage) {
    case 'integer':
      return { builder: column.primaryKey && column.autoIncrement ? 'serial' : 'integer' };
    case 'real':
      return { builder: 'doublePrecision' };
    case 'boolean':
      return { builder: 'boolean' };
    case 'json':
      return { builder: 'jsonb' };
    case 'timestamp_ms':
      return { builder: 'timestamp', config: { withTimezone: true, mode: 'date' } };
    default:
      return { builder: 'text', ...(column.enumValues ? { config: { enum: [...column.enumValues] } } : {}) };
  }
}

const defaultCall = defaultCallIn({
  nowText: PG_NOW_TEXT_SQL,
  nowTimestamp: PG_NOW_SQL,
  today: PG_TODAY_SQL,
  instant: (ms) => `to_timestamp(${ms / 1000})`,
});

export function pgColumnPlan(column: ColumnModel, tables: readonly TableModel[]): PgColumnPlan {
  return { ...builderOf(column), sqlName: column.sqlName, chain: columnChain(column, tables, defaultCall, false) };
}
