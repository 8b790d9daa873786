/**
 * @module cli/commands/dev-bundle
 * The Node dev server's bundle (issue #30 part 8): the app's src/server.ts bundled by an
 * incremental esbuild context (packages stay external: Node loads them itself from the app's
 * node_modules), written to node_modules/.cache/quickback-dev/ in the app (git-ignored) so the
 * bundle's package imports resolve from the app. Each build writes only the files whose bytes
 * changed and says whether any did: an unchanged bundle needs no restart. Dynamic imports stay
 * separate chunks (src/openapi.ts loads on the first request for a document, not at boot). A build
 * error in the app's own code is a diagnostic (QB_DEV_BUILD_FAILED) with its file, line and column.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { BuildContext, Message, Metafile } from 'esbuild';
import { error, type Diagnostic } from '../../shared/diagnostics.js';

export const BUNDLE_DIR = 'node_modules/.cache/quickback-dev';
export const BUNDLE_ENTRY = `${BUNDLE_DIR}/server.mjs`;

export type BuildOutcome =
  | { ok: true; changed: boolean; inputs: string[]; packages: string[]; ms: number }
  | { ok: false; diagnostics: Diagnostic[] };

export interface DevBundle {
  build(): Promise<BuildOutcome>;
  /** Removes files of earlier builds that the current one no longer has (call while no server runs). */
  prune(): void;
  dispose(): Promise<void>;
}

const hash = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** The packages the server imports when it boots: the entry's and its static chunks' (for dev-standby.ts). */
function packagesAtBoot(metafile: Metafile, cwd: string, entry: string): string[] {
  const outputs = new Map(Object.entries(metafile.outputs).map(([file, output]) => [path.resolve(cwd, file), output]));
  const found = new Set<string>();
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const imported of outputs.get(file)?.imports ?? []) {
      if (imported.kind !== 'import-statement') continue;
      if (imported.external) found.add(imported.path);
      else visit(path.resolve(cwd, imported.path));
    }
  };
  visit(entry);
  return [...found].sort();
}

/** `cwd`: the app (output folder); `root`: the project, which diagnostics' files are relative to. */
export async function devBundle(cwd: string, root: string): Promise<DevBundle> {
  const esbuild = await import('esbuild');
  const outdir = path.join(cwd, BUNDLE_DIR);
  const ctx: BuildContext<{ metafile: true; write: false }> = await esbuild.context({
    absWorkingDir: cwd,
    entryPoints: ['src/server.ts'],
    bundle: true,
    platform: 'node',
    format: 'esm',
    packages: 'external',
    splitting: true,
    outdir,
    entryNames: '[name]',
    chunkNames: 'chunks/[name]-[hash]',
    outExtension: { '.js': '.mjs' },
    sourcemap: 'linked',
    sourcesContent: false,
    metafile: true,
    write: false,
    logLevel: 'silent',
  });
  const written = new Map<string, string>();

  const diagnostic = (m: Message): Diagnostic =>
    error(
      'QB_DEV_BUILD_FAILED',
      m.text,
      m.location
        ? {
          file: path.relative(root, path.resolve(cwd, m.location.file)).split(path.sep).join('/'),
          line: m.location.line,
          column: m.location.column + 1,
        }
        : {},
    );

  return {
    async build() {
      const started = performance.now();
      let result;
      try {
        result = await ctx.rebuild();
      } catch (thrown) {
        const errors = (thrown as { errors?: Message[] }).errors;
        if (!errors) throw thrown;
        return { ok: false, diagnostics: errors.map(diagnostic) };
      }
      let changed = result.outputFiles.length !== written.size;
      const next = new Map<string, string>();
      for (const file of result.outputFiles) {
        const digest = hash(file.contents);
        next.set(file.path, digest);
        if (written.get(file.path) === digest) continue;
        changed = true;
        mkdirSync(path.dirname(file.path), { recursive: true });
        writeFileSync(file.path, file.contents);
      }
      written.clear();
      for (const [file, digest] of next) written.set(file, digest);
      const inputs = Object.keys(result.metafile.inputs).filter((file) => !file.includes('node_modules/')).map((file) =>
        path.resolve(cwd, file)
      );
      return {
        ok: true,
        changed,
        inputs,
        packages: packagesAtBoot(result.metafile, cwd, path.join(outdir, 'server.mjs')),
        ms: performance.now() - started,
      };
    },
    prune() {
      for (const dir of [outdir, path.join(outdir, 'chunks')]) {
        let names: string[];
        try {
          names = readdirSync(dir);
        } catch {
          continue;
        }
        for (const name of names) {
          const file = path.join(dir, name);
          if (name !== 'chunks' && name !== 'standby.mjs' && !written.has(file)) rmSync(file, { force: true });
        }
      }
    },
    dispose: () => ctx.dispose(),
  };
}
