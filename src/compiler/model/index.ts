/**
 * @module compiler/model
 * Stage 3: a validated LoadedProject → AppModel. Pure and deterministic: features sorted by
 * name, defaults applied here and nowhere else.
 */
import type { LoadedProject, ResourceInput } from '../load/types.js';
import { actionModels } from './actions.js';
import { AUTH_PLUGIN_ORDER, authTableModels } from './auth/tables.js';
import { cloudflareModel } from './cloudflare.js';
import { appSettings, authModel, databaseModel, emailModel, jwtModel, storageModel } from './config.js';
import { filesModel } from './files.js';
import { projectRealtimeOn, realtimeModel } from './realtime.js';
import { webhooksModel, webhooksOn } from './webhooks.js';
import { encryptionModel } from './encryption.js';
import { featureModel } from './feature.js';
import { rlsSupportModel } from './rls-support.js';
import { idempotencyModel } from './idempotency.js';
import { withPolicyIndexes } from '../rls/indexes.js';
import type { AppModel, FeatureModel } from './ir.js';
import { securityHeaders } from './security.js';

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
  const features = resources.map((resource) => {
    const feature = featureModel(resource, {
      db,
      roleHierarchy: auth.roleHierarchy,
      database: featuresDb,
      resolveReference,
      realtime: projectRealtimeOn(config),
      webhooks: webhooksOn(config),
    });
    return db.dialect === 'postgresql' ? withPolicyIndexes(feature) : feature;
  });
  linkChildren(features);
  const actions = actionModels(
    project.actions,
    (name) => features.find((f) => f.name === name)?.routePath,
    auth.roleHierarchy,
  );
  for (const feature of features) feature.actions = actions.get(feature.name) ?? [];
  const betterAuth = auth.provider === 'better-auth';
  if (betterAuth && features.some((f) => f.scope.team) && !auth.plugins.includes('teams'))
    auth.plugins = AUTH_PLUGIN_ORDER.filter((p) => p === 'teams' || auth.plugins.includes(p));
  const tables = betterAuth
    ? authTableModels(auth.plugins, {
      usePlurals: db.usePlurals,
      namingConvention: db.namingConvention,
      database: db.splitDatabases ? 'auth' : 'features',
    })
    : [];
  const auditLog = [...actions.values()].some((list) => list.some((a) => a.unsafe));
  const cloudflare = cloudflareModel(config, auditLog, features.length > 0);
  return {
    ...appSettings(config),
    ...(cloudflare ? { cloudflare } : {}),
    database: db,
    auth: { ...auth, tables },
    jwt: jwtModel(config),
    storage: storageModel(config),
    files: filesModel(config),
    realtime: realtimeModel(config, jwtModel(config)?.secretEnv ?? 'BETTER_AUTH_SECRET', features),
    webhooks: webhooksModel(config, auth.roleHierarchy),
    email: emailModel(config, auth.plugins),
    redirects: {
      ...(config.auth?.loginUrl !== undefined ? { loginUrl: config.auth.loginUrl } : {}),
      ...(config.auth?.profileUrl !== undefined ? { profileUrl: config.auth.profileUrl } : {}),
    },
    features,
    encryption: encryptionModel(features),
    rlsSupport: rlsSupportModel(db, betterAuth),
    idempotency: idempotencyModel(features),
    configFile: project.configFile,
    actions: actions.get('') ?? [],
    auditLog,
    securityHeaders: securityHeaders(config.security, auth.trustedOrigins),
    etag: config.etag?.enabled !== false,
    documents: {
      openapi: config.openapi?.generate === false ? false : config.openapi?.publish === false ? 'signed-in' : 'public',
      schemaRegistry: config.schemaRegistry?.generate !== false,
    },
  };
}

/** Each feature learns which features reference it (soft delete cascades to them). */
function linkChildren(features: FeatureModel[]): void {
  const byName = new Map(features.map((f) => [f.name, f]));
  for (const child of features) {
    if (child.internal) continue;
    for (const column of child.table.columns) {
      const parent = column.references && byName.get(column.references.table);
      if (parent && parent !== child) parent.children.push({ feature: child.name, column: column.key });
    }
  }
  for (const f of features) f.children.sort((a, b) => (a.feature + a.column < b.feature + b.column ? -1 : 1));
}
