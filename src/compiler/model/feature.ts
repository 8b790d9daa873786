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
import type { DatabaseModel, FeatureModel, TableModel } from './ir.js';
import { featureIndexes } from './indexes.js';
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

export function featureModel(resource: ResourceInput, ctx: FeatureContext): FeatureModel {
  const columnCtx: ColumnContext = { resource, db: ctx.db, resolveReference: ctx.resolveReference };
  const columns = columnModels(columnCtx);
  const { firewall, scope } = deriveFirewall(resource.config, resource.columns, AUDIT_KEYS.deletedAt);
  // sqliteTable()/q.table() names are SQL names, used as-is; feature() names follow namingConvention.
  const tableName = resource.drizzle?.table
    ?? (resource.form === 'feature' ? columnName(resource.name, ctx.db.namingConvention) : resource.name);
  const base = { name: resource.name, exportName: resource.name, sqlName: tableName, database: ctx.database, columns };
  const idColumn = columns.find((c) => c.primaryKey)!;
  const views = viewModels(resource.config, idColumn.key, ctx.roleHierarchy);
  const defaultSort = views.views.find((v) => v.name === views.defaultView)?.query.defaultSort;
  const table: TableModel = { ...base, indexes: featureIndexes(resource, base, firewall, defaultSort) };
  const strategy = idColumn.storage === 'integer'
    ? 'serial'
    : ctx.db.generateId === 'serial'
    ? 'uuid'
    : ctx.db.generateId;
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
    id: {
      key: idColumn.key,
      strategy,
      type: idColumn.storage === 'integer' ? 'integer' : 'text',
      ...(strategy === 'prefixed' ? { prefix: idPrefix(tableName) } : {}),
    },
    scope,
    firewall,
    access: accessModels(resource.config, ctx.roleHierarchy),
    deleteMode: operationSpec(resource.config, 'delete')?.mode ?? 'soft',
    audit: { ...AUDIT_KEYS },
    internal: resource.internal,
    guards: guardsModel(resource.config, fields),
    masking: maskingModel(resource.config, { fields, scope, hierarchy: ctx.roleHierarchy }),
    ...views,
    batch: batchModel(resource.config, put),
    put,
    children: [],
    actions: [],
    realtime: tableRealtime(resource.config, ctx.realtime, ctx.roleHierarchy),
    webhooks: tableWebhooks(resource.config, ctx.webhooks),
  };
}
