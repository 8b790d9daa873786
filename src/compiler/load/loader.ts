/**
 * @module compiler/load/loader
 * Loads user TypeScript without a build step: jiti evaluates modules (CommonJS-style, so a later
 * load can drop them from the cache) and esbuild transforms TypeScript (~1 ms a file, where jiti's
 * own Babel transform takes ~8 ms). `@quickback/compiler` is aliased to this compiler's own DSL,
 * so definitions always match the compiler that reads them.
 */
import { createRequire } from 'node:module';
import { transformSync } from 'esbuild';
import { createJiti, type Jiti } from 'jiti';
import { packagePath } from '../../shared/package-root.js';

const dslEntry = packagePath('src', 'dsl', 'index.ts');
const nodeRequire = createRequire(import.meta.url);

export interface ModuleLoader {
  /** Imports a module and returns its namespace (all exports). */
  load(file: string): Promise<Record<string, unknown>>;
  /** Drops the modules this loader evaluated from the require cache (watch mode). */
  dispose(): void;
}

function transform(options: { source: string; filename?: string; ts?: boolean }): { code: string } {
  const filename = options.filename ?? 'module.ts';
  const loader = /\.[cm]?tsx?$/.test(filename) || options.ts ? (filename.endsWith('x') ? 'tsx' : 'ts') : 'js';
  const result = transformSync(options.source, {
    loader,
    format: 'cjs',
    target: 'node20',
    sourcefile: filename,
    sourcemap: 'inline',
    logLevel: 'silent',
  });
  return { code: result.code };
}

export function createModuleLoader(): ModuleLoader {
  const evaluated = new Set<string>();
  const jiti: Jiti = createJiti(import.meta.url, {
    alias: { '@quickback/compiler': dslEntry },
    moduleCache: true,
    fsCache: false,
    interopDefault: false,
    transform: (options) => {
      if (options.filename) evaluated.add(options.filename);
      return transform(options);
    },
  });
  return {
    async load(file) {
      return (await jiti.import(file)) as Record<string, unknown>;
    },
    dispose() {
      for (const file of evaluated) {
        if (file === dslEntry || file.includes('/node_modules/') || file.includes('/src/dsl/')) continue;
        delete nodeRequire.cache[file];
      }
      evaluated.clear();
    },
  };
}
