/**
 * @module compiler/load/cache
 * Opens the compile cache for this run: the previous run's data (kept in memory by watch, or read
 * from quickback/.quickback/cache) when its environment key still matches. A corrupt cache file
 * is discarded with a warning; an old one (another compiler version, Node's V8, a changed
 * lockfile) is discarded silently, since that is how a cache is meant to expire.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import pkg from '../../../package.json' with { type: 'json' };
import {
  CACHE_FILE,
  CACHE_FORMAT,
  decodeCache,
  emptyCacheData,
  type CacheData,
  type CompileCache,
} from '../cache/index.js';
import { warning, type Diagnostic } from '../../shared/diagnostics.js';

/** Lockfiles name the package versions definitions may import: a change expires the cache. */
const LOCKFILES = ['package-lock.json', 'npm-shrinkwrap.json', 'pnpm-lock.yaml', 'yarn.lock', 'bun.lock', 'bun.lockb'];

export function cacheEnvKey(root: string): string {
  const hash = createHash('sha256').update(`${CACHE_FORMAT}\0${pkg.version}\0${process.versions.v8}`);
  for (const name of LOCKFILES) {
    const file = path.join(root, name);
    if (existsSync(file)) hash.update(`\0${name}\0`).update(readFileSync(file));
  }
  return hash.digest('hex').slice(0, 32);
}

export interface OpenCacheOptions {
  /** Data kept in memory from the previous run (watch mode); otherwise the file is read. */
  previous?: { envKey: string; data: CacheData };
}

export function openCache(root: string, options: OpenCacheOptions, diagnostics: Diagnostic[]): CompileCache {
  const envKey = cacheEnvKey(root);
  const fresh = (previous: CacheData): CompileCache => ({
    envKey,
    previous,
    next: emptyCacheData(),
    reused: [],
    loaded: [],
  });
  if (options.previous) return fresh(options.previous.envKey === envKey ? options.previous.data : emptyCacheData());
  const file = path.join(root, ...CACHE_FILE.split('/'));
  if (!existsSync(file)) return fresh(emptyCacheData());
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    text = '';
  }
  const decoded = decodeCache(text, envKey);
  if (decoded.status === 'ok') return fresh(decoded.data);
  if (decoded.status === 'corrupt') {
    diagnostics.push(warning('QB_LOAD_CACHE_DISCARDED', `The compile cache was discarded: ${decoded.reason}`, {
      file: CACHE_FILE,
      hint: 'Nothing to do: this compile loaded every definition from source and wrote a new cache.',
    }));
  }
  return fresh(emptyCacheData());
}
