/**
 * @module compiler/model/realtime
 * Realtime settings: project-wide (`defineDatabase(..., { realtime: true | { enabled?, wsTicket? } })`)
 * and per table (`realtime: true | { enabled, onInsert, onUpdate, onDelete, requiredRoles, fields }`,
 * opt-in per table; every event kind on by default). `requiredRoles` take hierarchy forms such as
 * "admin+". A table's realtime is null unless the project's is on.
 */
import type { QuickbackConfigInput } from '../../dsl/config.js';
import type { ResourceSpec } from '../../dsl/feature.js';
import { expandRoles } from './access.js';
import type { AppModel, FeatureModel, RealtimeSpecModel, WsTicketModel } from './ir.js';

export interface TableRealtimeInput {
  enabled?: boolean;
  onInsert?: boolean;
  onUpdate?: boolean;
  onDelete?: boolean;
  requiredRoles?: string[];
  fields?: string[];
}

export function projectRealtimeOn(config: QuickbackConfigInput): boolean {
  const realtime = config.providers.database.options?.realtime;
  return realtime === true || (typeof realtime === 'object' && realtime !== null && realtime.enabled !== false);
}

export function realtimeModel(
  config: QuickbackConfigInput,
  secretEnv: string,
  features: readonly FeatureModel[],
): AppModel['realtime'] {
  if (!projectRealtimeOn(config)) return null;
  const raw = config.providers.database.options?.realtime;
  const ws = typeof raw === 'object' && raw !== null ? raw.wsTicket : undefined;
  const wsTicket = ws ? wsTicketModel(config, ws, features) : null;
  return { secretEnv, ...(wsTicket ? { wsTicket } : {}) };
}

/** The feature a table name means (its feature name or its SQL name). */
export function featureNamed(features: readonly FeatureModel[], name: string): FeatureModel | undefined {
  return features.find((f) => f.name === name) ?? features.find((f) => f.table.sqlName === name);
}

/** The column of `feature` that references `target`'s table (or its key). */
export function referenceTo(feature: FeatureModel, target: FeatureModel): string | undefined {
  return feature.table.columns.find((c) =>
    c.references && (c.references.table === target.name || c.references.table === target.table.sqlName)
  )?.key;
}

/**
 * `wsTicket: { role, requestField, scopeTable }` with `authz.roles[role].via`: the relationship
 * table's column to the scope table and its user column (the owner scope, else `userId`), and every
 * table whose rows belong to a scope row (the scope table itself by id, tables referencing it).
 * Null when something does not resolve (the realtime rule reports it).
 */
function wsTicketModel(
  config: QuickbackConfigInput,
  ws: { role: string; requestField: string; scopeTable: string },
  features: readonly FeatureModel[],
): WsTicketModel | null {
  const via = config.authz?.roles?.[ws.role]?.via;
  const scope = featureNamed(features, ws.scopeTable);
  const relation = via ? featureNamed(features, via) : undefined;
  if (!scope || !relation) return null;
  const scopeColumn = referenceTo(relation, scope);
  const userColumn = relation.scope.owner ?? relation.table.columns.find((c) => c.key === 'userId')?.key;
  if (!scopeColumn || !userColumn) return null;
  const links = [
    { feature: scope.name, column: scope.id.key },
    ...features.filter((f) => f !== scope).flatMap((f) => {
      const column = referenceTo(f, scope);
      return column ? [{ feature: f.name, column }] : [];
    }),
  ];
  return {
    role: ws.role,
    requestField: ws.requestField,
    scope: scope.name,
    via: { feature: relation.name, scopeColumn, userColumn },
    links,
  };
}

export function tableRealtime(
  config: ResourceSpec,
  projectOn: boolean,
  hierarchy: readonly string[],
): RealtimeSpecModel | null {
  const raw = (config as { realtime?: boolean | TableRealtimeInput }).realtime;
  if (!projectOn || raw === undefined || raw === false) return null;
  const spec: TableRealtimeInput = raw === true ? {} : raw;
  if (spec.enabled === false) return null;
  return {
    onInsert: spec.onInsert ?? true,
    onUpdate: spec.onUpdate ?? true,
    onDelete: spec.onDelete ?? true,
    requiredRoles: spec.requiredRoles ? expandRoles(spec.requiredRoles, hierarchy) : null,
    fields: spec.fields ? [...spec.fields] : null,
  };
}
