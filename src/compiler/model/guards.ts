/**
 * @module compiler/model/guards
 * Field write rules and the write-related switches of a feature: guard lists, PUT upsert and the
 * batch routes. System-managed fields (id, scope and audit columns) are never writable, whatever
 * the lists say.
 */
import type { ResourceSpec } from '../../dsl/feature.js';
import type { FeatureModel, FieldModel, GuardsModel } from './ir.js';

const sorted = (values: Iterable<string>) => [...new Set(values)].sort();

export function guardsModel(config: ResourceSpec, fields: FieldModel[]): GuardsModel {
  const writable = fields.filter((f) => !f.system).map((f) => f.key);
  const guards = config.guards;
  if (guards === undefined || guards === false) {
    return { lists: false, createable: sorted(writable), updatable: sorted(writable), immutable: [], protected: {} };
  }
  const keep = (list: string[] | undefined) => sorted((list ?? []).filter((key) => writable.includes(key)));
  const protectedFields = Object.fromEntries(
    Object.entries(guards.protected ?? {}).filter(([key]) => writable.includes(key)).sort((
      [a],
      [b],
    ) => (a < b ? -1 : 1)).map(([key, actions]) => [key, sorted(actions)]),
  );
  return {
    lists: true,
    createable: keep(guards.createable),
    updatable: keep(guards.updatable),
    immutable: keep(guards.immutable),
    protected: protectedFields,
  };
}

/** Fields a create body may carry: createable plus immutable (set once, on create). */
export function createFields(guards: GuardsModel): string[] {
  return sorted([...guards.createable, ...guards.immutable]);
}

type Toggle = 'batchCreate' | 'batchUpdate' | 'batchDelete' | 'batchUpsert';

/** Batch routes follow their single-row operation; `crud.batchX: false` turns one off. */
export function batchModel(config: ResourceSpec, put: boolean): FeatureModel['batch'] {
  const enabled = (toggle: Toggle) => (config.crud as Record<string, unknown> | undefined)?.[toggle] !== false;
  return {
    create: enabled('batchCreate'),
    update: enabled('batchUpdate'),
    delete: enabled('batchDelete'),
    upsert: enabled('batchUpsert') && put,
  };
}

/** PUT /:id upsert: client ids (`generateId: false`) and no guard lists (or `guards: false`). */
export function putEnabled(config: ResourceSpec, clientIds: boolean): boolean {
  return clientIds && !(typeof config.guards === 'object' && config.guards !== null)
    && (config.crud as Record<string, unknown> | undefined)?.put !== false;
}
