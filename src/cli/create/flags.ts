/**
 * @module cli/create/flags
 * create-quickback's flags (Node 20's parseArgs has no `--no-x`, so the negations are declared)
 * and its help text, generated from the options registry.
 */
import { QuickbackError } from '../../shared/errors.js';
import { commonFlags, type FlagSpec } from '../args.js';
import { authPlugins, databases, packageManagers, runtimes, templates } from './options.js';
import type { Flags } from './steps/resolve.js';

export const createFlags = {
  ...commonFlags,
  yes: { type: 'boolean', short: 'y' },
  version: { type: 'boolean', short: 'v' },
  template: { type: 'string' },
  'example-features': { type: 'boolean' },
  'no-example-features': { type: 'boolean' },
  runtime: { type: 'string' },
  database: { type: 'string' },
  organizations: { type: 'boolean' },
  'no-organizations': { type: 'boolean' },
  'auth-plugins': { type: 'string' },
  'package-manager': { type: 'string' },
  install: { type: 'boolean' },
  'no-install': { type: 'boolean' },
  git: { type: 'boolean' },
  'no-git': { type: 'boolean' },
  interactive: { type: 'boolean' },
  'no-interactive': { type: 'boolean' },
  'dry-run': { type: 'boolean' },
  'keep-on-failure': { type: 'boolean' },
} satisfies FlagSpec;

const toggle = (
  on: unknown,
  off: unknown,
): boolean | undefined => (on === true ? true : off === true ? false : undefined);

/** `--example-features` / `--no-example-features` (DESIGN §3) are `--template todos` / `empty`. */
function template(given: string | undefined, examples: boolean | undefined): string | undefined {
  if (examples === undefined) return given;
  if (given !== undefined && (given === 'empty') === examples) {
    throw new QuickbackError(
      'QB_CREATE_INVALID_OPTION',
      `--${examples ? '' : 'no-'}example-features contradicts --template ${given}`,
      { hint: 'Give one of them: --no-example-features is --template empty; --example-features is todos or saas.' },
    );
  }
  return given ?? (examples ? 'todos' : 'empty');
}

export function flagsFrom(values: Record<string, unknown>, positionals: string[], isTTY: boolean): Flags {
  const str = (key: string) => (typeof values[key] === 'string' ? (values[key] as string) : undefined);
  return {
    dir: positionals[0],
    template: template(str('template'), toggle(values['example-features'], values['no-example-features'])),
    runtime: str('runtime'),
    database: str('database'),
    organizations: toggle(values.organizations, values['no-organizations']),
    authPlugins: str('auth-plugins')?.split(',').map((p) => p.trim()).filter(Boolean),
    packageManager: str('package-manager'),
    install: toggle(values.install, values['no-install']),
    git: toggle(values.git, values['no-git']),
    yes: values.yes === true,
    interactive: toggle(values.interactive, values['no-interactive']) ?? (isTTY && values.json !== true),
  };
}

const list = (choices: { value: string; built: boolean }[]) =>
  choices.map((c) => (c.built ? c.value : `${c.value} (not built yet)`)).join(' | ');

export function createHelp(): string {
  return `create-quickback [dir] [flags]

Scaffolds a Quickback project: definitions, generated secrets, the first compile and migration.

  --template ${list(templates)}   (default todos)
  --example-features | --no-example-features   the same as --template todos | empty
  --runtime ${list(runtimes)}   (default cloudflare)
  --database ${list(databases)}   (default cloudflare-d1 on cloudflare, better-sqlite3 elsewhere)
${databases.filter((d) => d.built).map((d) => `      ${d.value} runs on: ${d.runtimes.join(', ')}`).join('\n')}
  --organizations | --no-organizations   multi-tenant organizations (default on)
  --auth-plugins a,b      ${list(authPlugins)}
  --package-manager ${packageManagers.join(' | ')}   (default: the one running create)
  --install | --no-install   install dependencies (default on)
  --git | --no-git           git init + first commit (default on)
  --yes, -y               accept the defaults for every question not given as a flag
  --interactive | --no-interactive   prompt for missing answers (default: when stdin is a TTY)
  --dry-run               list the files it would write; write nothing
  --keep-on-failure       keep the partial project if a step fails
  --json                  one JSON result on stdout
  --version, -v           print the version and exit
  --cwd DIR               where [dir] is resolved (default: the current directory)`;
}
