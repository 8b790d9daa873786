/**
 * Issue #30 part 5: every command of `quickback` (its command table, the generators' registry for
 * add/enable/disable/remove) and `create-quickback`, run through the real bins with broken inputs,
 * exits 1 with a QB_ code and a hint and prints no stack trace; with --debug it still exits 1.
 * A new command or generator is swept without touching this file. Children run in a small pool;
 * the broken projects are made once and copied per run (a generator may write before it fails).
 */
import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generators } from '../../generators/registry.js';
import { commands } from '../../src/cli/quickback.js';
import { copyFixture, OUT, REPO } from '../helpers/project.js';
import { contents, runCli, type CliResult } from './run-cli.js';

/** Every command line: `compile`, `keys rotate`, `add feature`, ... from the tables themselves. */
const lines: string[][] = Object.entries(commands).flatMap(([name, c]) => {
  const subs = [
    ...(c.subcommands ?? []),
    ...Object.keys(generators).filter((g) => g.startsWith(`${name} `)).map((g) => g.slice(name.length + 1)),
  ];
  return subs.length > 0 ? subs.map((sub) => [name, sub]) : [[name]];
});

/** Plausible required arguments, so a run gets past them to the broken input under test. */
function required(line: string[]): string[] {
  const plausible: Record<string, string> = {
    feature: 'bookmarks',
    column: line[0] === 'add' ? 'note:text' : 'title',
    name: line[1] === 'plugin' ? 'apiKey' : 'widgets',
  };
  return (generators[line.join(' ')]?.args ?? []).flatMap((
    arg,
  ) => (arg.flag ? [`--${arg.name}`, 'url'] : [plausible[arg.name] ?? 'widgets']));
}

/** A generator's missing arguments, or `keys shred` without --org: only where something is required. */
const needsArguments = (line: string[]) =>
  (generators[line.join(' ')]?.args ?? []).length > 0 || line.join(' ') === 'keys shred';

let work: string;
const projects: Record<string, string> = {};

/**
 * The broken inputs. `project`: a fresh copy of that broken project is the --cwd. `debug`: this
 * case also runs with --debug (once per command is enough: it may add a stack, nothing else).
 */
const cases: Record<
  string,
  { project?: string; debug?: boolean; args: (line: string[]) => string[]; when?: (line: string[]) => boolean }
> = {
  'no project (an empty folder)': { project: 'empty', args: required },
  'a config with a syntax error': { project: 'syntax', args: required },
  'a definition with a semantic error': { project: 'semantic', debug: true, args: required },
  'invalid JSON where JSON is read': { project: 'json', args: required },
  'an unknown flag': { args: (l) => [...required(l), '--frobnicate'] },
  'a flag value of the wrong type': { args: (l) => [...required(l), '--json=yes'] },
  'a missing --cwd folder': { args: (l) => [...required(l), '--cwd', path.join(work, 'no-such-folder')] },
  'missing required arguments': { project: 'json', args: () => [], when: needsArguments },
};
const CONTENT = new Set(['syntax', 'semantic', 'json']);

interface Run {
  line: string[];
  name: string;
  debug: boolean;
  argv: string[];
  result?: CliResult & { stopped: boolean; wrote: boolean };
}
const runs: Run[] = [];

async function pool<T>(items: T[], size: number, each: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: size }, async () => {
    while (next < items.length) await each(items[next++]);
  }));
}

/**
 * A bin in a child process (no TTY, stdin closed). `watching`: stopped (SIGTERM) once it has
 * printed a coded diagnostic with its hint, as a command that waits for a fix would. A run still
 * going after 30 s is a hang (code -1).
 */
function bin(
  name: 'quickback' | 'create-quickback',
  argv: string[],
  cwd = REPO,
  watching = false,
): Promise<CliResult & { stopped: boolean }> {
  return new Promise((resolve) => {
    let stopped = false;
    const child = execFile(
      process.execPath,
      [path.join(REPO, 'bin', `${name}.js`), ...argv],
      { cwd, env: { ...process.env, NO_COLOR: '1', CI: 'true', npm_config_user_agent: '' }, timeout: 30_000 },
      (error, stdout, stderr) =>
        resolve({
          code: stopped ? 0 : !error ? 0 : error.killed ? -1 : typeof error.code === 'number' ? error.code : 1,
          stdout,
          stderr,
          stopped,
        }),
    );
    child.stdin?.end();
    let seen = '';
    if (watching) {
      for (const stream of [child.stdout!, child.stderr!])
        stream.on('data', (d) => {
          seen += d;
          if (!stopped && /\bQB_[A-Z_]+/.test(seen) && /hint:/.test(seen)) {
            stopped = true;
            child.kill('SIGTERM');
          }
        });
    }
  });
}

