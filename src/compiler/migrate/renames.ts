/**
 * @module compiler/migrate/renames
 * Declared renames (`compiler.migrations.renames`, SQL names) applied to the previous snapshot,
 * with the ALTER statements that perform them. A rename whose source is already gone was applied
 * by an earlier migration and is skipped; one whose target is not in the schema is an error.
 */
import { QuickbackError } from '../../shared/errors.js';
import type { DialectOps } from './dialects.js';
import { renameColumn, renameTable, type Snapshot } from './snapshot.js';

export interface Renames {
  tables: Record<string, string>;
  columns: Record<string, string>;
}

const CONFIG_AT = 'compiler.migrations.renames';

function fail(message: string, at: string, hint: string): never {
  throw new QuickbackError('QB_VALIDATE_RENAME', message, { file: 'quickback/quickback.config.ts', at, hint });
}

/** Mutates `prev`; returns the statements to run before the diff. */
export function applyRenames(
  prev: Snapshot,
  next: Snapshot,
  renames: Renames,
  dialect: Pick<DialectOps, 'key' | 'quote'>,
): string[] {
  const statements: string[] = [];
  const { key, quote } = dialect;
  const has = (snapshot: Snapshot, table: string) => snapshot.tables[key(table)] !== undefined;
  for (const [from, to] of Object.entries(renames.tables).sort()) {
    if (!has(prev, from)) continue;
    if (!has(next, to))
      fail(
        `Table rename "${from}" → "${to}": no table "${to}" in the schema`,
        `${CONFIG_AT}.tables.${from}`,
        'The target is the new SQL table name of a feature.',
      );
    if (has(prev, to))
      fail(
        `Table rename "${from}" → "${to}": a table "${to}" already exists`,
        `${CONFIG_AT}.tables.${from}`,
        'Remove the rename, or drop the other table first.',
      );
    renameTable(prev, from, to, key);
    statements.push(`ALTER TABLE ${quote(from)} RENAME TO ${quote(to)};`);
  }
  for (const [column, to] of Object.entries(renames.columns).sort()) {
    const [tableName, from] = column.split('.');
    const table = has(prev, renames.tables[tableName] ?? tableName)
      ? (renames.tables[tableName] ?? tableName)
      : tableName;
    if (!from || !prev.tables[key(table)]?.columns[from]) continue;
    if (!next.tables[key(table)]?.columns[to])
      fail(
        `Column rename "${column}" → "${to}": no column "${to}" in table "${table}"`,
        `${CONFIG_AT}.columns.${column}`,
        'The target is the new SQL column name.',
      );
    if (prev.tables[key(table)].columns[to])
      fail(
        `Column rename "${column}" → "${to}": column "${to}" already exists`,
        `${CONFIG_AT}.columns.${column}`,
        'Remove the rename.',
      );
    renameColumn(prev, table, from, to, key);
    statements.push(`ALTER TABLE ${quote(table)} RENAME COLUMN ${quote(from)} TO ${quote(to)};`);
  }
  return statements;
}
