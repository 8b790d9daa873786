/**
 * `npm run bench:scaffold`: `create-quickback app --yes --no-install --no-git` as a whole process
 * (write, first compile, first migration), median of RUNS runs (default 10) into fresh folders,
 * plus the same with --dry-run (resolve and plan only) to show where the time goes.
 * Goal: ≤ 0.5 s.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = fileURLToPath(new URL('..', import.meta.url));
const bin = path.join(repo, 'bin', 'create-quickback.js');
const RUNS = Number(process.env.RUNS ?? 10);
const work = path.join(repo, '.out', 'bench-scaffold');

function time(args: string[]): number {
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  const start = process.hrtime.bigint();
  execFileSync(process.execPath, [bin, 'app', '--yes', '--no-install', '--no-git', ...args], {
    cwd: work,
    stdio: 'ignore',
  });
  return Number(process.hrtime.bigint() - start) / 1e6;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
time([]); // warm the CLI bundle
for (
  const [label, args] of [
    ['scaffold (write + compile + migrate)', []],
    ['--dry-run (resolve + plan)', ['--dry-run']],
  ] as const
) {
  const runs = Array.from({ length: RUNS }, () => time([...args]));
  const m = median(runs);
  console.log(
    `${label.padEnd(38)} median ${(m / 1000).toFixed(2)} s over ${RUNS} runs (min ${
      (Math.min(...runs) / 1000).toFixed(2)
    } s) ${label.startsWith('scaffold') ? (m <= 500 ? 'goal met' : 'goal ≤ 0.5 s MISSED') : ''}`,
  );
}
rmSync(work, { recursive: true, force: true });
