/**
 * Issue #30 part 7 (polish): `create-quickback --version`, per-subcommand `--help` (child
 * processes of the real bins), a watch session's unchanged warning printed once, the scaffold's
 * install progress (in process). No project is compiled.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { reportRun } from '../../src/cli/commands/compile-watch.js';
import { lastLine, logged } from '../../src/cli/create/steps/run.js';
import type { CompileResult } from '../../src/compiler/index.js';
import type { WatchRun } from '../../src/compiler/watch/index.js';
import type { Diagnostic } from '../../src/shared/diagnostics.js';
import { QuickbackError } from '../../src/shared/errors.js';
import { REPO } from '../helpers/project.js';
import { runCreate } from '../scaffold/run-create.js';
import { runCli } from './run-cli.js';

const version = (JSON.parse(readFileSync(path.join(REPO, 'package.json'), 'utf8')) as { version: string }).version;

describe('create-quickback --version', () => {
  it.each(['--version', '-v'])('%s prints the version and exits 0, writing nothing', async (flag) => {
    const result = await runCreate([flag], REPO);
    expect(result.code).toBe(0);
    expect(result.stdout.trim()).toBe(version);
    expect(result.stderr).toBe('');
  });
});

describe('per-subcommand --help', () => {
  it('`add feature --help` prints only add feature; `add --help` lists every add generator', async () => {
    const one = await runCli(['add', 'feature', '--help']);
    expect(one.code).toBe(0);
    expect(one.stdout).toContain('quickback add feature <name>');
    expect(one.stdout.match(/^quickback /gm)).toHaveLength(1);
    const all = await runCli(['add', '--help']);
    expect(all.code).toBe(0);
    for (const what of ['feature', 'column', 'view', 'action', 'plugin'])
      expect(all.stdout).toContain(`quickback add ${what} `);
  });

  it.each([['remove', 'plugin'], ['enable', 'realtime'], ['disable', 'organizations']])(
    '`%s %s --help` prints only that generator',
    async (verb, what) => {
      const result = await runCli([verb, what, '--help']);
      expect(result.code).toBe(0);
      expect(result.stdout.match(/^quickback /gm)).toEqual(['quickback ']);
      expect(result.stdout).toContain(`quickback ${verb} ${what}`);
    },
  );

  it('`keys shred --help` prints only shred; `keys --help` both', async () => {
    const one = await runCli(['keys', 'shred', '--help']);
    expect(one.code).toBe(0);
    expect(one.stdout).toContain('quickback keys shred');
    expect(one.stdout).not.toContain('rotate');
    const all = await runCli(['keys', '--help']);
    expect(all.stdout).toContain('quickback keys rotate');
    expect(all.stdout).toContain('quickback keys shred');
  });
});

describe('watch: an unchanged warning is printed once per session', () => {
  const placeholder = {
    code: 'QB_VALIDATE_DEPLOY_PLACEHOLDER',
    severity: 'warning',
    message: 'wrangler.toml gets local-dev placeholder ids for DB: `wrangler deploy` will need the real ones',
    file: 'quickback/quickback.config.ts',
  } as const;
  const syntax = {
    code: 'QB_LOAD_SYNTAX_ERROR',
    severity: 'error',
    message: "',' expected",
    file: 'quickback/features/todos/todos.ts',
    line: 9,
    column: 30,
  } as const;
  const ok = (run: number, diagnostics: Diagnostic[]): WatchRun => ({
    run,
    trigger: run === 1 ? [] : ['quickback/features/todos/todos.ts'],
    ms: 5,
    result: { diagnostics, written: [], deleted: [], summary: { unchanged: 3 } } as unknown as CompileResult,
  });
  const failed = (run: number, diagnostics: Diagnostic[]): WatchRun => ({
    run,
    trigger: ['quickback/features/todos/todos.ts'],
    ms: 5,
    error: new QuickbackError('QB_LOAD_SYNTAX_ERROR', 'does not parse', { diagnostics }),
  });

  it('prints the placeholder warning on the first run only; errors every time; a changed warning again', () => {
    const printed: string[] = [];
    const spy = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
      printed.push(String(chunk));
      return true;
    });
    const stdout = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      const seen = new Set<string>();
      const count = (text: string) => printed.join('').split(text).length - 1;
      for (let run = 1; run <= 5; run++) reportRun(ok(run, [placeholder]), { json: false, debug: false }, seen);
      expect(count('QB_VALIDATE_DEPLOY_PLACEHOLDER')).toBe(1);
      expect(count('1 warning as before')).toBe(4);
      reportRun(failed(6, [syntax]), { json: false, debug: false }, seen);
      reportRun(failed(7, [syntax]), { json: false, debug: false }, seen);
      expect(count('QB_LOAD_SYNTAX_ERROR')).toBe(2);
      reportRun(ok(8, [{ ...placeholder, message: placeholder.message.replace('DB', 'DB, FILES') }]), {
        json: false,
        debug: false,
      }, seen);
      expect(count('QB_VALIDATE_DEPLOY_PLACEHOLDER')).toBe(2);
    } finally {
      spy.mockRestore();
      stdout.mockRestore();
    }
  });
});

describe('scaffold install step: progress', () => {
  it("reports the elapsed time and the tool's last output line while it runs, then the summary", async () => {
    const script =
      "const say = (t, ms) => new Promise((r) => setTimeout(() => { process.stdout.write(t); r(); }, ms)); await say('\\u001b[32mresolving\\u001b[0m hono\\n', 10); await say('fetching drizzle-orm\\n\\n', 150); await say('added 3 packages in 1s\\n', 150);";
    const seen: string[] = [];
    const detail = await logged(
      'install',
      process.execPath,
      ['--input-type=module', '-e', script],
      REPO,
      (text) => seen.push(text),
      40,
    );
    expect(detail).toBe('added 3 packages in 1s');
    expect(seen.length).toBeGreaterThanOrEqual(3);
    expect(seen.every((t) => /^install · \d+s/.test(t))).toBe(true);
    expect(seen.some((t) => /^install · \d+s · resolving hono$/.test(t))).toBe(true);
    expect(seen.some((t) => /^install · \d+s · fetching drizzle-orm$/.test(t))).toBe(true);
    expect(lastLine('a\r\nb\rc\n\n')).toBe('c');
  });
});