beforeAll(async () => {
  // Under the repository's .out/ (like every fixture project): definitions import @quickback/compiler.
  mkdirSync(OUT, { recursive: true });
  work = mkdtempSync(path.join(OUT, 'sweep-'));
  const base = copyFixture('solo', 'sweep-base');
  const compiled = await runCli(['compile', '--cwd', base]);
  if (compiled.code !== 0) throw new Error(`fixture did not compile:\n${compiled.stderr}`);
  const variant = (name: string, files: Record<string, string>) => {
    projects[name] = path.join(work, `project-${name}`);
    cpSync(base, projects[name], { recursive: true });
    for (const [file, text] of Object.entries(files)) {
      mkdirSync(path.dirname(path.join(projects[name], file)), { recursive: true });
      writeFileSync(path.join(projects[name], file), text);
    }
  };
  variant('syntax', { 'quickback/quickback.config.ts': 'export default defineConfig({ name: "broken",\n' });
  // A second feature with an unknown role: commands on bookmarks still meet it.
  variant('semantic', {
    'quickback/features/notes/notes.ts':
      'import { feature, q } from "@quickback/compiler";\nexport default feature("notes", {\n  columns: { body: q.text(), userId: q.scope("user") },\n  read: { access: { roles: ["wizard"] } },\n});\n',
  });
  variant('json', {
    'quickback/.quickback/manifest.json': '{"version": 1, "files": [',
    'quickback/.quickback/journal.json': '{ not json',
    'quickback/drizzle/features/meta/_journal.json': '[',
  });
  rmSync(base, { recursive: true, force: true });
  projects.empty = path.join(work, 'project-empty');
  mkdirSync(projects.empty);

  for (const line of lines) {
    for (const [name, c] of Object.entries(cases)) {
      if (c.when && !c.when(line)) continue;
      for (const debug of c.debug ? [false, true] : [false])
        runs.push({ line, name, debug, argv: [...line, ...c.args(line), ...(debug ? ['--debug'] : [])] });
    }
  }
  let n = 0;
  await pool(runs, 4, async (run) => {
    const c = cases[run.name];
    const argv = [...run.argv];
    const copy = c.project && path.join(work, `run-${n++}`);
    if (copy) {
      cpSync(projects[c.project!], copy, { recursive: true });
      argv.push('--cwd', copy);
    }
    const before = copy ? contents(copy) : [];
    const result = await bin(
      'quickback',
      argv,
      REPO,
      commands[run.line[0]].watches === true && CONTENT.has(c.project ?? ''),
    );
    run.result = { ...result, wrote: copy ? JSON.stringify(contents(copy)) !== JSON.stringify(before) : false };
  });
}, 600_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

const STACK = /^\s+at |node:internal|TypeError|ReferenceError|SyntaxError: Unexpected/m;

/**
 * Exit 1 with a QB_ code and a hint, no stack trace (unless --debug). Two other outcomes are
 * right and allowed: a watching command (dev) that reports the problem and keeps waiting for a
 * fix, and, on a broken project, a command with nothing to do that says so and writes nothing
 * (`disable realtime` where it is off).
 */
function check(run: Run): string[] {
  const { code, stdout, stderr, stopped, wrote } = run.result!;
  const output = `${stdout}\n${stderr}`;
  const problems: string[] = [];
  const noop = code === 0 && !stopped && !wrote && CONTENT.has(cases[run.name]?.project ?? '');
  if (noop || (stopped && code === 0))
    return STACK.test(output) && !run.debug
      ? [`quickback ${run.argv.join(' ')} (${run.name}): a stack trace\n${output}`]
      : [];
  if (code !== 1) problems.push(`exit ${code}${code === 0 && wrote ? ' after writing' : ''}`);
  if (!/\bQB_[A-Z_]+/.test(output)) problems.push('no QB_ code');
  if (!/hint:|"hint": "/.test(output)) problems.push('no hint');
  if (!run.debug && STACK.test(output)) problems.push('a stack trace');
  return problems.length
    ? [
      `quickback ${run.argv.join(' ')} (${run.name}): ${problems.join(', ')}\n${
        output.trim().split('\n').slice(0, 12).join('\n')
      }`,
    ]
    : [];
}

describe('every quickback command with broken inputs: exit 1, a QB_ code, a hint, no stack trace', () => {
  it('finds every command and generator', () => {
    expect(lines.map((l) => l.join(' '))).toEqual(
      expect.arrayContaining([
        'compile',
        'dev',
        'migrate',
        'keys rotate',
        'keys shred',
        'add feature',
        'enable realtime',
        'remove plugin',
        'upgrade',
        'undo',
      ]),
    );
    expect(lines.length).toBeGreaterThanOrEqual(Object.keys(generators).length + 5);
  });

  it.each(lines.map((l) => [l.join(' '), l] as const))('quickback %s', (_name, line) => {
    const mine = runs.filter((r) => r.line === line);
    expect(mine.length).toBeGreaterThanOrEqual(8);
    expect(mine.flatMap(check)).toEqual([]);
  });

  it('an unknown command and an unknown subcommand', async () => {
    for (const argv of [['frobnicate'], ['add', 'frobnicate'], ['keys', 'frobnicate']])
      expect(
        check({
          line: argv,
          name: 'unknown',
          debug: false,
          argv,
          result: { ...(await bin('quickback', argv)), wrote: false },
        }),
      ).toEqual([]);
  });
});

describe('create-quickback with broken inputs', () => {
  const broken: [string, string[]][] = [
    ['an unknown flag', ['app', '--yes', '--frobnicate']],
    ['a flag value of the wrong type', ['app', '--yes', '--json=yes']],
    ['a string flag without its value', ['app', '--yes', '--runtime']],
    ['an option that does not exist', ['app', '--yes', '--runtime', 'deno']],
    ['a missing --cwd folder', ['app', '--yes', '--cwd', path.join(tmpdir(), 'qb-sweep-no-such-folder')]],
    ['a non-empty target folder', ['.', '--yes', '--no-install']],
  ];
  it.each(broken)('%s', async (name, argv) => {
    const cwd = mkdtempSync(path.join(tmpdir(), 'qb-sweep-create-'));
    try {
      writeFileSync(path.join(cwd, 'keep.txt'), 'mine');
      for (const debug of [false, true]) {
        const full = [...argv, ...(debug ? ['--debug'] : [])];
        expect(
          check({
            line: ['create-quickback'],
            name,
            debug,
            argv: full,
            result: { ...(await bin('create-quickback', full, cwd)), wrote: false },
          }),
        ).toEqual([]);
      }
    } finally {
      rmSync(cwd, { recursive: true, force: true });
    }
  });
});
