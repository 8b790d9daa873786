/**
 * @module compiler/write/cache
 * Persists what this compile leaves for the next one (compiler/cache) in its own git-ignored
 * folder, atomically, and only when it changed. The cache is an optimisation: failing to write
 * it never fails the compile that produced correct output.
 */
import path from 'node:path';
import { CACHE_DIR, CACHE_FILE, encodeCache, type CompileCache } from '../cache/index.js';
import { nodeFs, readText, writeAtomic, type WriteFs } from './fs.js';

const IGNORE = `${CACHE_DIR}/.gitignore`;

export async function writeCache(root: string, cache: CompileCache, fs: WriteFs = nodeFs): Promise<boolean> {
  const text = encodeCache(cache.envKey, cache.next);
  const abs = (rel: string) => path.join(root, ...rel.split('/'));
  try {
    if ((await readText(abs(CACHE_FILE), CACHE_FILE)) === text) return false;
    if ((await readText(abs(IGNORE), IGNORE)) === null)
      await writeAtomic(fs, abs(IGNORE), IGNORE, '# The compile cache: local to this machine, never committed.\n*\n');
    await writeAtomic(fs, abs(CACHE_FILE), CACHE_FILE, text);
    return true;
  } catch {
    return false;
  }
}
