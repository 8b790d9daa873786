/**
 * `npm run bench:compile`, on generated projects of 10, 100 and 400 features:
 * - cold: `quickback compile --no-cache` in a fresh process with no output yet (median of RUNS);
 * - incremental, after changing one feature (median of EDITS each), two kinds of change: an edit
 *   that keeps the schema (a maxLength) and one that adds a column (a new migration):
 *     - in a fresh process with the on-disk cache (`quickback compile`, what CI or a script runs);
 *     - in the watch process (`quickback compile --watch`, what compile-on-save runs): the
 *       run's own time, and the latency from the file save to the last output written.
 * Prints every number with the ratios 400/100 cold and incremental/cold.
 * - the format step (compiler/emit/format.ts): cold at 100 and 400, interleaved in this same run,
 *   with it (the shared format cache on disk warm: a bench-own folder, filled by the first run),
 *   with it and no shared cache (QUICKBACK_FORMAT_CACHE=off: a first compile on a new machine),
 *   and without it (QUICKBACK_FORMAT=off); and the watch run without it.
 * Goals (2 cores): cold 100 ≤ 2 s, cold 400 ≤ 6 s, one-feature incremental ≤ 300 ms at 100,
 * cold with formatting ≤ 1.10× cold without.
 */
import { execFileSync, spawn } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { bin, featureFile, makeProject, median, repo } from './project.js';

const RUNS = Number(process.env.RUNS ?? 3);
const EDITS = Number(process.env.EDITS ?? 10);

const clean = (root: string) => {
  // The drizzle configs too: a run without formatting must not find the formatted ones of the run before.
  for (
    const dir of ['src', 'quickback/drizzle', 'quickback/.quickback', 'drizzle.config.ts', 'drizzle.auth.config.ts']
  ) {
    rmSync(path.join(root, dir), { recursive: true, force: true });
  }
};
const timed = (args: string[], env: Record<string, string> = {}) => {
  const started = performance.now();
  execFileSync(process.execPath, [bin, ...args], { stdio: 'ignore', env: { ...process.env, ...env } });
  return performance.now() - started;
};
const ms = (x: number) => `${x.toFixed(0)} ms`;
/** The shared format cache of the runs "with formatting": the bench's own, empty at the start. */
const formatCache = path.join(repo, '.out', 'bench-format-cache');
rmSync(formatCache, { recursive: true, force: true });
process.env.QUICKBACK_FORMAT_CACHE = formatCache;
const NO_SHARED_CACHE = { QUICKBACK_FORMAT_CACHE: 'off' };
const NO_FORMAT = { QUICKBACK_FORMAT: 'off' };

/** The n-th change to feature items1: a maxLength edit (same schema) or one more column. */
function change(root: string, kind: 'edit' | 'column', n: number): void {
  const file = featureFile(root, 1);
  const text = readFileSync(file, 'utf8');
  writeFileSync(
    file,
    kind === 'edit'
      ? text.replace(/maxLength: \d+/, `maxLength: ${300 + n}`)
      : text.replace('organizationId: q.scope', `extra${n}: q.text().optional(),\n    organizationId: q.scope`),
  );
}

function freshIncremental(root: string, kind: 'edit' | 'column'): number {
  timed(['compile', '--cwd', root]);
  return median(Array.from({ length: EDITS }, (_, n) => {
    change(root, kind, n);
    return timed(['compile', '--cwd', root]);
  }));
}

/** Watch: per change, [the run's own duration, save → run reported (its writes are done by then)]. */
async function watchIncremental(
  root: string,
  kind: 'edit' | 'column',
  first: number,
  env: Record<string, string> = {},
): Promise<{ run: number; latency: number }> {
  const child = spawn(process.execPath, [bin, 'compile', '--watch', '--json', '--cwd', root], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, ...env },
  });
  const lines: { durationMs: number; ok: boolean }[] = [];
  let buffer = '';
  let wake: (() => void) | undefined;
  child.stdout.on('data', (chunk: Buffer) => {
    buffer += chunk.toString();
    for (let i = buffer.indexOf('\n'); i >= 0; i = buffer.indexOf('\n')) {
      lines.push(JSON.parse(buffer.slice(0, i)));
      buffer = buffer.slice(i + 1);
      wake?.();
    }
  });
  const next = async (count: number) => {
    while (lines.length < count) await new Promise<void>((resolve) => (wake = resolve));
  };
  await next(1);
  const runs: number[] = [];
  const latencies: number[] = [];
  for (let n = 0; n < EDITS; n++) {
    await new Promise((resolve) => setTimeout(resolve, 300));
    const saved = performance.now();
    change(root, kind, first + n);
    await next(n + 2);
    latencies.push(performance.now() - saved);
    const line = lines[n + 1];
    if (!line.ok) throw new Error('a watch run failed');
    runs.push(line.durationMs);
  }
  child.kill('SIGINT');
  return { run: median(runs), latency: median(latencies) };
}

