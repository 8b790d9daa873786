/**
 * @module emitters/drizzle-sqlite/print/module
 * A schema module: the imports its tables need (drizzle-orm, sqlite-core, and the modules of
 * tables it references), then the tables.
 */
import type { TableModel } from '../../../compiler/model/ir.js';
import { importLine } from '../../print-utils.js';
import { printTable, type TableImports } from './table.js';

/**
 * `tables`: the tables of this module; `all`: every table of the app; `moduleOf(table)`: the
 * import specifier of another table's module, relative to this one.
 */
export function printSchemaModule(tables: readonly TableModel[], all: readonly TableModel[], moduleOf: (table: TableModel) => string): string {
  const imports: TableImports = { core: new Set(), sql: false, tables: new Set() };
  const body = tables.map((t) => printTable(t, all, imports));
  const local = new Set(tables);
  const foreign = new Map<string, string[]>();
  for (const table of imports.tables) {
    if (local.has(table)) continue;
    const from = moduleOf(table);
    foreign.set(from, [...(foreign.get(from) ?? []), table.exportName]);
  }
  const typeOnly = imports.core.has('AnySQLiteColumn');
  const values = [...imports.core].filter((n) => n !== 'AnySQLiteColumn');
  const head = [
    imports.sql ? importLine(['sql'], 'drizzle-orm') : '',
    typeOnly ? importLine(['AnySQLiteColumn'], 'drizzle-orm/sqlite-core', true) : '',
    importLine(values, 'drizzle-orm/sqlite-core'),
    ...[...foreign.keys()].sort().map((from) => importLine(foreign.get(from)!, from)),
  ].filter(Boolean).join('\n');
  return `${head}\n\n${body.join('\n\n')}\n`;
}
