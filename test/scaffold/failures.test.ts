/**
 * What a failed or refused scaffold leaves behind: nothing. A non-empty directory and an invalid
 * combination are refused before writing; a failing install and a killed process remove the
 * partial project; --dry-run writes nothing. SIGINT (Ctrl-C) or SIGTERM at each step stops the
 * running tool (slow stand-ins for npm and git make the steps observable), removes the project
 * and exits 130 / 143 (the terminal case is in interactive.test.ts). Secrets differ per project and git ignores them.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { alive, appears, runCreate, scaffoldDir, slowTools } from './run-create.js';

const base = ['--yes', '--no-git', '--json'];

describe('create-quickback failures', () => {
  it('refuses a non-empty directory and touches nothing', async () => {
    const cwd = scaffoldDir('nonempty');
    mkdirSync(path.join(cwd, 'app'));
    writeFileSync(path.join(cwd, 'app', 'keep.txt'), 'mine');
    const { code, stdout } = await runCreate(['app', ...base, '--no-install'], cwd);
    expect(code).toBe(1);
    expect(JSON.parse(stdout).error.code).toBe('QB_CREATE_NOT_EMPTY');
    expect(readdirSync(path.join(cwd, 'app'))).toEqual(['keep.txt']);
  });

  it('refuses an invalid combination with the valid choices, before writing', async () => {
    const cwd = scaffoldDir('combo');
    const { code, stdout } = await runCreate([
      'app',
      ...base,
      '--no-install',
      '--runtime',
      'node',
      '--database',
      'cloudflare-d1',
    ], cwd);
    expect(code).toBe(1);
    expect(JSON.parse(stdout).error).toMatchObject({
      code: 'QB_CREATE_INVALID_COMBINATION',
      hint: 'On node choose one of: better-sqlite3, libsql, neon, supabase',
    });
    const human = await runCreate(['app', '--yes', '--no-install', '--runtime', 'deno'], cwd);
    expect(human.code).toBe(1);
    expect(human.stderr).toContain('QB_CREATE_INVALID_OPTION');
    expect(readdirSync(cwd)).toEqual([]);
  });

  it('removes everything when the install fails, names the step and keeps the log', async () => {
    const cwd = scaffoldDir('install');
    const { code, stdout } = await runCreate(['app', ...base, '--install', '--package-manager', 'npm'], cwd, {
      npm_config_registry: 'http://127.0.0.1:9/',
      npm_config_fetch_retries: '0',
      npm_config_offline: 'false',
      npm_config_cache: path.join(cwd, '.npm-cache'),
    });
    expect(code).toBe(1);
    const { error } = JSON.parse(stdout);
    expect(error).toMatchObject({ code: 'QB_CREATE_STEP_FAILED', step: 'install' });
    const log = /Full log: (\S+)/.exec(error.hint)![1];
    expect(readFileSync(log, 'utf8')).toContain('npm install');
    expect(existsSync(path.join(cwd, 'app'))).toBe(false);
  }, 120_000);

  it('preflight: a package manager that is not on PATH is refused before writing', async () => {
    const cwd = scaffoldDir('preflight');
    const bin = path.join(cwd, '.bin-node-only');
    mkdirSync(bin);
    symlinkSync(process.execPath, path.join(bin, 'node'));
    const { code, stdout } = await runCreate(['app', ...base, '--install', '--package-manager', 'pnpm'], cwd, {
      PATH: bin,
    });
    expect(code).toBe(1);
    expect(JSON.parse(stdout).error).toMatchObject({ code: 'QB_CREATE_PREFLIGHT', message: 'pnpm was not found' });
    expect(readdirSync(cwd)).toEqual(['.bin-node-only']);
  });

  it('--dry-run lists the files and writes nothing', async () => {
    const cwd = scaffoldDir('dry');
    const { code, stdout } = await runCreate(['app', ...base, '--no-install', '--dry-run', '--template', 'saas'], cwd);
    expect(code).toBe(0);
    const result = JSON.parse(stdout);
    expect(result.files.map((f: { path: string }) => f.path)).toContain('quickback/features/tasks/tasks.ts');
    expect(result.files.every((f: { bytes: number }) => f.bytes > 0)).toBe(true);
    expect(readdirSync(cwd)).toEqual([]);
  });

  it('writes different secrets per project, and git ignores them', async () => {
    const cwd = scaffoldDir('secrets');
    for (const name of ['one', 'two'])
      expect(
        (await runCreate(
          [name, '--yes', '--no-install', '--git', '--template', 'empty', '--runtime', 'node', '--json'],
          cwd,
        )).code,
      ).toBe(0);
    const secrets = (name: string) => readFileSync(path.join(cwd, name, '.env'), 'utf8').match(/=[0-9a-f]{64}$/gm)!;
    expect(secrets('one')).toHaveLength(2);
    expect(secrets('one')).not.toEqual(secrets('two'));
    expect(execFileSync('git', ['check-ignore', '.env'], { cwd: path.join(cwd, 'one'), encoding: 'utf8' }).trim()).toBe(
      '.env',
    );
    expect(execFileSync('git', ['ls-files'], { cwd: path.join(cwd, 'one'), encoding: 'utf8' })).toContain(
      '.env.example',
    );
    // The committed example names both secrets, without values.
    const example = readFileSync(path.join(cwd, 'one', '.env.example'), 'utf8');
    expect(example).toMatch(/^BETTER_AUTH_SECRET=$/m);
    expect(example).toMatch(/^ENCRYPTION_KEK=$/m);
  });

  it("on Cloudflare (the default) writes the secrets to .dev.vars, which git ignores with wrangler's state", async () => {
    const cwd = scaffoldDir('secrets-cf');
    expect((await runCreate(['app', '--yes', '--no-install', '--git', '--template', 'empty', '--json'], cwd)).code)
      .toBe(0);
    const root = path.join(cwd, 'app');
    expect(readFileSync(path.join(root, '.dev.vars'), 'utf8')).toMatch(
      /^BETTER_AUTH_SECRET=[0-9a-f]{64}\nENCRYPTION_KEK=[0-9a-f]{64}\nBETTER_AUTH_URL=http:\/\/127\.0\.0\.1:8787$/m,
    );
    expect(
      execFileSync('git', ['check-ignore', '.dev.vars', '.wrangler/state'], { cwd: root, encoding: 'utf8' }).trim()
        .split('\n'),
    ).toEqual(['.dev.vars', '.wrangler/state']);
    const tracked = execFileSync('git', ['ls-files'], { cwd: root, encoding: 'utf8' });
    expect(tracked).toContain('.dev.vars.example');
    expect(tracked).toContain('wrangler.toml');
    expect(tracked).not.toContain('.env');
  });
});

describe('create-quickback interrupted at each step (no terminal)', () => {
  const tools = slowTools();
  const env = { PATH: `${tools.dir}${path.delimiter}${process.env.PATH}` };
  const node = ['app', '--yes', '--runtime', 'node', '--template', 'todos'];
  const output = (text: string) => (run: ReturnType<typeof runCreate>) =>
    new Promise<void>((resolve) => run.child.stdout!.on('data', (d) => String(d).includes(text) && resolve()));
  const tool = (name: 'npm' | 'git') => async () => {
    await appears(tools.pidFile(name));
  };
  const cases: [string, string[], (run: ReturnType<typeof runCreate>) => Promise<void>][] = [
    ['write', [...node, '--no-install', '--no-git'], output('… write')],
    ['compile', [...node, '--no-install', '--no-git'], output('… compile')],
    ['migrate', [...node, '--no-install', '--no-git'], output('… migrate')],
    ['install', [...node, '--install', '--package-manager', 'npm', '--no-git'], tool('npm')],
    ['git', [...node, '--no-install', '--git'], tool('git')],
  ];

  it.each(cases)('Ctrl-C during %s: the tool is stopped, the project removed, exit 130', async (step, args, ready) => {
    const cwd = scaffoldDir(`sigint-${step}`);
    try {
      const run = runCreate(args, cwd, env);
      await ready(run);
      run.child.kill('SIGINT');
      const { code, stderr } = await run;
      expect(code).toBe(130);
      expect(stderr.trim()).toBe(`Interrupted: removed ${path.join(cwd, 'app')}`);
      expect(readdirSync(cwd)).toEqual([]);
      for (const name of ['npm', 'git'] as const)
        if (existsSync(tools.pidFile(name)))
          expect(alive(Number(readFileSync(tools.pidFile(name), 'utf8')))).toBe(false);
    } finally {
      for (const name of ['npm', 'git'] as const) rmSync(tools.pidFile(name), { force: true });
      rmSync(cwd, { recursive: true, force: true });
    }
  }, 60_000);

  it('--keep-on-failure keeps the project on Ctrl-C and says so; --json reports QB_CREATE_INTERRUPTED', async () => {
    const cwd = scaffoldDir('sigint-keep');
    try {
      const run = runCreate(
        [...node, '--install', '--package-manager', 'npm', '--no-git', '--keep-on-failure', '--json'],
        cwd,
        env,
      );
      await appears(tools.pidFile('npm'));
      run.child.kill('SIGINT');
      const { code, stdout } = await run;
      expect(code).toBe(130);
      expect(JSON.parse(stdout)).toMatchObject({
        ok: false,
        interrupted: 'SIGINT',
        error: {
          code: 'QB_CREATE_INTERRUPTED',
          message: `Interrupted: kept ${path.join(cwd, 'app')} (--keep-on-failure)`,
        },
      });
      expect(existsSync(path.join(cwd, 'app', '.env'))).toBe(true);
      expect(alive(Number(readFileSync(tools.pidFile('npm'), 'utf8')))).toBe(false);
    } finally {
      rmSync(tools.pidFile('npm'), { force: true });
      rmSync(cwd, { recursive: true, force: true });
    }
  }, 60_000);

  it('SIGTERM during the install removes the project and exits 143', async () => {
    const cwd = scaffoldDir('sigterm');
    try {
      const run = runCreate([...node, '--install', '--package-manager', 'npm', '--no-git'], cwd, env);
      await appears(tools.pidFile('npm'));
      run.child.kill('SIGTERM');
      const { code, stderr } = await run;
      expect(code).toBe(143);
      expect(stderr.trim()).toBe(`Interrupted: removed ${path.join(cwd, 'app')}`);
      expect(readdirSync(cwd)).toEqual([]);
    } finally {
      rmSync(tools.pidFile('npm'), { force: true });
      rmSync(cwd, { recursive: true, force: true });
    }
  }, 60_000);

  afterAll(() => rmSync(tools.dir, { recursive: true, force: true }));
});
