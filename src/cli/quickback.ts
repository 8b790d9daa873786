/**
 * @module cli/quickback
 * The `quickback` command table. Exit codes: 0 ok, 1 user error (code, message, hint),
 * 2 internal error (stack trace only with --debug).
 */
import { isQuickbackError, QuickbackError } from '../shared/errors.js';
import { nearest } from '../dsl/kind.js';
import { runCompile } from './commands/compile.js';
import { runMigrate } from './commands/migrate.js';

export { createQuickback } from './create-quickback.js';
import { commandContext, type CommandContext } from './context.js';
import { err, printDiagnostics, printInternalError, printJson } from './output.js';

type Command = (argv: string[], ctx: CommandContext) => Promise<number>;

/** Generators load ts-morph (~0.6 s): only when one runs (a separate chunk of the bundle). */
const generate = (verb: string): Command => async (argv, ctx) =>
  (await import('./commands/generate.js')).generateCommand(verb)(argv, ctx);

/**
 * `subcommands`: the words a command takes first (the generators' are in generators/registry);
 * `watches`: runs until Ctrl-C, waiting for broken definitions to be fixed rather than exiting 1.
 */
export const commands: Record<
  string,
  { run: Command; summary: string; subcommands?: readonly string[]; watches?: boolean }
> = {
  compile: { run: runCompile, summary: 'compile quickback/ into the API (routes, schema, migrations, auth)' },
  dev: {
    run: async (argv, ctx) => (await import('./commands/dev.js')).runDev(argv, ctx),
    summary: "compile on save and run the app's dev server (the generated `npm run dev`)",
    watches: true,
  },
  migrate: { run: runMigrate, summary: 'apply pending migrations to the local SQLite database(s)' },
  keys: {
    run: async (argv, ctx) => (await import('./commands/keys.js')).runKeys(argv, ctx),
    summary: "rotate (re-wrap under a new ENCRYPTION_KEK) or shred an organization's data keys",
    subcommands: ['rotate', 'shred'],
  },
  add: { run: generate('add'), summary: 'add to the definitions: `add feature|column|view|action|plugin ...`' },
  enable: {
    run: generate('enable'),
    summary: 'switch on in quickback.config.ts (`quickback enable --help` lists what)',
  },
  disable: {
    run: generate('disable'),
    summary: 'switch off in quickback.config.ts (`quickback disable --help` lists what)',
  },
  remove: { run: generate('remove'), summary: 'remove from the definitions: `remove feature|column|plugin ...`' },
  upgrade: { run: generate('upgrade'), summary: 'rewrite legacy DSL forms under quickback/ to the current ones' },
  undo: { run: generate('undo'), summary: 'revert the last add / enable / disable / remove / upgrade' },
};

const usage = `quickback <command> [flags]

Commands:
${Object.entries(commands).map(([name, c]) => `  ${name.padEnd(10)} ${c.summary}`).join('\n')}

Run \`quickback <command> --help\` for its flags.`;

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  const json = rest.includes('--json');
  const debug = rest.includes('--debug');
  try {
    if (!name || name === '--help' || name === '-h' || name === 'help') return commandContext.help(usage);
    if (name === '--version' || name === '-v')
      return commandContext.help((await import('../../package.json', { with: { type: 'json' } })).default.version);
    const command = commands[name];
    if (!command) {
      const guess = nearest(name, Object.keys(commands));
      const list = `Commands: ${Object.keys(commands).join(', ')} (quickback --help).`;
      throw new QuickbackError('QB_CLI_UNKNOWN_COMMAND', `Unknown command "${name}"`, {
        hint: guess ? `Did you mean "quickback ${guess}"? ${list}` : list,
      });
    }
    return await command.run(rest, commandContext);
  } catch (thrown) {
    if (isQuickbackError(thrown)) {
      const diagnostics = thrown.toDiagnostics();
      if (json && !thrown.meta?.reported)
        printJson({ ok: false, error: { code: thrown.code, message: thrown.message, hint: thrown.hint }, diagnostics });
      else if (!json) {
        printDiagnostics(diagnostics, typeof thrown.meta?.root === 'string' ? thrown.meta.root : undefined);
        if (thrown.diagnostics.length > 0) err(thrown.message);
      }
      return 1;
    }
    if (json)
      printJson({
        ok: false,
        error: { code: 'QB_INTERNAL', message: thrown instanceof Error ? thrown.message : String(thrown) },
      });
    printInternalError(thrown, debug);
    return 2;
  }
}
