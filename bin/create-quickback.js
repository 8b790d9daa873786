#!/usr/bin/env node
// `create-quickback [dir]` (also `npm create quickback`): the scaffolder, from the same bundle as
// the `quickback` CLI (see bundle.js), or from src/ through tsx when no bundle can be made.
import { ensureBundle } from './bundle.js';

for (const stream of [process.stdout, process.stderr]) stream.on('error', (error) => { if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0); else throw error; });

let entry = await ensureBundle();
if (!entry) {
  const { register } = await import('tsx/esm/api');
  register();
  entry = new URL('../src/cli/quickback.ts', import.meta.url).href;
}
const { createQuickback } = await import(entry);
process.exitCode = await createQuickback(process.argv.slice(2));
