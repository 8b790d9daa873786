/**
 * @module compiler/model
 * Stage 3: a validated LoadedProject → AppModel. Pure and deterministic: features sorted by
 * name, defaults applied here and nowhere else.
 */
import type { LoadedProject, ResourceInput } from '../load/types.js';
import { authTableModels } from './auth/tables.js';
import { appSettings, authModel, databaseModel } from './config.js';
import { featureModel } from './feature.js';
import type { AppModel } from './ir.js';

export type * from './ir.js';

function referenceResolver(resources: ResourceInput[]) {
  const byName = new Map(resources.map((r) => [r.name, r]));
  return (target: string) => {
    const [name, column] = target.split('.');
    const resource = byName.get(name);
    if (!resource) return undefined;
    const idKey = Object.entries(resource.columns).find(([, spec]) => spec.type === 'id')?.[0] ?? 'id';
    return { table: resource.name, column: column ?? idKey };
  };
}

export function buildModel(project: LoadedProject): AppModel {
  const { config } = project;
  const db = databaseModel(config);
  const auth = authModel(config);
  const featuresDb = 'features' as const;
  const resources = [...project.resources].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const resolveReference = referenceResolver(resources);
  const features = resources.map((resource) =>
    featureModel(resource, { db, roleHierarchy: auth.roleHierarchy, database: featuresDb, resolveReference }),
  );
  const tables = authTableModels(auth.plugins, {
    usePlurals: db.usePlurals,
    namingConvention: db.namingConvention,
    database: db.splitDatabases ? 'auth' : 'features',
  });
  return {
    ...appSettings(config),
    database: db,
    auth: { ...auth, tables },
    features,
    configFile: project.configFile,
  };
}
