/**
 * @module compiler/load/drizzle-table
 * Reads a Drizzle `sqliteTable()` into the uniform ResourceInput column shape. The user's SQL
 * names and storage modes are kept as-is; only what the compiler can re-emit faithfully is
 * accepted, anything else is reported.
 */
import { createRequire } from 'node:module';
import type { SQLiteTable } from 'drizzle-orm/sqlite-core';
import type { ColumnSpec, ColumnType } from '../../dsl/columns/spec.js';
import { error, type Diagnostic } from '../../shared/diagnostics.js';
import type { ColumnStorage } from '../model/ir.js';
import type { ResourceInput } from './types.js';

/**
 * drizzle-orm (~60 ms to load) is loaded only when a definition holds a Drizzle table: every
 * Drizzle table carries the global `drizzle:IsDrizzleTable` symbol, so the check needs no import.
 */
const nodeRequire = createRequire(import.meta.url);
const drizzle = () => ({
  ...(nodeRequire('drizzle-orm') as typeof import('drizzle-orm')),
  ...(nodeRequire('drizzle-orm/sqlite-core') as typeof import('drizzle-orm/sqlite-core')),
});

export function isDrizzleTable(value: unknown): value is SQLiteTable {
  if (typeof value !== 'object' || value === null || !(Symbol.for('drizzle:IsDrizzleTable') in value)) return false;
  const { is, SQLiteTable: Table } = drizzle();
  return is(value, Table);
}

export function drizzleTableName(table: SQLiteTable): string {
  return drizzle().getTableConfig(table).name;
}

interface ColumnLike {
  name: string;
  columnType: string;
  primary: boolean;
  notNull: boolean;
  isUnique: boolean;
  hasDefault: boolean;
  default: unknown;
  enumValues?: readonly string[];
  autoIncrement?: boolean;
  mode?: string;
}

const STORAGE: Record<string, { storage: ColumnStorage; type: ColumnType }> = {
  SQLiteText: { storage: 'text', type: 'text' },
  SQLiteTextJson: { storage: 'json', type: 'json' },
  SQLiteInteger: { storage: 'integer', type: 'integer' },
  SQLiteBoolean: { storage: 'boolean', type: 'boolean' },
  SQLiteReal: { storage: 'real', type: 'number' },
  SQLiteTimestamp: { storage: 'timestamp_ms', type: 'timestamp' },
};

function columnSpec(
  key: string,
  column: ColumnLike,
  at: string,
  file: string,
  diagnostics: Diagnostic[],
): { spec: ColumnSpec; storage: ColumnStorage } | undefined {
  const mapped = STORAGE[column.columnType];
  if (!mapped || (column.columnType === 'SQLiteTimestamp' && column.mode !== 'timestamp_ms')) {
    diagnostics.push(
      error(
        'QB_VALIDATE_NOT_SUPPORTED',
        `Column "${key}" uses ${column.columnType}${
          column.mode ? ` (mode "${column.mode}")` : ''
        }, which is not supported yet`,
        {
          file,
          at,
          hint:
            'Use text, integer, real, integer({ mode: "boolean" }), integer({ mode: "timestamp_ms" }) or text({ mode: "json" }).',
        },
      ),
    );
    return undefined;
  }
  const isEnum = mapped.type === 'text' && Array.isArray(column.enumValues) && column.enumValues.length > 0;
  const spec: ColumnSpec = {
    type: column.primary ? 'id' : isEnum ? 'enum' : mapped.type,
    enumValues: isEnum ? [...column.enumValues!] : undefined,
    required: column.notNull ? true : undefined,
    unique: column.isUnique || undefined,
  };
  if (column.hasDefault && column.default !== undefined) {
    if (
      typeof column.default === 'object' && column.default !== null && !Array.isArray(column.default)
      && mapped.storage !== 'json'
    ) {
      diagnostics.push(
        error(
          'QB_VALIDATE_NOT_SUPPORTED',
          `Column "${key}" has an SQL default, which is not supported yet on the defineTable path`,
          { file, at, hint: 'Use a literal .default(value), or the feature() form with .defaultNow().' },
        ),
      );
    } else {
      spec.default = { value: column.default };
    }
  }
  return { spec, storage: mapped.storage };
}

/** Columns, SQL names and single-column foreign keys of a Drizzle table. */
export function readDrizzleTable(
  table: SQLiteTable,
  base: Pick<ResourceInput, 'file' | 'featureDir' | 'config' | 'internal'>,
  diagnostics: Diagnostic[],
): ResourceInput {
  const { getTableColumns, getTableConfig } = drizzle();
  const config = getTableConfig(table);
  const columns: ResourceInput['columns'] = {};
  const drizzleColumns: NonNullable<ResourceInput['drizzle']>['columns'] = {};
  const byColumn = new Map<unknown, string>();
  for (const [key, column] of Object.entries(getTableColumns(table))) {
    byColumn.set(column, key);
    const c = column as unknown as ColumnLike;
    const mapped = columnSpec(key, c, `features.${config.name}.columns.${key}`, base.file, diagnostics);
    if (!mapped) continue;
    columns[key] = mapped.spec;
    drizzleColumns[key] = {
      sqlName: c.name,
      storage: mapped.storage,
      primaryKey: c.primary,
      autoIncrement: Boolean(c.autoIncrement),
      notNull: c.notNull,
    };
  }
  for (const fk of config.foreignKeys) {
    const reference = fk.reference();
    if (reference.columns.length !== 1) continue;
    const key = byColumn.get(reference.columns[0]);
    const foreign = getTableConfig(reference.foreignTable);
    const foreignKey =
      Object.entries(getTableColumns(reference.foreignTable)).find(([, col]) => col === reference.foreignColumns[0])
        ?.[0] ?? 'id';
    if (key && columns[key])
      columns[key] = {
        ...columns[key],
        references: { target: `${foreign.name}.${foreignKey}`, onDelete: fk.onDelete },
      };
  }
  return {
    ...base,
    name: config.name,
    form: 'drizzle',
    columns,
    drizzle: { table: config.name, columns: drizzleColumns },
  };
}
