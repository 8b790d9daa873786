/**
 * @module scripts/docs/cli
 * docs/reference/cli.md from the registries: the `quickback` command table (src/cli/quickback.ts),
 * each command's own `--help` text, the generator registry (generators/registry.ts) and the
 * scaffolder's help (src/cli/create/flags.ts). Help is captured through a CommandContext, so the
 * page says exactly what `--help` prints.
 */
import { generators } from '../../generators/registry.js';
import type { CommandContext } from '../../src/cli/context.js';
import { createHelp } from '../../src/cli/create/flags.js';
import { commands } from '../../src/cli/quickback.js';
import { GENERATED, fence, table } from './markdown.js';

/** The help text `quickback <name> --help` prints. */
async function helpOf(name: string): Promise<string> {
  let text = '';
  const ctx: CommandContext = {
    cwd: () => process.cwd(),
    help: (t) => {
      text = t;
      return 0;
    },
  };
  await commands[name].run(['--help'], ctx);
  return text.trimEnd();
}

export async function cliPage(): Promise<string> {
  const parts = [
    '# CLI reference',
    '',
    GENERATED,
    '',
    'Two programs: `quickback` (the compiler, its dev loop and the generators) and `create-quickback`',
    '(the scaffolder, also run by `npm create quickback`). Exit codes: 0 ok, 1 a user error (a `QB_*`',
    'code, a message and a hint; see [errors](errors.md)), 2 an internal error (stack trace only with',
    '`--debug`); the scaffolder exits 130 when interrupted (143 on SIGTERM).',
    '',
    '## `quickback` commands',
    '',
    table(
      ['command', 'what it does', 'subcommands'],
      Object.entries(commands).map(([name, c]) => [
        `\`${name}\``,
        c.summary,
        (c.subcommands
          ?? Object.values(generators).filter((g) => g.command.startsWith(`${name} `)).map((g) =>
            g.command.slice(name.length + 1)
          )).map((s) => `\`${s}\``).join(', '),
      ]),
    ),
    '',
  ];
  for (const name of Object.keys(commands)) parts.push(`### \`quickback ${name}\``, '', fence(await helpOf(name)), '');
  parts.push(
    '## Generators',
    '',
    'Every generator of `generators/registry.ts`, with its own flags (besides `--dry-run`, `--json`,',
    '`--no-compile`, `--verbose` and `--cwd DIR`, which all of them take).',
    '',
  );
  parts.push(
    table(
      ['command', 'what it does', 'own flags'],
      Object.values(generators).map((g) => [
        `\`${g.command}\``,
        g.summary,
        Object.keys(g.flags ?? {}).map((f) => `\`--${f}\``).join(', '),
      ]),
    ),
    '',
  );
  parts.push('## `create-quickback`', '', fence(createHelp().trimEnd()), '');
  return parts.join('\n');
}
