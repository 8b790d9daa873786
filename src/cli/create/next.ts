/**
 * @module cli/create/next
 * The scaffolder's closing lines: the exact commands still needed for the chosen target, none it
 * already ran (issue #30): `<pm> install` only with --no-install; on neon/supabase `createdb` for
 * the database .env names and `db:migrate` (the scaffolder does not touch a server); on
 * Cloudflare without install the local D1 migration. Then `dev`. And a warning, not an error,
 * when Bun, which no npm install brings, cannot be found (tsx and wrangler are the app's
 * own dependencies): the
 * project is still written, `quickback dev` would stop with QB_DEV_TOOL_MISSING.
 */
import { findTool, installHint, runtimeTool } from '../runtime-tools.js';
import type { CreateOptions } from './options.js';
import { databaseName } from './steps/files.js';

export function nextSteps(dir: string, name: string, options: CreateOptions): string[] {
  const pm = options.packageManager;
  const run = pm === 'npm' ? 'npm run' : pm;
  const postgres = options.database === 'neon' || options.database === 'supabase';
  const database = postgres
    ? [`createdb ${databaseName(name)}`, `${run} db:migrate`]
    : options.runtime === 'cloudflare' && !options.install
    ? [`${run} db:migrate:local`]
    : [];
  return [`cd ${dir}`, ...(options.install ? [] : [`${pm} install`]), ...database, `${run} dev`];
}

/** The runtime's dev program when neither the project's node_modules nor PATH has it. */
export function toolWarnings(root: string, options: CreateOptions, env: NodeJS.ProcessEnv = process.env): string[] {
  const { tool, purpose } = runtimeTool(options.runtime as 'node' | 'bun' | 'cloudflare');
  // tsx and wrangler are the app's own (dev)dependencies: the install (now, or the `install` line above) brings them.
  if (tool !== 'bun') return [];
  if (findTool(tool, root, env)) return [];
  return [`${tool} was not found: ${purpose}. ${installHint(tool)}`];
}
