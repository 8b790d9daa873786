/**
 * @module cli/create/options
 * The one registry of create-quickback's choices: what exists, what is built, which runtime
 * takes which database, and the defaults. It drives flag validation, the prompts, `--help` and
 * the scaffold test matrix.
 */
import { QuickbackError } from '../../shared/errors.js';

export interface Choice {
  value: string;
  label: string;
  built: boolean;
}

export const runtimes: Choice[] = [
  { value: 'node', label: 'Node.js', built: true },
  { value: 'bun', label: 'Bun', built: true },
  { value: 'cloudflare', label: 'Cloudflare Workers', built: true },
];

export const databases: (Choice & { runtimes: string[] })[] = [
  {
    value: 'better-sqlite3',
    label: 'SQLite file (better-sqlite3; bun:sqlite on Bun)',
    built: true,
    runtimes: ['node', 'bun'],
  },
  { value: 'libsql', label: 'libSQL / Turso', built: true, runtimes: ['node', 'bun'] },
  { value: 'cloudflare-d1', label: 'Cloudflare D1', built: true, runtimes: ['cloudflare'] },
  { value: 'neon', label: 'Neon Postgres', built: true, runtimes: ['node', 'bun', 'cloudflare'] },
  { value: 'supabase', label: 'Supabase Postgres', built: true, runtimes: ['node', 'bun'] },
];

export const templates: Choice[] = [
  { value: 'todos', label: 'todos — one feature to start from', built: true },
  { value: 'saas', label: 'saas — projects and tasks with roles, guards and masking', built: true },
  { value: 'empty', label: 'empty — no features yet', built: true },
];

export const packageManagers = ['npm', 'pnpm', 'yarn', 'bun'] as const;
export type PackageManager = (typeof packageManagers)[number];

export const authPlugins: Choice[] = [
  { value: 'organization', label: 'organizations (added when organizations are on)', built: true },
  { value: 'apiKey', label: 'API keys', built: true },
  { value: 'admin', label: 'platform admin', built: true },
];

export interface CreateOptions {
  template: string;
  runtime: string;
  database: string;
  organizations: boolean;
  authPlugins: string[];
  packageManager: PackageManager;
  install: boolean;
  git: boolean;
}

/** Like the public product: Cloudflare Workers + D1. */
export function defaults(packageManager: PackageManager): CreateOptions {
  return {
    template: 'todos',
    runtime: 'cloudflare',
    database: 'cloudflare-d1',
    organizations: true,
    authPlugins: [],
    packageManager,
    install: true,
    git: true,
  };
}

/** `npm_config_user_agent` names the package manager that ran `npm create` / `pnpm create` / ... */
export function detectPackageManager(userAgent = process.env.npm_config_user_agent ?? ''): PackageManager {
  const name = userAgent.split('/')[0];
  return (packageManagers as readonly string[]).includes(name) ? (name as PackageManager) : 'npm';
}

export function databasesFor(runtime: string): Choice[] {
  return databases.filter((d) => d.built && d.runtimes.includes(runtime));
}

function check(kind: string, value: string, choices: Choice[]): void {
  const choice = choices.find((c) => c.value === value);
  const built = choices.filter((c) => c.built).map((c) => c.value).join(', ');
  if (!choice)
    throw new QuickbackError('QB_CREATE_INVALID_OPTION', `Unknown ${kind} "${value}"`, {
      hint: `Choose one of: ${built}`,
    });
  if (!choice.built)
    throw new QuickbackError('QB_CREATE_INVALID_OPTION', `The ${kind} "${value}" is not built yet in this edition`, {
      hint: `Choose one of: ${built}`,
    });
}

/** Throws before anything is written when an option does not exist, is not built, or does not fit the others. */
export function validateOptions(options: CreateOptions): void {
  check('template', options.template, templates);
  check('runtime', options.runtime, runtimes);
  check('database', options.database, databases);
  const db = databases.find((d) => d.value === options.database)!;
  if (!db.runtimes.includes(options.runtime)) {
    throw new QuickbackError(
      'QB_CREATE_INVALID_COMBINATION',
      `The database "${options.database}" does not run on "${options.runtime}"`,
      {
        hint: `On ${options.runtime} choose one of: ${databasesFor(options.runtime).map((d) => d.value).join(', ')}`,
      },
    );
  }
  for (const plugin of options.authPlugins) check('auth plugin', plugin, authPlugins);
  if (!(packageManagers as readonly string[]).includes(options.packageManager)) {
    throw new QuickbackError('QB_CREATE_INVALID_OPTION', `Unknown package manager "${options.packageManager}"`, {
      hint: `Choose one of: ${packageManagers.join(', ')}`,
    });
  }
}

/** Every valid, built runtime × database × template combination (the scaffold test matrix). */
export function combinations(): Pick<CreateOptions, 'runtime' | 'database' | 'template'>[] {
  return runtimes.filter((r) => r.built).flatMap((r) =>
    databasesFor(r.value).flatMap((d) =>
      templates.filter((t) => t.built).map((t) => ({ runtime: r.value, database: d.value, template: t.value }))
    )
  );
}
