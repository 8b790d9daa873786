/**
 * @module compiler/load/transform
 * TypeScript → CommonJS for the loader, with each module's import specifiers (esbuild's
 * metafile). Three ways, fastest first: a transform kept in the compile cache (same source bytes:
 * esbuild is not even loaded); a batch transform of every file a compile is about to load, in
 * async esbuild calls all in flight at once (~2-3x faster than one sync call per file); and, for
 * a module nobody predicted, esbuild's sync API. All three give the same code.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { sha256 } from '../../shared/hash.js';
import type { CachedTransform } from '../cache/index.js';

export interface Transformed {
  code: string;
  imports: string[];
}

const nodeRequire = createRequire(import.meta.url);
/** Keys are in a fixed order: the sync and async paths must give byte-identical code. */
const OPTIONS = {
  bundle: false,
  write: false,
  metafile: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  sourcemap: 'inline',
  logLevel: 'silent',
} as const;
const loaderFor = (file: string) => (/\.[cm]?tsx?$/.test(file) ? (file.endsWith('x') ? 'tsx' : 'ts') : 'js');

export function transformSync(source: string, filename: string): Transformed {
  const { buildSync } = nodeRequire('esbuild') as typeof import('esbuild');
  const result = buildSync({
    ...OPTIONS,
    stdin: { contents: source, sourcefile: filename, loader: loaderFor(filename), resolveDir: path.dirname(filename) },
  });
  return {
    code: result.outputFiles[0].text,
    imports: (Object.values(result.metafile.outputs)[0]?.imports ?? []).map((i) => i.path),
  };
}

/** Transforms for one compile: reuses cached ones, batches the rest, remembers what it used. */
export class TransformStore {
  private readonly ready = new Map<string, CachedTransform>();
  private readonly used = new Map<string, CachedTransform>();

  constructor(private readonly previous: Record<string, CachedTransform> = {}) {}

  /** The transform of `file` if its source is `source`; records it as used. */
  take(file: string, source: string): Transformed {
    const hash = sha256(source);
    const known = this.ready.get(file) ?? this.previous[file];
    const entry = known?.hash === hash ? known : { hash, ...transformSync(source, file) };
    this.used.set(file, entry);
    return entry;
  }

  /**
   * Makes transforms ready for `files` and every project file they import (resolved by
   * `follow`), esbuild running once per round over all files not in the cache. A batch that
   * fails (a syntax error) is dropped: those files take the sync path and report the error.
   */
  async prepare(files: readonly string[], follow: (specifier: string, from: string) => string | null): Promise<void> {
    const seen = new Set<string>();
    let queue = [...files];
    while (queue.length > 0) {
      const batch: { file: string; hash: string; source: string }[] = [];
      const next: string[] = [];
      for (const file of queue) {
        if (seen.has(file)) continue;
        seen.add(file);
        let source: string;
        try {
          source = readFileSync(file, 'utf8');
        } catch {
          continue;
        }
        const hash = sha256(source);
        const cached = this.previous[file];
        if (cached?.hash === hash) {
          this.ready.set(file, cached);
          next.push(...cached.imports.map((s) => follow(s, file)).filter((f): f is string => f !== null));
        } else batch.push({ file, hash, source });
      }
      for (const [file, entry] of await this.batch(batch)) {
        this.ready.set(file, entry);
        next.push(...entry.imports.map((s) => follow(s, file)).filter((f): f is string => f !== null));
      }
      queue = next;
    }
  }

  /**
   * One async esbuild call per file, all in flight at once (esbuild runs them on every core).
   * Each is the same stdin build as the sync path, so the code is identical: an entry-point build
   * would apply the nearest package.json's "type" to ESM interop and change what a default import
   * of a sibling module yields. A file that fails (a syntax error) is left to the sync path, which
   * reports the error.
   */
  private async batch(files: { file: string; hash: string; source: string }[]): Promise<Map<string, CachedTransform>> {
    const out = new Map<string, CachedTransform>();
    if (files.length === 0) return out;
    const { build } = await import('esbuild');
    await Promise.all(files.map(async ({ file, hash, source }) => {
      try {
        const result = await build({
          ...OPTIONS,
          stdin: { contents: source, sourcefile: file, loader: loaderFor(file), resolveDir: path.dirname(file) },
        });
        out.set(file, {
          hash,
          code: result.outputFiles[0].text,
          imports: (Object.values(result.metafile.outputs)[0]?.imports ?? []).map((i) => i.path),
        });
      } catch {
        // the sync path reports it
      }
    }));
    return out;
  }

  /** What this compile used, for the next one (files that are gone drop out). */
  entries(): Record<string, CachedTransform> {
    return Object.fromEntries([...this.used].sort(([a], [b]) => (a < b ? -1 : 1)));
  }
}
