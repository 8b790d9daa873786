#!/usr/bin/env node
// Thin shim: runs the CLI from dist/quickback.mjs, an esbuild bundle of src/ that bin/bundle.js
// rebuilds whenever a source is newer; falls back to running src/ through tsx.
import { loadCli } from './bundle.js';

const { main } = await loadCli();
process.exitCode = await main(process.argv.slice(2));
