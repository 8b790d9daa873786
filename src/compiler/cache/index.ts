/**
 * @module compiler/cache
 * The incremental compile's cache (see types.ts): its data shapes, the file codec and the plain
 * data check. `load` reads it, the stages between consult it, `write` persists it.
 */
export { CACHE_FORMAT, decodeCache, encodeCache, type Decoded } from './codec.js';
export { CompileMemo } from './memo.js';
export { isPlainData } from './plain.js';
export {
  emptyCacheData,
  type CacheData,
  type CachedDefinitions,
  type CachedFile,
  type CachedMigration,
  type CachedTransform,
  type CompileCache,
  type OutputRecord,
} from './types.js';

/** The cache folder; it holds a `.gitignore` of its own, so it is never committed. */
export const CACHE_DIR = 'quickback/.quickback/cache';
export const CACHE_FILE = `${CACHE_DIR}/compile.cache`;
