/**
 * @module cli/commands/generate
 * `quickback add|enable|disable|remove <what> ...`, `quickback undo`, `quickback upgrade`: runs
 * the generator on an in-memory Tree, then (cli/generate/apply) commits, compiles and journals.
 * `--dry-run` prints the unified diff and writes nothing. Prints per file what happened.
 */
import { generators } from '../../../generators/registry.js';
import type { Generator } from '../../../generators/types.js';
import { acquireLock, describeHolder, generatorWaitMs, renderChangesDiff } from '../../compiler/write/index.js';
import { QuickbackError } from '../../shared/errors.js';
import { Tree } from '../../shared/tree.js';
import { commonFlags, parseFlags } from '../args.js';
import type { CommandContext } from '../context.js';
import { applyGenerator, type Applied } from '../generate/apply.js';
import { askMissing } from '../generate/ask.js';
import { CANCEL, clackPrompter, type Prompter } from '../prompt.js';
import { color, err, out, printJson } from '../output.js';

const runFlags = {
  ...commonFlags,
  'dry-run': { type: 'boolean' },
  'no-compile': { type: 'boolean' },
  verbose: { type: 'boolean' },
} as const;
/** Every generator's flags, for parsing; each generator then accepts only its own. */
const generateFlags = Object.assign({}, ...Object.values(generators).map((g) => g.flags ?? {}), runFlags) as
  & typeof runFlags
  & Record<string, { type: 'string' | 'boolean' }>;

function onlyOwnFlags(generator: Generator<unknown>, values: Record<string, unknown>): void {
  const own = { ...runFlags, ...generator.flags };
  const stray = Object.keys(values).find((flag) => values[flag] !== undefined && !(flag in own));
  if (stray) {
    throw new QuickbackError('QB_CLI_UNKNOWN_FLAG', `--${stray} is not a flag of ${generator.command}`, {
      hint: generator.usage,
    });
  }
}

/** Unchanged compiler-owned files are listed one by one up to this many (all with --verbose). */
const LIST_UNCHANGED = 12;

/** `quickback add --help` lists every `add` generator; `quickback add feature --help` only that one. */
function help(verb: string, generator?: Generator<unknown>): string {
  const mine = generator
    ? [generator]
    : Object.values(generators).filter((g) => g.command === verb || g.command.startsWith(`${verb} `));
  return `${mine.map((g) => `${g.usage}\n  ${g.summary}`).join('\n\n')}

  --dry-run      print the unified diff; write nothing
  --no-compile   do not compile after the edit
  --verbose      list every unchanged compiled file
  --json         one JSON result on stdout`;
}

function find(verb: string, positionals: string[]): { generator: Generator<unknown> | undefined; rest: string[] } {
  const [what, ...rest] = positionals;
  if (generators[verb]) return { generator: generators[verb], rest: positionals };
  return { generator: what ? generators[`${verb} ${what}`] : undefined, rest };
}

/** Per file: what the command and the compile after it did. */
function fileLines(applied: Applied): { path: string; status: string }[] {
  const action = { create: 'created', update: 'updated', delete: 'deleted' } as const;
  const lines = applied.changes.map((c) => ({ path: c.path, status: action[c.action] }));
  if (!applied.compiled) return lines;
  const { plan } = applied.compiled;
  return [
    ...lines,
    ...plan.changes.map((c) => ({ path: c.path, status: action[c.action] })),
    ...plan.unchanged.map((path) => ({ path, status: 'unchanged' })),
  ];
}

/** How the command asks for missing arguments; tests pass their own. */
export interface GenerateDeps {
  isTTY?: boolean;
  prompter?: () => Promise<Prompter>;
}

export function generateCommand(verb: string, deps: GenerateDeps = {}) {
  return async (argv: string[], ctx: CommandContext): Promise<number> => {
    const parsed = parseFlags(argv, generateFlags);
    let { values, positionals } = parsed;
    const interactive = (deps.isTTY ?? process.stdin.isTTY === true) && values.json !== true;
    if (interactive && positionals.length === 0 && !values.help && !generators[verb]) {
      const choices = Object.keys(generators).filter((c) => c.startsWith(`${verb} `)).map((c) =>
        c.slice(verb.length + 1)
      );
      const prompter = await (deps.prompter ?? clackPrompter)();
      const what = await prompter.select(`${verb} what?`, choices.map((c) => ({ value: c, label: c })), choices[0]);
      if (what === CANCEL) throw new QuickbackError('QB_GEN_CANCELLED', 'Cancelled; nothing was written');
      positionals = [what];
    }
    const { generator, rest } = find(verb, positionals);
    if (values.help || (!generator && positionals.length === 0)) return ctx.help(help(verb, generator));
    if (!generator) {
      const known = Object.keys(generators).filter((c) => c.startsWith(`${verb} `)).join(', ') || 'none yet';
      throw new QuickbackError(
        'QB_GEN_UNKNOWN',
        `"${verb} ${positionals[0]}" is not a generator (or is not built yet)`,
        { hint: `Built: ${known}` },
      );
    }
    onlyOwnFlags(generator, values);
    const root = ctx.cwd(values.cwd);
    const tree = new Tree(root);
    let args = rest;
    if (interactive && generator.args?.length)
      ({ positionals: args, values } = await askMissing(
        generator,
        tree,
        rest,
        values,
        await (deps.prompter ?? clackPrompter)(),
      ));
    const label = [verb, ...(generators[verb] ? [] : [generator.command.slice(verb.length + 1)]), ...args].join(' ');
    const options = generator.options(args, values);
    if (values['dry-run']) {
      const report = await generator.run(tree, options);
      const changes = tree.changes();
      const diff = renderChangesDiff(changes);
      const files = changes.map((c) => ({ path: c.path, action: c.action }));
      if (values.json)
        printJson({ ok: true, command: generator.command, dryRun: true, messages: report.messages, files, diff });
      else
        out(
          [
            ...report.messages,
            diff.trimEnd(),
            `${color.bold('Dry run')}: ${changes.length} file(s) would change; nothing written.`,
          ].filter(Boolean).join('\n'),
        );
      return 0;
    }
    // The lock covers what the generator reads too: a watcher run cannot change files under it.
    const lock = await acquireLock(root, `quickback ${label}`, {
      waitMs: generatorWaitMs(),
      onWait: (holder) => err(color.dim(`Waiting for ${describeHolder(holder)} to finish…`)),
    });
    let report: Awaited<ReturnType<typeof generator.run>>;
    let applied: Applied;
    try {
      report = await generator.run(tree, options);
      applied = await applyGenerator(root, generator, tree, { compile: values['no-compile'] !== true, label, report });
    } finally {
      lock?.release();
    }
    const lines = fileLines(applied);
    if (values.json) {
      const { compiled } = applied;
      printJson({
        ok: true,
        command: generator.command,
        messages: report.messages,
        files: applied.changes.map((c) => ({ path: c.path, action: c.action })),
        compiled: compiled
          ? { written: compiled.written, deleted: compiled.deleted, unchanged: compiled.plan.unchanged }
          : null,
      });
      return 0;
    }
    out(report.messages.join('\n'));
    const unchanged = lines.filter((l) => l.status === 'unchanged');
    const shown = values.verbose === true || unchanged.length <= LIST_UNCHANGED
      ? lines
      : lines.filter((l) => l.status !== 'unchanged');
    for (const line of shown) out(`  ${color.dim(line.status.padEnd(9))} ${line.path}`);
    if (shown.length < lines.length)
      out(`  ${color.dim('unchanged'.padEnd(9))} ${unchanged.length} more compiled files (--verbose lists them)`);
    return 0;
  };
}
