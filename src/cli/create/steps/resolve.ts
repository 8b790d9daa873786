/**
 * @module cli/create/steps/resolve
 * Answers resolve flag → `--yes` default → prompt. Prompts run only when interactive (a TTY, or
 * `--interactive`); otherwise the defaults apply, so CI never blocks. The prompter is injected,
 * so tests drive it without a terminal; cancelling any prompt is QB_CREATE_CANCELLED.
 */
import { QuickbackError } from '../../../shared/errors.js';
import { CANCEL, type Answer, type Prompter } from '../../prompt.js';
import {
  authPlugins,
  databasesFor,
  defaults,
  packageManagers,
  runtimes,
  templates,
  type CreateOptions,
  type PackageManager,
} from '../options.js';

export { CANCEL, clackPrompter, type Prompter } from '../../prompt.js';

export interface Flags {
  dir?: string;
  template?: string;
  runtime?: string;
  database?: string;
  organizations?: boolean;
  authPlugins?: string[];
  packageManager?: string;
  install?: boolean;
  git?: boolean;
  yes: boolean;
  interactive: boolean;
}

function answered<T>(value: Answer<T>): T {
  if (value === CANCEL) throw new QuickbackError('QB_CREATE_CANCELLED', 'Cancelled; nothing was written');
  return value;
}

export async function resolveOptions(
  flags: Flags,
  prompter: Prompter | undefined,
  detected: PackageManager,
): Promise<{ dir: string; options: CreateOptions }> {
  const d = defaults(detected);
  const ask = flags.interactive && !flags.yes && prompter !== undefined;
  const built = (list: { value: string; label: string; built: boolean }[]) => list.filter((c) => c.built);
  const dir = flags.dir
    ?? (ask ? answered(await prompter!.text('Where should the project go?', 'my-quickback-app')) : 'my-quickback-app');
  const template = flags.template
    ?? (ask ? answered(await prompter!.select('Template', built(templates), d.template)) : d.template);
  const runtime = flags.runtime
    ?? (ask ? answered(await prompter!.select('Runtime', built(runtimes), d.runtime)) : d.runtime);
  const dbDefault = databasesFor(runtime)[0]?.value ?? d.database;
  const database = flags.database
    ?? (ask ? answered(await prompter!.select('Database', databasesFor(runtime), dbDefault)) : dbDefault);
  const organizations = flags.organizations
    ?? (ask ? answered(await prompter!.confirm('Multi-tenant organizations?', d.organizations)) : d.organizations);
  const plugins = flags.authPlugins
    ?? (ask
      ? answered(
        await prompter!.multiselect(
          'Extra Better Auth plugins',
          built(authPlugins).filter((p) => p.value !== 'organization'),
        ),
      )
      : d.authPlugins);
  const packageManager = (flags.packageManager ?? (ask
    ? answered(
      await prompter!.select('Package manager', packageManagers.map((p) => ({ value: p, label: p })), detected),
    )
    : detected)) as PackageManager;
  const install = flags.install
    ?? (ask ? answered(await prompter!.confirm(`Install dependencies with ${packageManager}?`, d.install)) : d.install);
  const git = flags.git ?? (ask ? answered(await prompter!.confirm('Initialise a git repository?', d.git)) : d.git);
  return {
    dir,
    options: { template, runtime, database, organizations, authPlugins: plugins, packageManager, install, git },
  };
}
