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
import type { AppModel, RealtimeSpecModel } from './ir.js';

export interface TableRealtimeInput { enabled?: boolean; onInsert?: boolean; onUpdate?: boolean; onDelete?: boolean; requiredRoles?: string[]; fields?: string[] }

export function projectRealtimeOn(config: QuickbackConfigInput): boolean {
  const realtime = config.providers.database.options?.realtime;
  return realtime === true || (typeof realtime === 'object' && realtime !== null && realtime.enabled !== false);
}

export function realtimeModel(config: QuickbackConfigInput, secretEnv: string): AppModel['realtime'] {
  return projectRealtimeOn(config) ? { secretEnv } : null;
}

export function tableRealtime(config: ResourceSpec, projectOn: boolean, hierarchy: readonly string[]): RealtimeSpecModel | null {
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
