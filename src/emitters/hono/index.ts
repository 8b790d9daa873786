/**
 * @module emitters/hono
 * The generated Hono API: per-feature resource + routes (+ actions), the resource list, the route
 * table, createApp (with the journals it ships: src/db/migrations.ts) and the id generator; and,
 * with base `project`, the user-owned skeletons of action handlers whose file does not exist yet
 * and of the inbound webhook handlers, and the owner's seam quickback/app.ts (written when missing).
 */
import type { AppModel, FeatureModel } from '../../compiler/model/ir.js';
import {
  noMemo,
  type EmittedFile,
  type Emitter,
  type EmitMemo,
  type ShippedJournals,
} from '../../compiler/emit/contract.js';
import { actionsPath, printActions, printHandlerSeed } from './print/actions.js';
import { printAppIndex, printRoutesIndex } from './print/app.js';
import { printShippedMigrations } from './print/app-migrations.js';
import { needsIds, printIds } from './print/ids.js';
import { printResource, printResources, printRoutes, resourcePath } from './print/resource.js';
import { INBOUND_HANDLERS, printInboundSeed, printWebhooksModule } from './print/app-webhooks.js';
import { printSeamSeed, SEAM } from './print/app-seam.js';

function emitHono(model: AppModel, memo: EmitMemo = noMemo, migrations: ShippedJournals = {}): EmittedFile[] {
  const file = (path: string, contents: string): EmittedFile => ({
    path,
    contents,
    ownership: 'compiler',
    emitter: 'hono',
  });
  const files: EmittedFile[] = [];
  const features = model.features.filter((f) => !f.internal);
  for (const feature of features) {
    const referenced = (f: FeatureModel) => feature.table.columns.some((c) => c.references?.table === f.name);
    const related = features.filter((f) => feature.children.some((c) => c.feature === f.name) || referenced(f)).map((
      f,
    ) => ({ name: f.name, slug: f.slug }));
    files.push(
      file(resourcePath(feature), memo.use('hono/resource', [feature, related], () => printResource(feature, related))),
    );
    files.push(
      file(
        `src/features/${feature.slug}/${feature.slug}.routes.ts`,
        memo.use('hono/routes', [feature], () => printRoutes(feature)),
      ),
    );
    if (feature.actions.length > 0) files.push(file(actionsPath(feature), printActions(model, feature)));
  }
  if (model.actions.length > 0) files.push(file(actionsPath(null), printActions(model, null)));
  files.push(file('src/resources.ts', printResources(features, model.configFile)));
  files.push(file('src/routes.ts', printRoutesIndex(model)));
  files.push(file('src/index.ts', printAppIndex(model)));
  files.push(file('src/db/migrations.ts', printShippedMigrations(model, migrations)));
  if (model.webhooks) files.push(file('src/webhooks.ts', printWebhooksModule(model)));
  if (needsIds(model)) files.push(file('src/lib/ids.ts', printIds(model)));
  return files;
}

/** The owner's files, written when absent (base `project`: paths relative to the project root): action handlers, inbound webhook handlers, the seam. */
function handlerSeeds(model: AppModel): EmittedFile[] {
  const owners: [FeatureModel | null, AppModel['actions']][] = [
    ...model.features.map((f): [FeatureModel, AppModel['actions']] => [f, f.actions]),
    [null, model.actions],
  ];
  const seeds: EmittedFile[] = owners.flatMap(([feature, actions]) =>
    actions.filter((a) => a.seedHandler).map((action) => ({
      path: action.handler,
      base: 'project' as const,
      contents: printHandlerSeed(model, feature, action),
      ownership: 'seed' as const,
      emitter: 'hono',
    }))
  );
  // Inbound webhook handlers: the user's, next to the definitions.
  if (model.webhooks)
    seeds.push({
      path: INBOUND_HANDLERS,
      base: 'project',
      contents: printInboundSeed(model),
      ownership: 'seed',
      emitter: 'hono',
    });
  // The owner's routes and middleware (src/index.ts imports it).
  seeds.push({ path: SEAM, base: 'project', contents: printSeamSeed(model), ownership: 'seed', emitter: 'hono' });
  return seeds;
}

export const honoEmitter = {
  id: 'hono',
  applies: () => true,
  emit: (model, context) => [...emitHono(model, context.memo, context.migrations), ...handlerSeeds(model)],
} satisfies Emitter;
