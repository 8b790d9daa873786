/**
 * @module compiler/emit/columns
 * One description of how a ColumnModel becomes a Drizzle sqlite-core column: the builder, its
 * config and the chained calls. The drizzle-sqlite emitter's printer turns it into source text and
 * the migration planner (compiler/migrate/tables.ts) into real in-memory tables, so the schema
 * files and the migrations can never disagree (pg-columns.ts: the same for pg-core).
 *
 * Storage → column: text `text("x")` (`{ enum: [...] }` with enum values), integer `integer("x")`,
 * real `real("x")`, boolean `integer("x", { mode: "boolean" })`, json `text("x", { mode: "json" })`,
 * timestamp_ms `integer("x", { mode: "timestamp_ms" })`. Defaults: literal values; `now` as ISO
 * text or epoch ms SQL; `today` as `date('now')`; Better Auth's JS defaults as `$defaultFn` /
 * `$onUpdate`.
 */
import type { ColumnModel, TableModel } from '../model/ir.js';

export type BuilderName = 'text' | 'integer' | 'real';

export type ChainCall =
  | { call: 'primaryKey'; autoIncrement: boolean }
  | { call: 'notNull' }
  | { call: 'unique' }
  | { call: 'default'; value: unknown }
  | { call: 'defaultSql'; sql: string }
  | { call: '$defaultFn' | '$onUpdate'; fn: 'now-date' }
  | {
    call: 'references';
    table: TableModel;
    column: ColumnModel;
    onDelete?: NonNullable<ColumnModel['references']>['onDelete'];
  };

export interface ColumnPlan {
  builder: BuilderName;
  sqlName: string;
  config?: { mode?: 'boolean' | 'json' | 'timestamp_ms'; enum?: string[] };
  chain: ChainCall[];
}

/** A column plan of either dialect (this one or pg-columns.ts): the builder, its config and the chained calls. */
export interface PrintablePlan {
  builder: string;
  sqlName: string;
  config?: Record<string, unknown>;
  chain: ChainCall[];
}

export const NOW_TEXT_SQL = "(strftime('%Y-%m-%dT%H:%M:%fZ','now'))";
export const NOW_MS_SQL = "(cast(unixepoch('subsecond') * 1000 as integer))";
export const TODAY_SQL = "(date('now'))";

function builderOf(column: ColumnModel): Pick<ColumnPlan, 'builder' | 'config'> {
  switch (column.storage) {
    case 'integer':
      return { builder: 'integer' };
    case 'real':
      return { builder: 'real' };
    case 'boolean':
      return { builder: 'integer', config: { mode: 'boolean' } };
    case 'json':
      return { builder: 'text', config: { mode: 'json' } };
    case 'timestamp_ms':
      return { builder: 'integer', config: { mode: 'timestamp_ms' } };
    default:
      return { builder: 'text', ...(column.enumValues ? { config: { enum: [...column.enumValues] } } : {}) };
  }
}

/** A dialect's SQL for the defaults the model knows: now (as ISO text, as a timestamp), today, a fixed instant. */
export interface DefaultSql {
  nowText: string;
  nowTimestamp: string;
  today: string;
  instant(ms: number): string;
}

/** The default call of a column, in a dialect's SQL. */
export function defaultCallIn(dialect: DefaultSql) {
  return (column: ColumnModel): ChainCall | undefined => {
    const d = column.default;
    if (!d) return undefined;
    if (d.kind === 'now')
      return { call: 'defaultSql', sql: column.storage === 'timestamp_ms' ? dialect.nowTimestamp : dialect.nowText };
    if (d.kind === 'today') return { call: 'defaultSql', sql: dialect.today };
    if (d.kind === 'json') return { call: 'default', value: d.value };
    if (d.value === null) return undefined;
    if (column.storage === 'timestamp_ms' && typeof d.value === 'number')
      return { call: 'defaultSql', sql: dialect.instant(d.value) };
    return { call: 'default', value: d.value };
  };
}

const defaultCall = defaultCallIn({
  nowText: NOW_TEXT_SQL,
  nowTimestamp: NOW_MS_SQL,
  today: TODAY_SQL,
  instant: String,
});

/** Finds the table and column a reference points at (by export name or logical name, then key). */
export function resolveReference(
  column: ColumnModel,
  tables: readonly TableModel[],
): { table: TableModel; column: ColumnModel } | undefined {
  const ref = column.references;
  if (!ref) return undefined;
  const table = tables.find((t) => t.exportName === ref.table)
    ?? tables.find((t) => t.name === ref.table || t.sqlName === ref.table);
  const target = table?.columns.find((c) => c.key === ref.column)
    ?? table?.columns.find((c) => c.sqlName === ref.column);
  return table && target ? { table, column: target } : undefined;
}

/**
 * The chained calls of a column in either dialect: primary key, not null, unique, the default
 * (`defaultOf`, dialect SQL), Better Auth's JS-side defaults, the reference. `autoIncrement`:
 * whether the dialect spells database ids as a primary-key option (SQLite) or a type (serial).
 */
export function columnChain(
  column: ColumnModel,
  tables: readonly TableModel[],
  defaultOf: (column: ColumnModel) => ChainCall | undefined,
  autoIncrement: boolean,
): ChainCall[] {
  const chain: ChainCall[] = [];
  if (column.primaryKey)
    chain.push({ call: 'primaryKey', autoIncrement: autoIncrement && column.autoIncrement === true });
  if (column.notNull && !column.primaryKey) chain.push({ call: 'notNull' });
  if (column.unique) chain.push({ call: 'unique' });
  const def = defaultOf(column);
  if (def) chain.push(def);
  if (column.defaultFn) chain.push({ call: '$defaultFn', fn: column.defaultFn });
  if (column.onUpdateFn) chain.push({ call: '$onUpdate', fn: column.onUpdateFn });
  const target = resolveReference(column, tables);
  if (target)
    chain.push({
      call: 'references',
      ...target,
      ...(column.references?.onDelete ? { onDelete: column.references.onDelete } : {}),
    });
  return chain;
}

export function columnPlan(column: ColumnModel, tables: readonly TableModel[]): ColumnPlan {
  return { ...builderOf(column), sqlName: column.sqlName, chain: columnChain(column, tables, defaultCall, true) };
}
