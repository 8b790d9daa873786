/**
 * @module compiler/model/views
 * Named views of a feature's list: a projection (the id is always included), their own access
 * rule (replacing `read.access` for that request) and per-view query allowlists.
 */
import type { AccessRule, ResourceSpec } from '../../dsl/feature.js';
import { normalizeAccess } from './access.js';
import type { FeatureModel, ViewModel } from './ir.js';

export function viewModels(
  config: ResourceSpec,
  idKey: string,
  hierarchy: readonly string[],
): Pick<FeatureModel, 'views' | 'defaultView'> {
  const views: ViewModel[] = Object.entries(config.read?.views ?? {})
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([name, spec]) => {
      const query: ViewModel['query'] = {};
      for (const key of ['filterable', 'searchable', 'sortable'] as const)
        if (spec.query?.[key]) query[key] = [...spec.query[key]!];
      if (spec.query?.defaultSort) query.defaultSort = spec.query.defaultSort;
      return {
        name,
        fields: [...new Set([idKey, ...spec.fields])],
        access: normalizeAccess((spec.access ?? config.read?.access) as AccessRule | undefined, hierarchy),
        query,
      };
    });
  return { views, ...(config.read?.defaultView ? { defaultView: config.read.defaultView } : {}) };
}
