#!/usr/bin/env node
// Thin shim: runs the CLI from dist/quickback.mjs, an esbuild bundle of src/ that bin/bundle.js
// rebuilds whenever a source is newer; falls back to running src/ through tsx.
import { ensureBundle } from './bundle.js';

// `quickback compile | head` closes stdout early: that is not an error.
for (const stream of [process.stdout, process.stderr]) stream.on('error', (error) => { if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0); else throw error; });

let entry = await ensureBundle();
if (!entry) {
  const { register } = await import('tsx/esm/api');
  register();
  entry = new URL('../src/cli/quickback.ts', import.meta.url).href;
}
const { main } = await import(entry);
process.exitCode = await main(process.argv.slice(2));
