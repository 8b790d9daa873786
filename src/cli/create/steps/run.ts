/**
 * @module cli/create/steps/run
 * The steps that change the disk, in order: write the files, the first compile, the first local
 * migration, install, git. Each is named; if one fails, everything this run created is removed
 * (unless `keepOnFailure`) and QB_CREATE_STEP_FAILED names the step and where its log is.
 */
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { compile } from '../../../compiler/index.js';
import { applyMigrations } from '../../../compiler/migrate/apply.js';
import { QuickbackError, isQuickbackError } from '../../../shared/errors.js';
import type { CreateOptions } from '../options.js';
import type { PlannedFile } from './files.js';

export interface StepReporter { start(step: string): void; done(step: string, detail?: string): void }

export interface RunInput { root: string; files: PlannedFile[]; options: CreateOptions; keepOnFailure: boolean; reporter: StepReporter }

function writeFiles(root: string, files: PlannedFile[]): void {
  for (const file of files) {
    const target = path.join(root, ...file.path.split('/'));
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, file.contents, { mode: file.secret ? 0o600 : 0o644 });
  }
}

async function migrate(root: string, options: CreateOptions, split: boolean): Promise<void> {
  const driver = options.database === 'libsql' ? 'libsql' : 'better-sqlite3';
  const folders = split ? [['features', 'features'], ['auth', 'auth']] : [['features', 'features']];
  for (const [db, folder] of folders) {
    // No features yet (the empty template): nothing to migrate in that database.
    if (!existsSync(path.join(root, 'quickback', 'drizzle', folder, 'meta', '_journal.json'))) continue;
    mkdirSync(path.join(root, 'data'), { recursive: true });
    await applyMigrations({ driver, url: `file:${path.join(root, 'data', `${db}.db`)}`, migrationsFolder: path.join(root, 'quickback', 'drizzle', folder) });
  }
}

/** Runs a tool with its output captured (shown only as a summary, kept in a log on failure). */
async function logged(step: string, command: string, args: string[], cwd: string): Promise<string> {
  const { execa } = await import('execa'); // loaded only when a tool runs (~90 ms)
  const result = await execa(command, args, { cwd, all: true, reject: false, stdin: 'ignore', env: { CI: 'true' } });
  if (result.exitCode === 0 && !result.failed) return /added \d+ packages?[^\n]*/i.exec(result.all ?? '')?.[0] ?? '';
  const log = path.join(tmpdir(), `create-quickback-${step}-${process.pid}.log`);
  writeFileSync(log, `$ ${command} ${args.join(' ')}\n${result.all ?? ''}\n${result.message ?? ''}`);
  throw new QuickbackError('QB_CREATE_STEP_FAILED', `${step} failed: ${command} ${args.join(' ')} exited with ${result.exitCode ?? result.signal ?? 'an error'}.`, { hint: `Full log: ${log}` });
}

export async function runSteps(input: RunInput): Promise<string[]> {
  const { root, options, reporter } = input;
  const done: string[] = [];
  const step = async (name: string, work: () => Promise<string | void>) => {
    reporter.start(name);
    const detail = await work();
    reporter.done(name, detail ?? undefined);
    done.push(name);
  };
  try {
    await step('write', async () => { writeFiles(root, input.files); return `${input.files.length} files`; });
    let split = true;
    await step('compile', async () => {
      const result = await compile({ cwd: root });
      split = result.model.database.splitDatabases;
      return `${result.written.length} files generated`;
    });
    await step('migrate', () => migrate(root, options, split));
    if (options.install) await step('install', async () => (await logged('install', options.packageManager, ['install'], root)) || `${options.packageManager} install`);
    if (options.git) {
      await step('git', async () => {
        await logged('git', 'git', ['init', '--quiet'], root);
        await logged('git', 'git', ['add', '-A'], root);
        await logged('git', 'git', ['-c', 'user.name=create-quickback', '-c', 'user.email=create-quickback@localhost', 'commit', '--quiet', '-m', 'Initial commit from create-quickback'], root);
      });
    }
    return done;
  } catch (thrown) {
    const failed = ['write', 'compile', 'migrate', 'install', 'git'].find((s) => !done.includes(s) && (s !== 'install' || options.install) && (s !== 'git' || options.git)) ?? 'unknown';
    if (!input.keepOnFailure) rmSync(root, { recursive: true, force: true });
    const keep = input.keepOnFailure ? ` The project was kept in ${root}; fix the problem and run the remaining steps.` : ' Everything it created was removed.';
    if (isQuickbackError(thrown) && thrown.code === 'QB_CREATE_STEP_FAILED') throw new QuickbackError(thrown.code, thrown.message + keep, { hint: thrown.hint, meta: { step: failed } });
    const message = isQuickbackError(thrown) ? `${thrown.message}${thrown.diagnostics.length ? `: ${thrown.diagnostics[0].code} ${thrown.diagnostics[0].message}` : ''}` : thrown instanceof Error ? thrown.message : String(thrown);
    throw new QuickbackError('QB_CREATE_STEP_FAILED', `The ${failed} step failed: ${message}.${keep}`, { meta: { step: failed } });
  }
}
