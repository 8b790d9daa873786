/**
 * @module emitters/hono/print/app-files
 * The `files` option of createQuickbackApp (`defineFileStorage`, runtime files.ts): the R2 binding
 * of each request on Workers, one local-folder store per process on Node and Bun.
 */
import type { AppModel } from '../../../compiler/model/ir.js';
import { importLine } from '../../print-utils.js';

export function filesImports(model: AppModel): (string | false)[] {
  const store = model.files?.store;
  if (!store) return [];
  return [store.kind === 'r2' ? importLine(['r2Store'], './lib/quickback/file-store.js') : importLine(['fsStore'], './lib/quickback/file-store-fs.js')];
}

/** Node/Bun: the folder store, created once (FILES_DIR wins over the default). */
export function filesLines(model: AppModel): string[] {
  const store = model.files?.store;
  if (store?.kind !== 'fs') return [];
  return [`  const fileStore = fsStore(env.FILES_DIR ?? ${JSON.stringify(store.dir)});`];
}

export function filesOption(model: AppModel): string {
  const files = model.files;
  if (!files) return '';
  const store = files.store.kind === 'r2' ? `(c) => r2Store((c.env as Bindings).${files.store.binding})` : '() => fileStore';
  const settings = { maxFileSize: files.maxFileSize, allowedTypes: files.allowedTypes, publicDomain: files.publicDomain, scope: files.scope };
  return ` files: { store: ${store}, ${Object.entries(settings).map(([k, v]) => `${k}: ${JSON.stringify(v)}`).join(', ')} },`;
}
