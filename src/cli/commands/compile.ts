/**
 * @module cli/commands/compile
 * `quickback compile [--cwd DIR] [--check] [--dry-run] [--force] [--json] [--debug]`
 */
import path from 'node:path';
import { compile, type CompileResult } from '../../compiler/index.js';
import { readAppEnv } from '../../compiler/load/env.js';
import { findConfig } from '../../compiler/load/find.js';
import { acquireLock, describeHolder, generatorWaitMs } from '../../compiler/write/index.js';
import { QuickbackError } from '../../shared/errors.js';
import { commonFlags, parseFlags } from '../args.js';
import { color, err, out, printDiagnostics, printJson } from '../output.js';
import type { CommandContext } from '../context.js';

export const compileFlags = {
  ...commonFlags,
  check: { type: 'boolean' },
  'dry-run': { type: 'boolean' },
  force: { type: 'boolean' },
  watch: { type: 'boolean' },
  'no-cache': { type: 'boolean' },
} as const;

export const compileHelp =
  `quickback compile [--watch] [--cwd DIR] [--check] [--dry-run] [--force] [--no-cache] [--json] [--debug]

Compiles quickback/ into the API: routes, Drizzle schema, migrations, Better Auth wiring.
  --watch     compile, then compile again whenever an input changes (Ctrl-C to stop)
  --check     exit 1 when the files on disk are not what compile would write (CI guard)
  --dry-run   print the unified diff of what would change; write nothing
  --force     overwrite compiler-owned files that were edited by hand
  --no-cache  load every definition from source; neither read nor write quickback/.quickback/cache
  --json      machine-readable result on stdout (with --watch: one JSON line per run)`;

/**
 * After the compile that created package.json: the commands still needed before `npm run dev`.
 * PostgreSQL (neon/supabase, Workers too) migrates with `db:migrate` into a database that must
 * exist first (`createdb`, named from DATABASE_URL when it is set); D1 with `db:migrate:local`.
 */
function firstRunSteps(result: CompileResult): string[] {
  const { model } = result;
  if (model.database.dialect !== 'postgresql')
    return [
      'npm install',
      `npm run ${model.runtime.kind === 'cloudflare' ? 'db:migrate:local' : 'db:migrate'}`,
      'npm run dev',
    ];
  const url =
    readAppEnv(path.resolve(result.root, model.build.outputDir), model.cloudflare ? '.dev.vars' : '.env').DATABASE_URL;
  let database = '';
  try {
    database = url ? decodeURIComponent(new URL(url).pathname.replace(/^\//, '')) : '';
  } catch {
    // not a URL: the placeholder below
  }
  return ['npm install', `createdb ${database || '<database in DATABASE_URL>'}`, 'npm run db:migrate', 'npm run dev'];
}

function report(result: CompileResult, ms: number, mode: 'write' | 'check' | 'dry-run'): void {
  const { created, updated, deleted, unchanged } = result.summary;
  if (mode === 'dry-run') {
    if (result.diff) out(result.diff.trimEnd());
    out(
      `${
        color.bold('Dry run')
      }: ${created} to create, ${updated} to update, ${deleted} to delete, ${unchanged} unchanged; nothing written.`,
    );
    return;
  }
  if (mode === 'check') {
    out(
      result.changed
        ? `${color.red('Out of date')}: ${created + updated + deleted} file(s) would change.`
        : `${color.green('Up to date')}: ${unchanged} files match the definitions.`,
    );
    for (const change of result.plan.changes) out(`  ${change.action.padEnd(6)} ${change.path}`);
    return;
  }
  if (result.written.length === 0 && result.deleted.length === 0) {
    out(`${color.green('Up to date')}: 0 files written, ${unchanged} unchanged (${ms} ms).`);
    return;
  }
  out(
    `${
      color.green('Compiled')
    } ${result.model.name}: ${result.written.length} written, ${result.deleted.length} deleted, ${unchanged} unchanged (${ms} ms).`,
  );
  for (const change of result.plan.changes) out(`  ${color.dim(change.action.padEnd(6))} ${change.path}`);
  if (created > 0 && result.plan.changes.some((c) => c.path.endsWith('package.json') && c.action === 'create')) {
    out(`\nNext: ${firstRunSteps(result).join(' && ')}`);
  }
}

export async function runCompile(argv: string[], ctx: CommandContext): Promise<number> {
  const { values } = parseFlags(argv, compileFlags);
  if (values.help) return ctx.help(compileHelp);
  const cache = values['no-cache'] !== true;
  if (values.watch) {
    const clash = (['check', 'dry-run'] as const).find((flag) => values[flag]);
    if (clash)
      throw new QuickbackError('QB_CLI_INVALID_FLAG', `--watch cannot be combined with --${clash}`, {
        hint: 'Use --watch to keep compiling, or --check / --dry-run once.',
      });
    const { runCompileWatch } = await import('./compile-watch.js');
    return runCompileWatch({
      cwd: ctx.cwd(values.cwd),
      cache,
      force: values.force === true,
      json: values.json === true,
      debug: values.debug === true,
    });
  }
  const mode = values.check ? 'check' : values['dry-run'] ? 'dry-run' : 'write';
  const started = performance.now();
  const root = ctx.cwd(values.cwd);
  // Writing waits for a generator, undo or a watcher run in progress (one writer at a time).
  const lock = mode === 'write' && findConfig(root)
    ? await acquireLock(root, 'quickback compile', {
      waitMs: generatorWaitMs(),
      onWait: (holder) => err(color.dim(`Waiting for ${describeHolder(holder)} to finish…`)),
    })
    : null;
  let result: CompileResult;
  try {
    result = await compile({
      cwd: root,
      check: mode === 'check',
      dryRun: mode === 'dry-run',
      force: values.force === true,
      cache: cache ? {} : false,
    });
  } finally {
    lock?.release();
  }
  const ms = Math.round(performance.now() - started);
  const warnings = result.diagnostics.filter((d) => d.severity === 'warning');
  if (values.json) {
    printJson({
      ok: !(mode === 'check' && result.changed),
      command: 'compile',
      mode,
      changed: result.changed,
      summary: result.summary,
      written: result.written,
      deleted: result.deleted,
      changes: result.plan.changes.map((c) => ({ path: c.path, action: c.action })),
      diagnostics: result.diagnostics,
      diff: result.diff,
      durationMs: ms,
    });
  } else {
    if (warnings.length > 0) printDiagnostics(warnings, result.root);
    report(result, ms, mode);
  }
  if (mode === 'check' && result.changed) {
    throw new QuickbackError('QB_CHECK_FAILED', 'The generated files are out of date', {
      hint: 'Run `quickback compile` and commit the result.',
      meta: { reported: true },
    });
  }
  return 0;
}
