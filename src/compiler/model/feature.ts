/**
 * @module compiler/model/feature
 * One ResourceInput → FeatureModel: table, API fields, id strategy, firewall, access, delete mode.
 */
import type { ResourceInput } from '../load/types.js';
import { accessModels, operationSpec } from './access.js';
import { AUDIT_KEYS, columnModels, fieldModels, type ColumnContext } from './columns.js';
import { deriveFirewall } from './firewall.js';
import { batchModel, guardsModel, putEnabled } from './guards.js';
import { maskingModel } from './masking.js';
import { viewModels } from './views.js';
import { tableRealtime } from './realtime.js';
import { tableWebhooks } from './webhooks.js';
import type { DatabaseModel, FeatureModel, IndexModel, TableModel } from './ir.js';
import { columnName, idPrefix, kebabCase } from './naming.js';

export interface FeatureContext {
  db: DatabaseModel;
  /** The project's realtime is on (tables opt in). */
  realtime: boolean;
  /** The project's webhooks are on (tables opt in). */
  webhooks: boolean;
  roleHierarchy: string[];
  database: TableModel['database'];
  resolveReference: ColumnContext['resolveReference'];
}

function indexModels(resource: ResourceInput, table: Omit<TableModel, 'indexes'>, scope: FeatureModel['scope']): IndexModel[] {
  const sql = (key: string) => table.columns.find((c) => c.key === key)?.sqlName ?? key;
  const make = (columns: string[], unique: boolean): IndexModel => ({
    name: `${table.sqlName}_${columns.map(sql).join('_')}_${unique ? 'unique' : 'idx'}`, columns, unique,
  });
  const indexes: IndexModel[] = [];
  for (const column of [scope.organization, scope.owner, scope.team]) if (column) indexes.push(make([column, AUDIT_KEYS.deletedAt], false));
  if (table.columns.some((c) => c.key === AUDIT_KEYS.createdAt)) indexes.push(make([AUDIT_KEYS.createdAt], false));
  for (const [key, spec] of Object.entries(resource.columns)) if (spec.index) indexes.push(make([key], false));
  for (const unique of resource.config.unique ?? []) indexes.push(make(unique.columns, true));
  const byName = new Map(indexes.map((i) => [i.name, i]));
  return [...byName.values()].sort((a, b) => (a.name < b.name ? -1 : 1));
}

export function featureModel(resource: ResourceInput, ctx: FeatureContext): FeatureModel {
  const columnCtx: ColumnContext = { resource, db: ctx.db, resolveReference: ctx.resolveReference };
  const columns = columnModels(columnCtx);
  const { firewall, scope } = deriveFirewall(resource.config, resource.columns, AUDIT_KEYS.deletedAt);
  // sqliteTable()/q.table() names are SQL names, used as-is; feature() names follow namingConvention.
  const tableName = resource.drizzle?.table ?? (resource.form === 'feature' ? columnName(resource.name, ctx.db.namingConvention) : resource.name);
  const base = { name: resource.name, exportName: resource.name, sqlName: tableName, database: ctx.database, columns };
  const table: TableModel = { ...base, indexes: indexModels(resource, base, scope) };
  const idColumn = columns.find((c) => c.primaryKey)!;
  const strategy = idColumn.storage === 'integer' ? 'serial' : ctx.db.generateId === 'serial' ? 'uuid' : ctx.db.generateId;
  const slug = kebabCase(resource.name);
  const fields = fieldModels(columns, columnCtx, scope);
  const put = putEnabled(resource.config, strategy === false);
  return {
    name: resource.name,
    slug,
    routePath: `/api/v1/${slug}`,
    source: resource.file,
    table,
    fields,
    id: { key: idColumn.key, strategy, type: idColumn.storage === 'integer' ? 'integer' : 'text', ...(strategy === 'prefixed' ? { prefix: idPrefix(tableName) } : {}) },
    scope,
    firewall,
    access: accessModels(resource.config, ctx.roleHierarchy),
    deleteMode: operationSpec(resource.config, 'delete')?.mode ?? 'soft',
    audit: { ...AUDIT_KEYS },
    internal: resource.internal,
    guards: guardsModel(resource.config, fields),
    masking: maskingModel(resource.config, { fields, scope, hierarchy: ctx.roleHierarchy }),
    ...viewModels(resource.config, idColumn.key, ctx.roleHierarchy),
    batch: batchModel(resource.config, put),
    put,
    children: [],
    actions: [],
    realtime: tableRealtime(resource.config, ctx.realtime, ctx.roleHierarchy),
    webhooks: tableWebhooks(resource.config, ctx.webhooks),
  };
}
