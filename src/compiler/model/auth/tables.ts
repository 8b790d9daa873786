/**
 * @module compiler/model/auth/tables
 * Better Auth's tables for the enabled plugins, as TableModels named per the database options
 * (`usePlurals` for table names, `namingConvention` for column names). Property keys stay Better
 * Auth's field names, which is what its Drizzle adapter looks up.
 */
import type { AuthPlugin, ColumnModel, DatabaseName, IndexModel, TableModel } from '../ir.js';
import { columnName, plural } from '../naming.js';
import data from './better-auth-schema.json' with { type: 'json' };
import type { AuthField, AuthTables } from './normalize.js';

/** Fixed plugin order so the output never depends on the order the user listed them in. */
export const AUTH_PLUGIN_ORDER: AuthPlugin[] = [
  'organization',
  'teams',
  'apiKey',
  'admin',
  'anonymous',
  'upgradeAnonymous',
  'twoFactor',
  'deviceAuthorization',
  'magicLink',
  'emailOtp',
  'passkey',
  'jwt',
  'oauthProvider',
  'bearer',
  'openAPI',
];

/** Base tables plus each plugin's tables and extra fields, merged the way Better Auth merges them. */
export function mergeAuthTables(plugins: readonly AuthPlugin[]): AuthTables {
  const tables: AuthTables = structuredClone(data.base as AuthTables);
  for (const plugin of AUTH_PLUGIN_ORDER.filter((p) => plugins.includes(p))) {
    for (const [name, table] of Object.entries((data.plugins as Record<AuthPlugin, AuthTables>)[plugin])) {
      tables[name] = { fields: { ...tables[name]?.fields, ...structuredClone(table.fields) } };
    }
  }
  return tables;
}

const STORAGE: Record<string, ColumnModel['storage']> = {
  string: 'text',
  number: 'integer',
  boolean: 'boolean',
  date: 'timestamp_ms',
  json: 'json',
};

interface NamingOptions {
  usePlurals: boolean;
  namingConvention: 'camelCase' | 'snake_case';
  database: DatabaseName;
}

function column(
  key: string,
  field: AuthField,
  exportNameOf: (model: string) => string,
  naming: NamingOptions,
): ColumnModel {
  const model: ColumnModel = {
    key,
    sqlName: columnName(key, naming.namingConvention),
    storage: STORAGE[field.type] ?? 'text',
    notNull: field.required,
    unique: field.unique === true,
  };
  if (field.default?.kind === 'now') {
    model.default = { kind: 'now' };
    model.defaultFn = 'now-date';
  } else if (field.default) model.default = { kind: 'value', value: field.default.value };
  if (field.onUpdate === 'now') model.onUpdateFn = 'now-date';
  if (field.references) {
    model.references = { table: exportNameOf(field.references.model), column: field.references.field };
    if (field.references.onDelete)
      model.references.onDelete = field.references.onDelete as NonNullable<ColumnModel['references']>['onDelete'];
  }
  return model;
}

export function authTableModels(plugins: readonly AuthPlugin[], naming: NamingOptions): TableModel[] {
  const exportNameOf = (model: string) => (naming.usePlurals ? plural(model) : model);
  return Object.entries(mergeAuthTables(plugins)).map(([name, table]) => {
    const sqlName = exportNameOf(name);
    const columns: ColumnModel[] = [
      { key: 'id', sqlName: 'id', storage: 'text', primaryKey: true, notNull: true, unique: false },
      ...Object.entries(table.fields).map(([key, field]) => column(key, field, exportNameOf, naming)),
    ];
    const indexes: IndexModel[] = columns
      .filter((c) => table.fields[c.key]?.index)
      .map((c) => ({ name: `${sqlName}_${c.sqlName}_idx`, columns: [c.key], unique: false }))
      .sort((a, b) => (a.name < b.name ? -1 : 1));
    return { name, exportName: exportNameOf(name), sqlName, database: naming.database, columns, indexes };
  });
}
