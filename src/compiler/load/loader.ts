/**
 * @module compiler/load/loader
 * Loads user TypeScript without a build step: jiti evaluates modules (CommonJS-style, so a later
 * load can drop them from the cache) and esbuild transforms TypeScript (load/transform.ts: from
 * the compile cache, batched, or one by one). esbuild's metafile also names each module's
 * imports, so the loader knows every local file a definition depends on (the watch set, the
 * cache keys). `@quickback/compiler` is aliased to this compiler's own DSL, so definitions always
 * match the compiler that reads them.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Jiti } from 'jiti';
import { packagePath } from '../../shared/package-root.js';
import { resolveLocalImport } from './resolve.js';
import { TransformStore } from './transform.js';

export const DSL_ENTRY = packagePath('src', 'dsl', 'index.ts');
const dslDir = path.dirname(DSL_ENTRY) + path.sep;
const nodeRequire = createRequire(import.meta.url);

export interface ModuleLoader {
  /** Imports a module and returns its namespace (all exports). */
  load(file: string): Promise<Record<string, unknown>>;
  /** Absolute paths of the project files `file` imports, directly or not (not itself, not packages). */
  dependencies(file: string): string[];
  /** Where transforms come from (and go to) during one load; a fresh store when unset. */
  useTransforms(store: TransformStore): void;
  /** Drops the modules this loader evaluated from the require cache, so the next load re-reads them. */
  dispose(): void;
}

const isOwnOrPackage = (file: string) =>
  file === DSL_ENTRY || file.startsWith(dslDir) || file.includes(`${path.sep}node_modules${path.sep}`);

/** Whether this process has already evaluated the DSL (it stays loaded between compiles). */
export const dslLoaded = () => nodeRequire.cache[DSL_ENTRY]?.loaded === true;

/** An import specifier as the loader resolves it: the DSL alias, or a relative project file. */
export function followImport(specifier: string, from: string): string | null {
  if (specifier === '@quickback/compiler') return dslLoaded() ? null : DSL_ENTRY;
  const file = resolveLocalImport(specifier, from);
  return file && !file.endsWith('.json') && (!isOwnOrPackage(file) || file.startsWith(dslDir)) ? file : null;
}

export function createModuleLoader(): ModuleLoader {
  const evaluated = new Set<string>();
  /** Module → the local files it imports directly (resolved, absolute). */
  const graph = new Map<string, string[]>();
  let store = new TransformStore();
  let jiti: Jiti | undefined;
  const instance = async (): Promise<Jiti> => {
    if (jiti) return jiti;
    const { createJiti } = await import('jiti');
    jiti = createJiti(import.meta.url, {
      alias: { '@quickback/compiler': DSL_ENTRY },
      moduleCache: true,
      fsCache: false,
      interopDefault: false,
      transform: (options) => {
        const filename = options.filename ?? path.join(process.cwd(), 'module.ts');
        const { code, imports } = store.take(filename, options.source);
        if (options.filename) {
          evaluated.add(filename);
          graph.set(
            filename,
            imports.map((spec) => resolveLocalImport(spec, filename)).filter((f): f is string =>
              f !== null && !isOwnOrPackage(f)
            ),
          );
        }
        return { code };
      },
    });
    return jiti;
  };
  return {
    async load(file) {
      return (await (await instance()).import(file)) as Record<string, unknown>;
    },
    dependencies(file) {
      const seen = new Set<string>([file]);
      const stack = [file];
      while (stack.length > 0) {
        for (const next of graph.get(stack.pop()!) ?? []) {
          if (seen.has(next)) continue;
          seen.add(next);
          stack.push(next);
        }
      }
      seen.delete(file);
      return [...seen].sort();
    },
    useTransforms(next) {
      store = next;
    },
    dispose() {
      for (const file of evaluated) if (!isOwnOrPackage(file)) delete nodeRequire.cache[file];
      evaluated.clear();
      graph.clear();
    },
  };
}
