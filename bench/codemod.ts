/**
 * `npm run bench:codemod`: whole-process time of generator commands on a 100-feature project,
 * median of RUNS runs (default 10), each on a fresh copy of the compiled project (the copy is not
 * timed). Goal: ≤ 1 s each for `add feature` and `enable realtime`. The compile after `enable
 * realtime` is refused by this edition (realtime is not built), so that one runs --no-compile;
 * `add feature` is measured both ways. ts-morph: one in-memory Project per process
 * (src/codemod/source.ts), syntactic diagnostics only, never the type checker.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { featureFile } from '../generators/feature/index.js';

const repo = fileURLToPath(new URL('..', import.meta.url));
const bin = path.join(repo, 'bin', 'quickback.js');
const RUNS = Number(process.env.RUNS ?? 10);
const FEATURES = 100;
const pristine = path.join(repo, '.out', 'bench-codemod', 'pristine');
const work = path.join(repo, '.out', 'bench-codemod', 'work');

function project(): void {
  rmSync(path.dirname(pristine), { recursive: true, force: true });
  cpSync(
    path.join(repo, 'examples', 'helpdesk', 'quickback', 'quickback.config.ts'),
    path.join(pristine, 'quickback', 'quickback.config.ts'),
    { recursive: true },
  );
  for (let i = 0; i < FEATURES; i++) {
    const name = `items${i}`;
    const file = path.join(pristine, 'quickback', 'features', name, `${name}.ts`);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(
      file,
      featureFile({
        name,
        scope: 'organization',
        readRoles: ['member+'],
        writeRoles: ['admin+'],
        columns: [
          { name: 'title', code: 'q.text().required()' },
          { name: 'done', code: 'q.boolean()' },
          { name: 'dueAt', code: 'q.timestamp()' },
        ],
      }),
    );
  }
  execFileSync(process.execPath, [bin, 'compile', '--cwd', pristine], { stdio: 'ignore' });
}

function time(args: string[]): number {
  rmSync(work, { recursive: true, force: true });
  cpSync(pristine, work, { recursive: true });
  const start = process.hrtime.bigint();
  execFileSync(process.execPath, [bin, ...args, '--cwd', work], { stdio: 'ignore' });
  return Number(process.hrtime.bigint() - start) / 1e6;
}

/** The same command in place, as in a real project: the compile cache is warm (its output records
 *  older than the 2 s racy window); `undo` (not timed) puts the project back between runs. */
function timeInPlace(args: string[]): number[] {
  rmSync(work, { recursive: true, force: true });
  cpSync(pristine, work, { recursive: true });
  execFileSync(process.execPath, [bin, 'compile', '--cwd', work], { stdio: 'ignore' });
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 2500);
  execFileSync(process.execPath, [bin, 'compile', '--cwd', work], { stdio: 'ignore' });
  return Array.from({ length: RUNS }, () => {
    const start = process.hrtime.bigint();
    execFileSync(process.execPath, [bin, ...args, '--cwd', work], { stdio: 'ignore' });
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    if (args[0] !== 'compile') execFileSync(process.execPath, [bin, 'undo', '--cwd', work], { stdio: 'ignore' });
    return ms;
  });
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

project();
time(['enable', 'realtime', '--no-compile']); // warm the CLI bundle
console.log(`${FEATURES}-feature project; median of ${RUNS} whole-process runs, each on a fresh copy`);
const cases: [string, string[], boolean][] = [
  [
    'add feature guests --no-compile',
    ['add', 'feature', 'guests', '--columns', 'name:text:required', '--no-compile'],
    true,
  ],
  ['enable realtime --no-compile', ['enable', 'realtime', '--no-compile'], true],
  ['add column items7 nickname:text --no-compile', ['add', 'column', 'items7', 'nickname:text', '--no-compile'], false],
  ['add feature guests (+ compile)', ['add', 'feature', 'guests', '--columns', 'name:text:required'], true],
  ['compile alone, nothing to do', ['compile'], false],
];
const inPlace: [string, string[], boolean][] = [
  ['in place: add feature guests (+ compile)', ['add', 'feature', 'guests', '--columns', 'name:text:required'], true],
  ['in place: compile alone, nothing to do', ['compile'], false],
];
for (const [label, args, goal] of [...cases, ...inPlace]) {
  const runs = inPlace.some(([l]) => l === label) ? timeInPlace(args) : Array.from({ length: RUNS }, () => time(args));
  const m = median(runs);
  const verdict = goal
    ? (m <= 1000 ? `goal ≤ 1 s met (${(m / 1000).toFixed(2)}× the budget)` : 'goal ≤ 1 s MISSED')
    : '';
  console.log(
    `${label.padEnd(46)} median ${s(m)} (min ${s(Math.min(...runs))}, max ${s(Math.max(...runs))}) ${verdict}`,
  );
}
rmSync(path.dirname(pristine), { recursive: true, force: true });
