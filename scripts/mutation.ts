/**
 * `npm run test:mutation`: mutation testing of the security core (issue #28) — firewall, access,
 * guards, masking, JWT, API keys, envelope encryption, the RLS printer and the write stage's drift
 * check (the files in stryker.config.mjs, their unit tests in vitest.stryker.config.ts). Runs
 * StrykerJS, then reads its JSON report and prints, per file, the score and every surviving
 * mutant (file:line, mutator, replacement), ending with the goal line.
 *
 * Score = detected / valid = (killed + timed out) / (killed + timed out + survived + no coverage),
 * Stryker's own definition; compile and runtime errors are not valid mutants.
 * `--report-only`: read the last report without running Stryker again.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '..');
const REPORT = path.join(ROOT, 'reports', 'mutation', 'mutation.json');
const GOAL = 85;

type Status =
  | 'Killed'
  | 'Survived'
  | 'NoCoverage'
  | 'Timeout'
  | 'CompileError'
  | 'RuntimeError'
  | 'Ignored'
  | 'Pending';
interface Mutant {
  mutatorName: string;
  replacement?: string;
  status: Status;
  location: { start: { line: number; column: number } };
}
interface Report {
  files: Record<string, { source: string; mutants: Mutant[] }>;
}

if (!process.argv.includes('--report-only')) {
  const stryker = path.join(ROOT, 'node_modules', '.bin', 'stryker');
  const run = spawnSync(stryker, ['run', 'stryker.config.mjs'], { cwd: ROOT, stdio: 'inherit' });
  if (run.status !== 0) {
    console.error(`stryker exited with ${run.status ?? run.signal}`);
    process.exit(1);
  }
}
if (!existsSync(REPORT)) {
  console.error(`no report at ${path.relative(ROOT, REPORT)}: run npm run test:mutation without --report-only first`);
  process.exit(1);
}

const report = JSON.parse(readFileSync(REPORT, 'utf8')) as Report;
const DETECTED: Status[] = ['Killed', 'Timeout'];
const UNDETECTED: Status[] = ['Survived', 'NoCoverage'];
const score = (detected: number, valid: number) => (valid === 0 ? 100 : (100 * detected) / valid);
const pct = (value: number) => `${value.toFixed(2)} %`;

let detected = 0;
let valid = 0;
const survivors: string[] = [];
console.log('\nfile                                         score     killed  survived  no cover');
for (const [file, { source, mutants }] of Object.entries(report.files).sort(([a], [b]) => a.localeCompare(b))) {
  const count = (statuses: Status[]) => mutants.filter((m) => statuses.includes(m.status)).length;
  const fileDetected = count(DETECTED);
  const fileValid = fileDetected + count(UNDETECTED);
  detected += fileDetected;
  valid += fileValid;
  console.log(
    `${file.padEnd(44)} ${pct(score(fileDetected, fileValid)).padStart(8)}  ${String(fileDetected).padStart(7)}  ${
      String(count(['Survived'])).padStart(8)
    }  ${String(count(['NoCoverage'])).padStart(8)}`,
  );
  const lines = source.split('\n');
  for (const m of mutants.filter((x) => UNDETECTED.includes(x.status))) {
    const { line } = m.location.start;
    const original = lines[line - 1]?.trim() ?? '';
    survivors.push(
      `  ${file}:${line} ${m.mutatorName}${m.status === 'NoCoverage' ? ' (no coverage)' : ''}: ${
        JSON.stringify(m.replacement ?? '')
      }\n      in: ${original.slice(0, 140)}`,
    );
  }
}
console.log(`\n${survivors.length} undetected mutants:\n${survivors.join('\n')}`);
const total = score(detected, valid);
console.log(`\n${detected} of ${valid} valid mutants detected`);
console.log(`goal mutation score ≥ ${GOAL} %: ${total >= GOAL ? 'met' : 'NOT met'} (${pct(total)})`);
