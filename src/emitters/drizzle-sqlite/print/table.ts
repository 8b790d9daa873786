/**
 * @module emitters/drizzle-sqlite/print/table
 * One `export const x = sqliteTable("sql_name", { ... }, (table) => [indexes])` declaration.
 */
import type { TableModel } from '../../../compiler/model/ir.js';
import { columnPlan, type ChainCall, type ColumnPlan } from '../columns.js';

/** What a printed table needs imported. */
export interface TableImports { core: Set<string>; sql: boolean; tables: Set<TableModel> }

const IDENT = /^[A-Za-z_$][\w$]*$/;
const key = (name: string) => (IDENT.test(name) ? name : JSON.stringify(name));
const prop = (name: string) => (IDENT.test(name) ? `.${name}` : `[${JSON.stringify(name)}]`);

function call(c: ChainCall, self: TableModel, imports: TableImports): string {
  switch (c.call) {
    case 'primaryKey': return c.autoIncrement ? '.primaryKey({ autoIncrement: true })' : '.primaryKey()';
    case 'notNull': return '.notNull()';
    case 'unique': return '.unique()';
    case 'default': return `.default(${JSON.stringify(c.value)})`;
    case 'defaultSql':
      imports.sql = true;
      return `.default(sql\`${c.sql}\`)`;
    case '$defaultFn': return '.$defaultFn(() => /* @__PURE__ */ new Date())';
    case '$onUpdate': return '.$onUpdate(() => /* @__PURE__ */ new Date())';
    case 'references': {
      const options = c.onDelete ? `, { onDelete: ${JSON.stringify(c.onDelete)} }` : '';
      if (c.table === self) {
        imports.core.add('AnySQLiteColumn');
        return `.references((): AnySQLiteColumn => ${c.table.exportName}${prop(c.column.key)}${options})`;
      }
      imports.tables.add(c.table);
      return `.references(() => ${c.table.exportName}${prop(c.column.key)}${options})`;
    }
  }
}

function printColumn(plan: ColumnPlan, self: TableModel, imports: TableImports): string {
  imports.core.add(plan.builder);
  const config = plan.config ? `, ${printConfig(plan.config)}` : '';
  return `${plan.builder}(${JSON.stringify(plan.sqlName)}${config})${plan.chain.map((c) => call(c, self, imports)).join('')}`;
}

function printConfig(config: NonNullable<ColumnPlan['config']>): string {
  const parts: string[] = [];
  if (config.enum) parts.push(`enum: ${JSON.stringify(config.enum)}`);
  if (config.mode) parts.push(`mode: ${JSON.stringify(config.mode)}`);
  return `{ ${parts.join(', ')} }`;
}

function printIndexes(table: TableModel, imports: TableImports): string {
  if (table.indexes.length === 0) return '';
  const lines = table.indexes.map((index) => {
    const fn = index.unique ? 'uniqueIndex' : 'index';
    imports.core.add(fn);
    return `  ${fn}(${JSON.stringify(index.name)}).on(${index.columns.map((c) => `table${prop(c)}`).join(', ')}),`;
  });
  return `, (table) => [\n${lines.join('\n')}\n]`;
}

export function printTable(table: TableModel, tables: readonly TableModel[], imports: TableImports): string {
  imports.core.add('sqliteTable');
  const columns = table.columns.map((c) => `  ${key(c.key)}: ${printColumn(columnPlan(c, tables), table, imports)},`);
  return `export const ${table.exportName} = sqliteTable(${JSON.stringify(table.sqlName)}, {\n${columns.join('\n')}\n}${printIndexes(table, imports)});`;
}
