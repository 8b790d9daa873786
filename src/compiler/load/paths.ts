/**
 * @module compiler/load/paths
 * Project paths: everything the compiler records is project-relative and POSIX.
 */
import path from 'node:path';

export const QUICKBACK_DIR = 'quickback';
export const CONFIG_CANDIDATES = [
  'quickback.config.ts',
  'quickback.config.mts',
  'quickback.config.js',
  'quickback.config.mjs',
];
export const FEATURES_DIR = 'quickback/features';
export const MIGRATIONS_DIR = 'quickback/drizzle';

export function relativePath(root: string, file: string): string {
  return path.relative(root, file).split(path.sep).join('/');
}

export function toPosix(p: string): string {
  return p.split(path.sep).join('/');
}
