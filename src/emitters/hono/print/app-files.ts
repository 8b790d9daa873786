/**
 * @module emitters/hono/print/app-files
 * The files add-on of createQuickbackApp's `addons` (`defineFileStorage`, runtime files.ts): the R2 binding
 * of each request on Workers; on Node and Bun one store per process, an S3-compatible bucket
 * (FILES_S3_*) or a local folder.
 */
import type { AppModel } from '../../../compiler/model/ir.js';
import type { RuntimeName } from '../../print-utils.js';

/** The runtime names of the files add-on: R2 on Workers; S3 or a folder on Node and Bun. */
export function filesRuntime(model: AppModel): RuntimeName[] {
  const store = model.files?.store;
  if (!store) return [];
  return store.kind === 'r2' ? ['filesAddon', 'r2Store'] : ['filesAddon', 'fsStore', 's3ConfigFrom', 's3Store'];
}

/** Node/Bun: an S3-compatible bucket when FILES_S3_BUCKET is set, else the folder (FILES_DIR wins over the default); created once. */
export function filesLines(model: AppModel): string[] {
  const store = model.files?.store;
  if (store?.kind !== 'fs') return [];
  return [
    `  const fileStore = env.FILES_S3_BUCKET ? s3Store(() => s3ConfigFrom(env)) : fsStore(env.FILES_DIR ?? ${
      JSON.stringify(store.dir)
    });`,
  ];
}

export function filesOption(model: AppModel): string {
  const files = model.files;
  if (!files) return '';
  const store = files.store.kind === 'r2'
    ? `(c) => r2Store((c.env as Bindings).${files.store.binding})`
    : '() => fileStore';
  const settings = {
    maxFileSize: files.maxFileSize,
    allowedTypes: files.allowedTypes,
    publicDomain: files.publicDomain,
    scope: files.scope,
  };
  return `filesAddon({ store: ${store}, ${
    Object.entries(settings).map(([k, v]) => `${k}: ${JSON.stringify(v)}`).join(', ')
  } })`;
}
