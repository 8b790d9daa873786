/**
 * @module quickback/addons/files/addon
 * File storage as an add-on (`defineFileStorage`): the routes at /storage/v1 (files.ts), whose
 * uploads read their own bodies up to `maxFileSize`.
 */
import type { QuickbackAddon } from '../../core/addon.js';
import { FILES_BASE, fileRoutes, type FileOptions } from './files.js';

export function filesAddon(options: FileOptions): QuickbackAddon {
  return {
    id: 'files',
    basePath: FILES_BASE,
    routes: () => fileRoutes(options),
    readsOwnBody: (path) => path.startsWith(`${FILES_BASE}/object/`),
  };
}
