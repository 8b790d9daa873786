/**
 * @module compiler/load/definition-file
 * One definition file's resources and actions: from the cache when the file and every project
 * file it imports hash as they did when the entry was made, otherwise evaluated from source
 * (and cached when what it yields is plain data). Either way the result is a private copy, so
 * later stages can never alter a cache entry.
 */
import { isPlainData, type CachedDefinitions, type CompileCache } from '../cache/index.js';
import type { Diagnostic } from '../../shared/diagnostics.js';
import { resolveInputs } from './actions.js';
import { collectDefinitions } from './definitions.js';
import { loadErrorToDiagnostic } from './errors.js';
import type { FoundFile } from './find.js';
import type { FileHasher } from './hash.js';
import type { ModuleLoader } from './loader.js';
import { relativePath } from './paths.js';

export interface DefinitionContext {
  hashOf: FileHasher;
  /** Records a project file as a compile input (the watch set). */
  record(rel: string): void;
  cache: CompileCache | null;
  diagnostics: Diagnostic[];
}

/** The file's definitions from the cache, when the file and its imports are unchanged; else null. */
export function cachedDefinitions(absRoot: string, found: FoundFile, ctx: DefinitionContext): CachedDefinitions | null {
  const rel = relativePath(absRoot, found.file);
  const hash = ctx.hashOf(rel);
  ctx.record(rel);
  const hit = ctx.cache?.previous.files[rel];
  if (!hit || hash === null || hit.hash !== hash) return null;
  if (!Object.entries(hit.deps).every(([dep, depHash]) => ctx.hashOf(dep) === depHash)) return null;
  ctx.cache!.next.files[rel] = hit;
  ctx.cache!.reused.push(rel);
  for (const dep of Object.keys(hit.deps)) ctx.record(dep);
  return structuredClone(hit.definitions);
}

/** Evaluates the file (a cache miss); caches what it yields when that is plain data. */
export async function evaluateDefinitions(
  loader: ModuleLoader,
  absRoot: string,
  found: FoundFile,
  ctx: DefinitionContext,
): Promise<CachedDefinitions | null> {
  const rel = relativePath(absRoot, found.file);
  const hash = ctx.hashOf(rel);
  let definitions: CachedDefinitions | null = null;
  try {
    const collected = collectDefinitions(await loader.load(found.file), { file: rel, featureDir: found.featureDir });
    definitions = { ...collected, actions: collected.actions.map(resolveInputs) };
  } catch (thrown) {
    ctx.diagnostics.push(loadErrorToDiagnostic(thrown, rel, absRoot));
  }
  const deps: Record<string, string> = {};
  for (const dep of loader.dependencies(found.file)) {
    const depRel = relativePath(absRoot, dep);
    const depHash = ctx.hashOf(depRel);
    ctx.record(depRel);
    if (depHash !== null) deps[depRel] = depHash;
  }
  if (!definitions || !ctx.cache) return definitions;
  ctx.cache.loaded.push(rel);
  if (hash !== null && isPlainData(definitions))
    ctx.cache.next.files[rel] = { hash, deps, definitions: structuredClone(definitions) };
  return definitions;
}
