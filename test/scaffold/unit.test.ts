/** create-quickback's steps with an injected prompter (no TTY): answer resolution, the registry, files and secrets. */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { isQuickbackError } from '../../src/shared/errors.js';
import { combinations, defaults, detectPackageManager, validateOptions } from '../../src/cli/create/options.js';
import { planFiles } from '../../src/cli/create/steps/files.js';
import { nodeVersionOk, onPath } from '../../src/cli/create/steps/preflight.js';
import { flagsFrom } from '../../src/cli/create/flags.js';
import { CANCEL, resolveOptions, type Flags, type Prompter } from '../../src/cli/create/steps/resolve.js';

const flags = (extra: Partial<Flags> = {}): Flags => ({ yes: false, interactive: true, ...extra });

/** Answers prompts from a queue and records the questions. */
function scripted(answers: unknown[]): Prompter & { asked: string[] } {
  const asked: string[] = [];
  const next = async (message: string) => {
    asked.push(message);
    return answers.shift() as never;
  };
  return { asked, text: next, select: next, confirm: next, multiselect: next };
}

const codeOf = (run: () => unknown) => {
  try {
    run();
    return null;
  } catch (e) {
    return isQuickbackError(e) ? e.code : e;
  }
};

describe('answers: flag, then --yes default, then prompt', () => {
  it('asks only what no flag answered', async () => {
    const prompter = scripted(['my-app', 'saas', 'better-sqlite3', false, ['admin'], 'pnpm', false, true]);
    const { dir, options } = await resolveOptions(flags({ runtime: 'bun' }), prompter, 'npm');
    expect(dir).toBe('my-app');
    expect(options).toEqual({
      template: 'saas',
      runtime: 'bun',
      database: 'better-sqlite3',
      organizations: false,
      authPlugins: ['admin'],
      packageManager: 'pnpm',
      install: false,
      git: true,
    });
    expect(prompter.asked).not.toContain('Runtime');
  });

  it('uses defaults without prompting under --yes or without a TTY', async () => {
    for (const f of [flags({ yes: true }), flags({ interactive: false })]) {
      const prompter = scripted([]);
      expect((await resolveOptions(f, prompter, 'yarn')).options).toEqual({ ...defaults('yarn') });
      expect(prompter.asked).toEqual([]);
    }
  });

  it('turns a cancelled prompt into QB_CREATE_CANCELLED', async () => {
    await expect(resolveOptions(flags(), scripted(['x', CANCEL]), 'npm')).rejects.toMatchObject({
      code: 'QB_CREATE_CANCELLED',
    });
  });

  it('detects the package manager from npm_config_user_agent', () => {
    expect(detectPackageManager('pnpm/9.1.0 npm/? node/v20.20.0 linux x64')).toBe('pnpm');
    expect(detectPackageManager('bun/1.2.0')).toBe('bun');
    expect(detectPackageManager('')).toBe('npm');
  });
});

describe('flags', () => {
  it('--example-features / --no-example-features mean --template todos / empty, and refuse a contradiction', () => {
    expect(flagsFrom({ 'no-example-features': true }, [], false).template).toBe('empty');
    expect(flagsFrom({ 'example-features': true }, [], false).template).toBe('todos');
    expect(flagsFrom({ 'example-features': true, template: 'saas' }, [], false).template).toBe('saas');
    expect(flagsFrom({}, [], false).template).toBeUndefined();
    expect(codeOf(() => flagsFrom({ 'no-example-features': true, template: 'saas' }, [], false))).toBe(
      'QB_CREATE_INVALID_OPTION',
    );
    expect(codeOf(() => flagsFrom({ 'example-features': true, template: 'empty' }, [], false))).toBe(
      'QB_CREATE_INVALID_OPTION',
    );
  });

  it('prompts only on a TTY without --json, unless told', () => {
    expect(flagsFrom({}, [], true).interactive).toBe(true);
    expect(flagsFrom({ json: true }, [], true).interactive).toBe(false);
    expect(flagsFrom({ 'no-interactive': true }, [], true).interactive).toBe(false);
    expect(flagsFrom({ interactive: true }, [], false).interactive).toBe(true);
  });
});

