/**
 * @module compiler/load/definitions
 * Turns a loaded module's exports into ResourceInput / ActionsInput, whichever authoring form
 * they use: `feature()`, `q.table()` + `defineTable()`, a Drizzle table + `defineTable()`, or a
 * file exporting only a table (an internal table).
 */
import { isColumnBuilder } from '../../dsl/columns/builder.js';
import type { ColumnSpec } from '../../dsl/columns/spec.js';
import type { Feature, ResourceSpec, TableDefinition } from '../../dsl/feature.js';
import type { ActionsDefinition } from '../../dsl/actions.js';
import type { QTable } from '../../dsl/columns/q.js';
import { kindOf } from '../../dsl/kind.js';
import { error, warning, type Diagnostic } from '../../shared/diagnostics.js';
import { drizzleTableName, isDrizzleTable, readDrizzleTable } from './drizzle-table.js';
import type { ActionsInput, ResourceInput } from './types.js';

export interface FileDefinitions {
  resources: ResourceInput[];
  actions: ActionsInput[];
  diagnostics: Diagnostic[];
}
interface Where {
  file: string;
  featureDir: string;
}

function columnSpecs(
  name: string,
  columns: unknown,
  where: Where,
  diagnostics: Diagnostic[],
): Record<string, ColumnSpec> {
  const specs: Record<string, ColumnSpec> = {};
  if (typeof columns !== 'object' || columns === null) {
    diagnostics.push(
      error('QB_VALIDATE_MISSING_OPTION', `"${name}" has no columns object`, {
        file: where.file,
        at: `features.${name}.columns`,
        hint: 'Example: columns: { id: q.id(), title: q.text().required() }',
      }),
    );
    return specs;
  }
  for (const [key, value] of Object.entries(columns)) {
    const at = `features.${name}.columns.${key}`;
    if (!isColumnBuilder(value)) {
      diagnostics.push(
        error('QB_DSL_INVALID_ARGUMENT', `Column "${key}" is not a q.* column`, {
          file: where.file,
          at,
          hint: 'Use a column builder such as q.text() or q.integer().',
        }),
      );
      continue;
    }
    const spec = value.toSpec();
    for (const problem of spec.problems ?? [])
      diagnostics.push(error(problem.code, problem.message, { file: where.file, at, hint: problem.hint }));
    specs[key] = spec;
  }
  return specs;
}

function fromFeature(value: Feature, where: Where, diagnostics: Diagnostic[]): ResourceInput {
  const { columns, ...config } = value.spec;
  return {
    name: value.name,
    ...where,
    form: 'feature',
    columns: columnSpecs(value.name, columns, where, diagnostics),
    config,
    internal: config.internal === true,
  };
}

function fromTable(
  table: unknown,
  config: ResourceSpec,
  internal: boolean,
  where: Where,
  diagnostics: Diagnostic[],
): ResourceInput | undefined {
  if (kindOf(table) === 'qtable') {
    const q = table as QTable;
    return {
      name: q.name,
      ...where,
      form: 'qtable',
      columns: columnSpecs(q.name, q.columns, where, diagnostics),
      config,
      internal,
    };
  }
  if (isDrizzleTable(table)) return readDrizzleTable(table, { ...where, config, internal }, diagnostics);
  return undefined;
}

function tableName(table: unknown): string | null {
  if (kindOf(table) === 'qtable') return (table as QTable).name;
  if (kindOf(table) === 'feature') return (table as Feature).name;
  if (isDrizzleTable(table)) return drizzleTableName(table);
  return null;
}

export function collectDefinitions(exports: Record<string, unknown>, where: Where): FileDefinitions {
  const out: FileDefinitions = { resources: [], actions: [], diagnostics: [] };
  const claimedTables = new Set<unknown>();
  const names = Object.keys(exports).sort((a, b) => (a === 'default' ? -1 : b === 'default' ? 1 : a < b ? -1 : 1));
  for (const name of names) {
    const value = exports[name];
    const kind = kindOf(value);
    if (kind === 'feature') out.resources.push(fromFeature(value as Feature, where, out.diagnostics));
    else if (kind === 'table-definition') {
      const def = value as TableDefinition;
      claimedTables.add(def.table);
      const resource = fromTable(def.table, def.config, def.config.internal === true, where, out.diagnostics);
      if (resource) out.resources.push(resource);
      else
        out.diagnostics.push(
          error('QB_LOAD_NOT_A_FEATURE', `defineTable() in export "${name}" was given something that is not a table`, {
            file: where.file,
            hint: 'Pass q.table(...) or a Drizzle sqliteTable(...).',
          }),
        );
    } else if (kind === 'actions') {
      const def = value as ActionsDefinition;
      out.actions.push({ ...where, table: tableName(def.table), actions: def.actions });
    } else if (name === 'default' && kind !== 'qtable' && !isDrizzleTable(value)) {
      out.diagnostics.push(
        error('QB_LOAD_NOT_A_FEATURE', 'The default export is not a definition', {
          file: where.file,
          hint: 'Default-export feature(...), defineTable(...) or defineActions(...).',
        }),
      );
    }
  }
  for (const name of names) {
    const value = exports[name];
    if (claimedTables.has(value) || (kindOf(value) !== 'qtable' && !isDrizzleTable(value))) continue;
    const resource = fromTable(value, {}, true, where, out.diagnostics);
    if (resource) out.resources.push(resource);
  }
  if (out.resources.length === 0 && out.actions.length === 0 && out.diagnostics.length === 0) {
    out.diagnostics.push(
      warning('QB_LOAD_NO_DEFINITION', 'This file exports no definition and was skipped', {
        file: where.file,
        hint: 'Feature files default-export feature(...) or defineTable(...).',
      }),
    );
  }
  return out;
}
