/**
 * @module compiler/migrate/renames
 * Declared renames (`compiler.migrations.renames`, SQL names) applied to the previous snapshot,
 * with the ALTER statements that perform them. A rename whose source is already gone was applied
 * by an earlier migration and is skipped; one whose target is not in the schema is an error.
 */
import { QuickbackError } from '../../shared/errors.js';
import { renameColumn, renameTable, type Snapshot } from './snapshot.js';

export interface Renames { tables: Record<string, string>; columns: Record<string, string> }

const CONFIG_AT = 'compiler.migrations.renames';

function fail(message: string, at: string, hint: string): never {
  throw new QuickbackError('QB_VALIDATE_RENAME', message, { file: 'quickback/quickback.config.ts', at, hint });
}

/** Mutates `prev`; returns the statements to run before the diff. */
export function applyRenames(prev: Snapshot, next: Snapshot, renames: Renames): string[] {
  const statements: string[] = [];
  for (const [from, to] of Object.entries(renames.tables).sort()) {
    if (!prev.tables[from]) continue;
    if (!next.tables[to]) fail(`Table rename "${from}" → "${to}": no table "${to}" in the schema`, `${CONFIG_AT}.tables.${from}`, 'The target is the new SQL table name of a feature.');
    if (prev.tables[to]) fail(`Table rename "${from}" → "${to}": a table "${to}" already exists`, `${CONFIG_AT}.tables.${from}`, 'Remove the rename, or drop the other table first.');
    renameTable(prev, from, to);
    statements.push(`ALTER TABLE \`${from}\` RENAME TO \`${to}\`;`);
  }
  for (const [key, to] of Object.entries(renames.columns).sort()) {
    const [tableName, from] = key.split('.');
    const table = prev.tables[renames.tables[tableName] ?? tableName] ? (renames.tables[tableName] ?? tableName) : tableName;
    if (!from || !prev.tables[table]?.columns[from]) continue;
    if (!next.tables[table]?.columns[to]) fail(`Column rename "${key}" → "${to}": no column "${to}" in table "${table}"`, `${CONFIG_AT}.columns.${key}`, 'The target is the new SQL column name.');
    if (prev.tables[table].columns[to]) fail(`Column rename "${key}" → "${to}": column "${to}" already exists`, `${CONFIG_AT}.columns.${key}`, 'Remove the rename.');
    renameColumn(prev, table, from, to);
    statements.push(`ALTER TABLE \`${table}\` RENAME COLUMN \`${from}\` TO \`${to}\`;`);
  }
  return statements;
}