describe('the options registry', () => {
  it('refuses unknown, unbuilt and mismatched choices before anything is written', () => {
    const d = defaults('npm');
    expect(codeOf(() => validateOptions(d))).toBeNull();
    expect(codeOf(() => validateOptions({ ...d, runtime: 'deno' }))).toBe('QB_CREATE_INVALID_OPTION');
    expect(d).toMatchObject({ runtime: 'cloudflare', database: 'cloudflare-d1' });
    expect(codeOf(() => validateOptions({ ...d, database: 'better-sqlite3' }))).toBe('QB_CREATE_INVALID_COMBINATION');
    expect(codeOf(() => validateOptions({ ...d, runtime: 'node' }))).toBe('QB_CREATE_INVALID_COMBINATION');
    expect(codeOf(() => validateOptions({ ...d, database: 'supabase' }))).toBe('QB_CREATE_INVALID_COMBINATION');
    expect(codeOf(() => validateOptions({ ...d, authPlugins: ['passkey'] }))).toBe('QB_CREATE_INVALID_OPTION');
  });

  it('lists every valid built combination for the matrix', () => {
    // node and bun × better-sqlite3, libsql, neon and supabase, cloudflare × D1 and neon; three templates each
    expect(combinations()).toHaveLength((2 * 4 + 2) * 3);
  });
});

describe('files', () => {
  it('composes base and overlays, ships .gitignore, and writes fresh 64-hex secrets', () => {
    const node = { ...defaults('npm'), runtime: 'node', database: 'better-sqlite3' };
    const a = planFiles('app', { ...node, template: 'saas' });
    const b = planFiles('app', { ...node, template: 'empty' });
    expect(a.map((f) => f.path)).toEqual([
      '.env',
      '.gitignore',
      'README.md',
      'quickback/features/projects/projects.ts',
      'quickback/features/tasks/tasks.ts',
      'quickback/quickback.config.ts',
    ]);
    expect(b.map((f) => f.path)).toEqual(['.env', '.gitignore', 'README.md', 'quickback/quickback.config.ts']);
    const secrets = (files: typeof a) =>
      [...files.find((f) => f.path === '.env')!.contents.matchAll(
        /^(BETTER_AUTH_SECRET|ENCRYPTION_KEK)=([0-9a-f]+)$/gm,
      )].map((m) => m[2]);
    expect(secrets(a).every((s) => s.length === 64)).toBe(true);
    expect(secrets(a)).toHaveLength(2);
    expect(secrets(a)[0]).not.toBe(secrets(a)[1]);
    expect(secrets(a)).not.toEqual(secrets(b));
    expect(a.find((f) => f.path === '.gitignore')!.contents).toMatch(/^\.env$/m);
  });

  it('on Cloudflare (the default): secrets in .dev.vars, the pinned compatibility date in the config', () => {
    const files = planFiles('app', defaults('npm'));
    expect(files.map((f) => f.path)).toEqual([
      '.dev.vars',
      '.gitignore',
      'README.md',
      'quickback/features/todos/todos.ts',
      'quickback/quickback.config.ts',
    ]);
    expect(files.find((f) => f.path === '.dev.vars')).toMatchObject({
      secret: true,
      contents: expect.stringMatching(/^BETTER_AUTH_URL=http:\/\/127\.0\.0\.1:8787$/m),
    });
    // The development marker (wrangler reads .dev.vars only locally: a deployed Worker runs with production settings).
    expect(files.find((f) => f.path === '.dev.vars')!.contents).toMatch(/^QUICKBACK_DEV=1$/m);
    expect(files.find((f) => f.path === 'quickback/quickback.config.ts')!.contents).toContain(
      'defineRuntime("cloudflare", { compatibilityDate: "2026-04-26" })',
    );
    expect(files.find((f) => f.path === 'README.md')!.contents).toContain('npm run db:migrate:local');
  });
});

describe('preflight', () => {
  it('needs Node 20.19 or newer', () => {
    expect(nodeVersionOk('20.19.0')).toBe(true);
    expect(nodeVersionOk('22.1.0')).toBe(true);
    expect(nodeVersionOk('20.18.3')).toBe(false);
    expect(nodeVersionOk('18.20.0')).toBe(false);
  });

  it('finds tools on PATH without running them', () => {
    const dir = path.dirname(process.execPath);
    expect(onPath('node', { PATH: dir })).toBe(true);
    expect(onPath('node', { PATH: '' })).toBe(false);
    expect(onPath('no-such-tool-quickback', { PATH: dir })).toBe(false);
  });
});