const cold: Record<number, number> = {};
const unshared: Record<number, number> = {};
const unformatted: Record<number, number> = {};
for (const size of [10, 100, 400]) {
  const root = makeProject(size);
  const coldRun = (env?: Record<string, string>) => {
    clean(root);
    return timed(['compile', '--no-cache', '--cwd', root], env);
  };
  // Interleaved, so a busy moment on the machine weighs on all alike.
  const runs = Array.from(
    { length: RUNS },
    () => size === 10 ? [coldRun(), 0, 0] : [coldRun(), coldRun(NO_SHARED_CACHE), coldRun(NO_FORMAT)],
  );
  const column = (i: number) => runs.map((run) => run[i]);
  const report = (label: string, i: number) => {
    console.log(
      `cold ${String(size).padStart(3)} features${label}: median ${ms(median(column(i)))}  (runs: ${
        column(i).map(ms).join(', ')
      })`,
    );
    return median(column(i));
  };
  cold[size] = report('', 0);
  if (size === 10) continue;
  unshared[size] = report(' with formatting, no shared format cache', 1);
  unformatted[size] = report(' without formatting', 2);
}

const incremental: Record<string, number> = {};
for (const size of [100, 400]) {
  const root = path.join(repo, '.out', `bench-${size}`);
  for (const kind of ['edit', 'column'] as const) {
    const fresh = freshIncremental(root, kind);
    // Each process its own column names: a name added again would change no schema (the same key twice).
    const watched = await watchIncremental(root, kind, 1000);
    const plain = await watchIncremental(root, kind, 2000, NO_FORMAT);
    incremental[`${size}-${kind}`] = watched.run;
    incremental[`${size}-${kind}-unformatted`] = plain.run;
    console.log(
      `incremental ${size} features, ${kind === 'edit' ? 'edit (same schema)' : 'add column (migration)'}: watch run ${
        ms(watched.run)
      } (without formatting ${ms(plain.run)}), watch save→written ${ms(watched.latency)}, fresh process with cache ${
        ms(fresh)
      }  (median of ${EDITS})`,
    );
  }
}

console.log(`ratio cold 400/100: ${(cold[400] / cold[100]).toFixed(2)}x`);
for (const kind of ['edit', 'column'])
  console.log(
    `ratio incremental/cold at 100 (${kind}, watch run): ${(incremental[`100-${kind}`] / cold[100]).toFixed(3)}`,
  );
const goal = (label: string, value: number, limit: number) =>
  console.log(`goal ${label} ≤ ${limit} ms: ${value <= limit ? 'met' : 'NOT met'} (${ms(value)})`);
goal('cold 100', cold[100], 2000);
goal('cold 400', cold[400], 6000);
goal('incremental 100 (watch run, worst kind)', Math.max(incremental['100-edit'], incremental['100-column']), 300);
const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}×: ${ms(a)} vs ${ms(b)}`;
const within = (a: number, b: number) => (a / b <= 1.1 ? 'met' : 'NOT met');
for (const size of [100, 400]) {
  console.log(
    `goal cold compile at ${size} with formatting ≤ 1.10× without: ${within(cold[size], unformatted[size])} (${
      ratio(cold[size], unformatted[size])
    }; shared format cache warm)`,
  );
  console.log(
    `goal cold compile at ${size} with formatting ≤ 1.10× without, no shared format cache: ${
      within(unshared[size], unformatted[size])
    } (${ratio(unshared[size], unformatted[size])})`,
  );
}
for (const kind of ['edit', 'column']) {
  const [withIt, without] = [incremental[`100-${kind}`], incremental[`100-${kind}-unformatted`]];
  console.log(
    `goal incremental at 100 (${kind}, watch run) with formatting ≤ 1.10× without: ${within(withIt, without)} (${
      ratio(withIt, without)
    })`,
  );
}
