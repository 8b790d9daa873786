/**
 * @module emitters/drizzle-sqlite/print/module
 * A schema module: the imports its tables need (drizzle-orm, sqlite-core, and the modules of
 * tables it references), then the tables.
 */
import type { TableModel } from '../../../compiler/model/ir.js';
import { importLine } from '../../print-utils.js';
import { printTable, SQLITE, type SchemaVocabulary, type TableImports } from './table.js';

/**
 * `tables`: the tables of this module; `all`: every table of the app; `moduleOf(table)`: the
 * import specifier of another table's module, relative to this one.
 */
export function printSchemaModule(
  tables: readonly TableModel[],
  all: readonly TableModel[],
  moduleOf: (table: TableModel) => string,
  vocabulary: SchemaVocabulary = SQLITE,
): string {
  const imports: TableImports = { core: new Set(), sql: false, tables: new Set() };
  const body = tables.map((t) => printTable(t, all, imports, vocabulary));
  const local = new Set(tables);
  const foreign = new Map<string, string[]>();
  for (const table of imports.tables) {
    if (local.has(table)) continue;
    const from = moduleOf(table);
    foreign.set(from, [...(foreign.get(from) ?? []), table.exportName]);
  }
  const typeOnly = imports.core.has(vocabulary.anyColumn);
  const values = [...imports.core].filter((n) => n !== vocabulary.anyColumn);
  const head = [
    imports.sql ? importLine(['sql'], 'drizzle-orm') : '',
    typeOnly ? importLine([vocabulary.anyColumn], vocabulary.coreModule, true) : '',
    importLine(values, vocabulary.coreModule),
    ...[...foreign.keys()].sort().map((from) => importLine(foreign.get(from)!, from)),
  ].filter(Boolean).join('\n');
  return `${head}\n\n${body.join('\n\n')}\n`;
}
