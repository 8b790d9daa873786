#!/usr/bin/env node
// `create-quickback [dir]` (also `npm create quickback`): the scaffolder, from the same bundle as
// the `quickback` CLI (see bundle.js), or from src/ through tsx when no bundle can be made.
import { loadCli } from './bundle.js';

const { createQuickback } = await loadCli();
process.exitCode = await createQuickback(process.argv.slice(2));
