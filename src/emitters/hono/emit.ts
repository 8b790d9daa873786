/**
 * @module emitters/hono/emit
 * The Hono API: per-feature resource + routes, the route table, createApp, and the id generator.
 */
import type { AppModel } from '../../compiler/model/ir.js';
import type { EmittedFile } from '../contract.js';
import { printAppIndex, printRoutesIndex } from './print/app.js';
import { needsIds, printIds } from './print/ids.js';
import { printResource, printRoutes, resourcePath } from './print/resource.js';

export function emitHono(model: AppModel): EmittedFile[] {
  const file = (path: string, contents: string): EmittedFile => ({ path, contents, ownership: 'compiler', emitter: 'hono' });
  const files: EmittedFile[] = [];
  for (const feature of model.features.filter((f) => !f.internal)) {
    files.push(file(resourcePath(feature), printResource(feature, model.features)));
    files.push(file(`src/features/${feature.slug}/${feature.slug}.routes.ts`, printRoutes(feature)));
  }
  files.push(file('src/routes.ts', printRoutesIndex(model)));
  files.push(file('src/index.ts', printAppIndex(model)));
  if (needsIds(model)) files.push(file('src/lib/ids.ts', printIds(model)));
  return files;
}
