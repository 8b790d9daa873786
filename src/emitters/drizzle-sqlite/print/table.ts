/**
 * @module emitters/drizzle-sqlite/print/table
 * One `export const x = sqliteTable("sql_name", { ... }, (table) => [indexes])` declaration, or
 * `pgTable(...)` with the PostgreSQL vocabulary (emitters/drizzle-pg): the same printer, so the
 * two dialects' schema files differ only in their builders.
 */
import type { ColumnModel, IndexModel, TableModel } from '../../../compiler/model/ir.js';
import { columnPlan, type ChainCall, type PrintablePlan } from '../../../compiler/emit/columns.js';

/** What a printed table needs imported. */
export interface TableImports {
  core: Set<string>;
  sql: boolean;
  tables: Set<TableModel>;
}

/** The names one dialect's schema modules use. */
export interface SchemaVocabulary {
  tableFn: string;
  coreModule: string;
  /** Type of a column in a self-reference thunk. */
  anyColumn: string;
  plan(column: ColumnModel, tables: readonly TableModel[]): PrintablePlan;
  /** An index column stored descending: sqlite-core takes SQL, pg-core a column's `.desc()` (NULLS FIRST, as ORDER BY … DESC). */
  descending(ref: string, imports: TableImports): string;
}

export const SQLITE: SchemaVocabulary = {
  tableFn: 'sqliteTable',
  coreModule: 'drizzle-orm/sqlite-core',
  anyColumn: 'AnySQLiteColumn',
  plan: columnPlan,
  descending(ref, imports) {
    imports.sql = true;
    return `sql\`\${${ref}} desc\``;
  },
};

const IDENT = /^[A-Za-z_$][\w$]*$/;
const key = (name: string) => (IDENT.test(name) ? name : JSON.stringify(name));
const prop = (name: string) => (IDENT.test(name) ? `.${name}` : `[${JSON.stringify(name)}]`);

function call(c: ChainCall, self: TableModel, imports: TableImports, vocabulary: SchemaVocabulary): string {
  switch (c.call) {
    case 'primaryKey':
      return c.autoIncrement ? '.primaryKey({ autoIncrement: true })' : '.primaryKey()';
    case 'notNull':
      return '.notNull()';
    case 'unique':
      return '.unique()';
    case 'default':
      return `.default(${JSON.stringify(c.value)})`;
    case 'defaultSql':
      imports.sql = true;
      return `.default(sql\`${c.sql}\`)`;
    case '$defaultFn':
      return '.$defaultFn(() => /* @__PURE__ */ new Date())';
    case '$onUpdate':
      return '.$onUpdate(() => /* @__PURE__ */ new Date())';
    case 'references': {
      const options = c.onDelete ? `, { onDelete: ${JSON.stringify(c.onDelete)} }` : '';
      if (c.table === self) {
        imports.core.add(vocabulary.anyColumn);
        return `.references((): ${vocabulary.anyColumn} => ${c.table.exportName}${prop(c.column.key)}${options})`;
      }
      imports.tables.add(c.table);
      return `.references(() => ${c.table.exportName}${prop(c.column.key)}${options})`;
    }
  }
}

function printColumn(
  plan: PrintablePlan,
  self: TableModel,
  imports: TableImports,
  vocabulary: SchemaVocabulary,
): string {
  imports.core.add(plan.builder);
  const config = plan.config ? `, ${printConfig(plan.config)}` : '';
  return `${plan.builder}(${JSON.stringify(plan.sqlName)}${config})${
    plan.chain.map((c) => call(c, self, imports, vocabulary)).join('')
  }`;
}

/** `{ enum: [...], mode: "json" }`: the config's keys in the order the plan set them. */
function printConfig(config: Record<string, unknown>): string {
  return `{ ${Object.entries(config).map(([k, v]) => `${k}: ${JSON.stringify(v)}`).join(', ')} }`;
}

/** `.where(sql\`${table.deletedAt} is null\`)` of a partial index. */
function printWhere(index: IndexModel, imports: TableImports): string {
  if (!index.whereNull?.length) return '';
  imports.sql = true;
  return `.where(sql\`${index.whereNull.map((c) => `\${table${prop(c)}} is null`).join(' and ')}\`)`;
}

function printIndexes(table: TableModel, imports: TableImports, vocabulary: SchemaVocabulary): string {
  if (table.indexes.length === 0) return '';
  const lines = table.indexes.map((index) => {
    const fn = index.unique ? 'uniqueIndex' : 'index';
    imports.core.add(fn);
    const columns = index.columns.map((
      c,
    ) => (index.descending?.includes(c) ? vocabulary.descending(`table${prop(c)}`, imports) : `table${prop(c)}`));
    return `  ${fn}(${JSON.stringify(index.name)}).on(${columns.join(', ')})${printWhere(index, imports)},`;
  });
  return `, (table) => [\n${lines.join('\n')}\n]`;
}

export function printTable(
  table: TableModel,
  tables: readonly TableModel[],
  imports: TableImports,
  vocabulary: SchemaVocabulary = SQLITE,
): string {
  imports.core.add(vocabulary.tableFn);
  const columns = table.columns.map((c) =>
    `  ${key(c.key)}: ${printColumn(vocabulary.plan(c, tables), table, imports, vocabulary)},`
  );
  return `export const ${table.exportName} = ${vocabulary.tableFn}(${JSON.stringify(table.sqlName)}, {\n${
    columns.join('\n')
  }\n}${printIndexes(table, imports, vocabulary)});`;
}
