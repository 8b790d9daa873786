/**
 * @module cli/create/steps/run
 * The steps that change the disk, in order: write the files, the first compile, the first local
 * migration, install, git (on Cloudflare the migration follows the install: local D1 is wrangler's). Each is named; if one fails, everything this run created is removed
 * (unless `keepOnFailure`) and QB_CREATE_STEP_FAILED names the step and where its log is. A Ctrl-C
 * is not a failure: the tools run here are tracked so cli/create/interrupt stops them first.
 */
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { compile } from '../../../compiler/index.js';
import { applyMigrations } from '../../../compiler/migrate/apply.js';
import { applyD1MigrationsLocal } from '../../../compiler/migrate/d1.js';
import type { AppModel } from '../../../compiler/model/ir.js';
import { QuickbackError, isQuickbackError } from '../../../shared/errors.js';
import type { CreateOptions } from '../options.js';
import { interrupt, interruptedBy, settled, track } from '../interrupt.js';
import type { PlannedFile } from './files.js';

export interface StepReporter {
  start(step: string): void;
  done(step: string, detail?: string): void;
  /** A long step's progress (the install: elapsed time and the tool's last output line). */
  progress?(step: string, text: string): void;
}

export interface RunInput {
  root: string;
  files: PlannedFile[];
  options: CreateOptions;
  keepOnFailure: boolean;
  reporter: StepReporter;
}

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
    await applyMigrations({
      driver,
      url: `file:${path.join(root, 'data', `${db}.db`)}`,
      migrationsFolder: path.join(root, 'quickback', 'drizzle', folder),
    });
  }
}

const ANSI = /\u001b\[[0-9;?]*[A-Za-z]/g;

/** The last non-empty line of a chunk of a tool's output, without colors, or undefined. */
export function lastLine(chunk: string): string | undefined {
  return chunk.replace(ANSI, '').split(/\r\n|\r|\n/).map((l) => l.trim()).filter(Boolean).at(-1);
}

/**
 * Runs a tool with its output captured (shown only as a summary, kept in a log on failure). With
 * `progress`, every `tickMs` it is told the elapsed seconds and the tool's last output line, so a
 * 2-minute install is not a bare spinner.
 */
export async function logged(
  step: string,
  command: string,
  args: string[],
  cwd: string,
  progress?: (text: string) => void,
  tickMs = 1000,
): Promise<string> {
  const { execa } = await import('execa'); // loaded only when a tool runs (~90 ms)
  const child = track(execa(command, args, { cwd, all: true, reject: false, stdin: 'ignore', env: { CI: 'true' } }));
  const started = Date.now();
  let last = '';
  const timer = progress && setInterval(() => {
    const seconds = Math.floor((Date.now() - started) / 1000);
    progress(`${step} · ${seconds}s${last ? ` · ${last.length > 72 ? `${last.slice(0, 71)}…` : last}` : ''}`);
  }, tickMs);
  if (progress)
    child.all?.on('data', (chunk: Buffer) => {
      last = lastLine(String(chunk)) ?? last;
    });
  const result = await child.finally(() => clearInterval(timer));
  // Ctrl-C on a terminal reaches the tool too: its exit is the interruption, not the step's result.
  const signal = interruptedBy(result);
  if (signal) await interrupt(signal);
  await settled();
  if (result.exitCode === 0 && !result.failed) return /added \d+ packages?[^\n]*/i.exec(result.all ?? '')?.[0] ?? '';
  const log = path.join(tmpdir(), `create-quickback-${step}-${process.pid}.log`);
  writeFileSync(log, `$ ${command} ${args.join(' ')}\n${result.all ?? ''}\n${result.message ?? ''}`);
  throw new QuickbackError(
    'QB_CREATE_STEP_FAILED',
    `${step} failed: ${command} ${args.join(' ')} exited with ${result.exitCode ?? result.signal ?? 'an error'}.`,
    { hint: `Full log: ${log}` },
  );
}

const isPostgres = (options: CreateOptions) => options.database === 'neon' || options.database === 'supabase';

/** The steps a run takes, in order. */
export function plannedSteps(options: CreateOptions): string[] {
  const install = options.install ? ['install'] : [];
  // neon/supabase: the database is a server the user points DATABASE_URL at, then `db:migrate`.
  const middle = isPostgres(options)
    ? install
    : options.runtime === 'cloudflare'
    ? (options.install ? ['install', 'migrate'] : [])
    : ['migrate', ...install];
  return ['write', 'compile', ...middle, ...(options.git ? ['git'] : [])];
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
    await step('write', async () => {
      writeFiles(root, input.files);
      return `${input.files.length} files`;
    });
    let model: AppModel | undefined;
    await step('compile', async () => {
      const result = await compile({ cwd: root });
      model = result.model;
      return `${result.written.length} files generated`;
    });
    const cloudflare = model?.cloudflare;
    if (!cloudflare && !isPostgres(options))
      await step('migrate', () => migrate(root, options, model?.database.splitDatabases ?? true));
    if (options.install)
      await step(
        'install',
        async () =>
          (await logged(
            'install',
            options.packageManager,
            ['install'],
            root,
            reporter.progress && ((text) => reporter.progress!('install', text)),
          )) || `${options.packageManager} install`,
      );
    // Local D1 is wrangler's: migrated with the app's own wrangler once it is installed.
    if (cloudflare && options.install && !isPostgres(options))
      await step(
        'migrate',
        async () => `${(await applyD1MigrationsLocal(root, cloudflare)).length} local D1 databases`,
      );
    if (options.git) {
      await step('git', async () => {
        await logged('git', 'git', ['init', '--quiet'], root);
        await logged('git', 'git', ['add', '-A'], root);
        await logged('git', 'git', [
          '-c',
          'user.name=create-quickback',
          '-c',
          'user.email=create-quickback@localhost',
          'commit',
          '--quiet',
          '-m',
          'Initial commit from create-quickback',
        ], root);
      });
    }
    return done;
  } catch (thrown) {
    await settled(); // a tool that failed because of a Ctrl-C: the interruption reports it
    const failed = plannedSteps(options).find((s) => !done.includes(s)) ?? 'unknown';
    if (!input.keepOnFailure) rmSync(root, { recursive: true, force: true });
    const keep = input.keepOnFailure
      ? ` The project was kept in ${root}; fix the problem and run the remaining steps.`
      : ' Everything it created was removed.';
    if (isQuickbackError(thrown) && thrown.code === 'QB_CREATE_STEP_FAILED')
      throw new QuickbackError(thrown.code, thrown.message + keep, { hint: thrown.hint, meta: { step: failed } });
    const message = isQuickbackError(thrown)
      ? `${thrown.message}${
        thrown.diagnostics.length ? `: ${thrown.diagnostics[0].code} ${thrown.diagnostics[0].message}` : ''
      }`
      : thrown instanceof Error
      ? thrown.message
      : String(thrown);
    throw new QuickbackError('QB_CREATE_STEP_FAILED', `The ${failed} step failed: ${message}.${keep}`, {
      meta: { step: failed },
    });
  }
}
