// Keeps dist/quickback.mjs, an esbuild bundle of src/ (dependencies stay external), in step with
// the sources: rebuilt (~0.2 s) whenever a source file is newer, written atomically so parallel
// runs are safe. Loading one bundle instead of ~150 TypeScript modules through tsx saves ~1.2 s
// per command. Returns null when a bundle cannot be made (then loadCli runs src/ with tsx).
import { mkdirSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const bundle = path.join(root, 'dist', 'quickback.mjs');

function newestSource(dir, newest = 0) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = newestSource(full, newest);
    else if (/\.(ts|json)$/.test(entry.name) && !entry.name.endsWith('.test.ts'))
      newest = Math.max(newest, statSync(full).mtimeMs);
  }
  return newest;
}

function isFresh() {
  try {
    const built = statSync(bundle).mtimeMs;
    return built >= Math.max(newestSource(path.join(root, 'src')), newestSource(path.join(root, 'generators')))
      && built >= statSync(path.join(root, 'package.json')).mtimeMs;
  } catch {
    return false;
  }
}

/**
 * Builds dist/quickback.mjs (throws on failure). `npm pack` runs this through `prepack`. Code
 * behind a dynamic import (the generators, which load ts-morph: ~0.6 s) goes to dist/chunks/, so
 * other commands never load it. Chunks are named by content hash and written before the entry.
 */
export async function buildBundle() {
  const { build } = await import('esbuild');
  const result = await build({
    entryPoints: { quickback: path.join(root, 'src', 'cli', 'quickback.ts') },
    outdir: path.dirname(bundle),
    outExtension: { '.js': '.mjs' },
    chunkNames: 'chunks/[name]-[hash]',
    splitting: true,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    write: false,
    logLevel: 'silent',
    legalComments: 'none',
  });
  for (const file of [...result.outputFiles].sort((a, b) => Number(a.path === bundle) - Number(b.path === bundle))) {
    mkdirSync(path.dirname(file.path), { recursive: true });
    const temp = `${file.path}.${process.pid}.${Date.now()}.tmp`;
    writeFileSync(temp, file.contents);
    renameSync(temp, file.path);
  }
  // Chunks of older builds (other content, other hash) are no longer referenced: drop them.
  const chunks = path.join(path.dirname(bundle), 'chunks');
  const fresh = new Set(result.outputFiles.map((f) => f.path));
  for (const name of readdirSync(chunks))
    if (!fresh.has(path.join(chunks, name)) && !name.endsWith('.tmp')) rmSync(path.join(chunks, name), { force: true });
  return pathToFileURL(bundle).href;
}

export async function ensureBundle() {
  if (process.env.QUICKBACK_FROM_SOURCE === '1') return null;
  if (isFresh()) return pathToFileURL(bundle).href;
  try {
    return await buildBundle();
  } catch {
    return null;
  }
}

/** What both bins do: the CLI module, from the bundle or (no bundle) from src/ through tsx. */
export async function loadCli() {
  // `quickback compile | head` closes stdout early: that is not an error.
  for (const stream of [process.stdout, process.stderr])
    stream.on('error', (error) => {
      if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
      else throw error;
    });
  let entry = await ensureBundle();
  if (!entry) {
    const { register } = await import('tsx/esm/api');
    register();
    entry = new URL('../src/cli/quickback.ts', import.meta.url).href;
  }
  return import(entry);
}

// `node bin/bundle.js`: build now (the `prepack` script), failing loudly.
if (process.argv[1] && pathToFileURL(process.argv[1]).href === import.meta.url) await buildBundle();
