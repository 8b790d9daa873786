/**
 * @module cli/commands/compile-watch
 * `quickback compile --watch`: runs the compiler's watcher and prints one summary line per run
 * (with --json, one JSON document per line). Diagnostics are printed (an unchanged warning once per
 * session) and watching goes on.
 * Ctrl-C (SIGINT) or SIGTERM lets a run in progress finish, then exits 0.
 */
import { watchCompile, type WatchRun } from '../../compiler/watch/index.js';
import { isQuickbackError } from '../../shared/errors.js';
import type { Diagnostic } from '../../shared/diagnostics.js';
import { color, err, out, printDiagnostics, printInternalError, printJsonLine } from '../output.js';

export interface WatchFlags {
  cwd: string;
  cache: boolean;
  force: boolean;
  json: boolean;
  debug: boolean;
}

function diagnosticsOf(run: WatchRun): Diagnostic[] {
  if (run.result) return run.result.diagnostics;
  return isQuickbackError(run.error) ? run.error.toDiagnostics() : [];
}

function summary(run: WatchRun): string {
  const what = run.trigger.length === 0
    ? 'start'
    : run.trigger.length === 1
    ? run.trigger[0]
    : `${run.trigger[0]} +${run.trigger.length - 1}`;
  const count = diagnosticsOf(run).length;
  const diagnostics = `${count} diagnostic${count === 1 ? '' : 's'}`;
  if (!run.result)
    return `${color.red('✗')} run ${run.run} (${what}): failed, output left as it was · ${run.ms} ms · ${diagnostics}`;
  const { written, deleted, summary: s } = run.result;
  const mark = written.length + deleted.length > 0 ? color.green('✓') : color.dim('✓');
  return `${mark} run ${run.run} (${what}): ${written.length} written, ${deleted.length} deleted, ${s.unchanged} unchanged · ${run.ms} ms · ${diagnostics}`;
}

const warningKey = (d: Diagnostic) => JSON.stringify([d.code, d.file, d.at, d.line, d.column, d.message]);

/**
 * Prints a run. `seen` holds the warnings printed earlier in this watch session: a warning that
 * does not change (the placeholder-D1-id one, say) is printed once, not on every save; errors
 * always are. The summary line still counts every diagnostic; --json lists them all every run.
 */
export function reportRun(
  run: WatchRun,
  flags: Pick<WatchFlags, 'json' | 'debug'>,
  seen: Set<string> = new Set(),
): void {
  const diagnostics = diagnosticsOf(run);
  if (flags.json) {
    printJsonLine({
      run: run.run,
      trigger: run.trigger,
      ok: run.result !== undefined,
      durationMs: run.ms,
      written: run.result?.written ?? [],
      deleted: run.result?.deleted ?? [],
      unchanged: run.result?.summary.unchanged ?? 0,
      diagnostics,
    });
    return;
  }
  if (run.error !== undefined && !isQuickbackError(run.error)) printInternalError(run.error, flags.debug);
  else if (diagnostics.length > 0) {
    const root = run.result?.root
      ?? (isQuickbackError(run.error) && typeof run.error.meta?.root === 'string' ? run.error.meta.root : undefined);
    const fresh = diagnostics.filter((d) => d.severity !== 'warning' || !seen.has(warningKey(d)));
    for (const d of diagnostics) if (d.severity === 'warning') seen.add(warningKey(d));
    if (fresh.length > 0) printDiagnostics(fresh, root);
    const repeated = diagnostics.length - fresh.length;
    if (repeated > 0)
      err(color.dim(`${repeated} warning${repeated === 1 ? '' : 's'} as before (printed once per session)`));
  }
  out(summary(run));
  const actions = new Map(run.result?.plan?.changes.map((change) => [change.path, change.action]));
  for (const file of run.result?.written ?? []) out(`  ${color.dim(actions.get(file) ?? 'write ')} ${file}`);
  for (const file of run.result?.deleted ?? []) out(`  ${color.dim('delete')} ${file}`);
}

export async function runCompileWatch(flags: WatchFlags): Promise<number> {
  const seen = new Set<string>();
  // Listening from the start: a Ctrl-C during the first run lets it finish, then exits 0.
  const signalled = untilSignal();
  const watcher = await watchCompile({
    cwd: flags.cwd,
    cache: flags.cache,
    force: flags.force,
    onRun: (run) => reportRun(run, flags, seen),
  });
  if (!flags.json) out(color.dim('Watching quickback/ for changes (Ctrl-C to stop).'));
  await signalled;
  if (!flags.json) err(color.dim('Stopping: letting the current run finish…'));
  await watcher.close();
  return 0;
}

/**
 * Resolves on the first SIGINT (Ctrl-C) or SIGTERM, or when `also` settles; a second signal exits
 * at once (130). The listeners stay registered until the process ends: removing them while the
 * signal is being delivered would let signal-exit (execa's child cleanup) re-raise it and kill
 * the process before the current run and the dev server are wound down.
 */
export function untilSignal(also?: Promise<unknown>): Promise<void> {
  return new Promise<void>((resolve) => {
    let stopping = false;
    const onSignal = () => {
      if (stopping) process.exit(130);
      stopping = true;
      resolve();
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    void also?.finally(() => {
      stopping = true;
      resolve();
    });
  });
}
