#!/usr/bin/env node
// Thin shim: runs the TypeScript CLI source through tsx (no build step).
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/quickback.ts');
process.exitCode = await main(process.argv.slice(2));
