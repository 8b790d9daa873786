/**
 * @module cli/create-quickback
 * `create-quickback [dir]`: resolve the answers (flags → --yes → prompts), refuse bad
 * combinations and non-empty directories before writing anything, preflight the tools, then
 * write → compile → migrate → install → git, removing the project if a step fails. Ctrl-C or
 * SIGTERM at any point, prompts included, removes what was written (cli/create/interrupt).
 * Exit codes: 0 ok, 1 user error, 2 internal error, 130 interrupted (143 on SIGTERM).
 */
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { isQuickbackError, QuickbackError } from '../shared/errors.js';
import { parseFlags } from './args.js';
import { commandContext } from './context.js';
import { createHelp, createFlags, flagsFrom } from './create/flags.js';
import { detectPackageManager, validateOptions } from './create/options.js';
import { guard, type Scope } from './create/interrupt.js';
import { nextSteps, toolWarnings } from './create/next.js';
import { planFiles } from './create/steps/files.js';
import { preflight } from './create/steps/preflight.js';
import { clackPrompter, resolveOptions, type Prompter } from './create/steps/resolve.js';
import { runSteps } from './create/steps/run.js';
import { color, err, out, printDiagnostics, printInternalError, printJson, stepReporter } from './output.js';

export interface CreateDeps {
  prompter?: Prompter;
  isTTY?: boolean;
  userAgent?: string;
}

function packageName(dir: string): string {
  return path.basename(path.resolve(dir)).toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '')
    || 'quickback-app';
}

export async function createQuickback(argv: string[], deps: CreateDeps = {}): Promise<number> {
  const json = argv.includes('--json');
  const scope: Scope = { json, keep: argv.includes('--keep-on-failure') };
  const release = guard(scope);
  try {
    const { values, positionals } = parseFlags(argv, createFlags);
    if (values.help) return commandContext.help(createHelp());
    if (values.version)
      return commandContext.help((await import('../../package.json', { with: { type: 'json' } })).default.version);
    const cwd = commandContext.cwd(values.cwd);
    const flags = flagsFrom(values, positionals, deps.isTTY ?? process.stdin.isTTY === true);
    const prompter = deps.prompter ?? (flags.interactive && !flags.yes ? await clackPrompter() : undefined);
    const { dir, options } = await resolveOptions(flags, prompter, detectPackageManager(deps.userAgent));
    validateOptions(options);
    const root = path.resolve(cwd, dir);
    if (existsSync(root) && readdirSync(root).length > 0) {
      throw new QuickbackError('QB_CREATE_NOT_EMPTY', `${root} exists and is not empty`, {
        hint: 'Choose a new directory name, or empty this one first. Nothing was touched.',
      });
    }
    await preflight(options);
    const files = planFiles(packageName(dir), options);
    if (values['dry-run']) {
      if (json)
        printJson({
          ok: true,
          dryRun: true,
          dir: root,
          options,
          files: files.map((f) => ({ path: f.path, bytes: Buffer.byteLength(f.contents) })),
        });
      else
        out(
          `Would create ${root}:\n${files.map((f) => `  ${f.path}`).join('\n')}\n(then compile${
            options.runtime === 'cloudflare' ? '' : ', migrate'
          }${
            options.install
              ? `, ${options.packageManager} install${options.runtime === 'cloudflare' ? ', migrate' : ''}`
              : ''
          }${options.git ? ', git init' : ''})`,
        );
      return 0;
    }
    const reporter = await stepReporter(json);
    Object.assign(scope, { root, existed: existsSync(root), stopProgress: () => reporter.fail('') });
    const steps = await runSteps({ root, files, options, keepOnFailure: values['keep-on-failure'] === true, reporter })
      .catch((e) => {
        reporter.fail();
        throw e;
      });
    const next = nextSteps(path.relative(cwd, root) || '.', packageName(dir), options);
    const warnings = toolWarnings(root, options);
    if (json) printJson({ ok: true, dir: root, options, files: files.map((f) => f.path), steps, next, warnings });
    else for (const warning of warnings) err(`${color.yellow('warning')} ${warning}`);
    if (!json)
      out(
        `\n${color.bold(`Created ${packageName(dir)}`)} in ${root}. Secrets are in ${
          options.runtime === 'cloudflare' ? '.dev.vars' : '.env'
        } (git-ignored).\nNext:\n${next.map((c) => `  ${c}`).join('\n')}`,
      );
    return 0;
  } catch (thrown) {
    if (isQuickbackError(thrown) && thrown.code === 'QB_CREATE_CANCELLED') {
      // Ctrl-C (or Escape) at a prompt, before anything is written: an interruption too.
      if (json) printJson({ ok: false, error: { code: thrown.code, message: thrown.message } });
      else err(`Interrupted: nothing was written (${thrown.code})`);
      return 130;
    }
    if (isQuickbackError(thrown)) {
      if (json)
        printJson({
          ok: false,
          error: { code: thrown.code, message: thrown.message, hint: thrown.hint, step: thrown.meta?.step },
        });
      else printDiagnostics(thrown.toDiagnostics());
      return 1;
    }
    if (json)
      printJson({
        ok: false,
        error: { code: 'QB_INTERNAL', message: thrown instanceof Error ? thrown.message : String(thrown) },
      });
    printInternalError(thrown, argv.includes('--debug'));
    return 2;
  } finally {
    release();
  }
}
