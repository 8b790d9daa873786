/**
 * @module cli/commands/generate
 * `quickback add|enable|disable|remove <what> ...`: runs the generator on a Tree, then commits it
 * in one go, then compiles (unless --no-compile) so compiler-owned files follow. If that compile
 * fails, the edit is undone: the command either fully happens or leaves every file as it was.
 * `--dry-run` prints the unified diff and writes nothing.
 */
import { generators } from '../../../generators/registry.js';
import { compile, type CompileResult } from '../../compiler/index.js';
import { commitTree, renderChangesDiff, revertTree } from '../../compiler/write/index.js';
import { QuickbackError } from '../../shared/errors.js';
import { Tree } from '../../shared/tree.js';
import { commonFlags, parseFlags } from '../args.js';
import type { CommandContext } from '../context.js';
import { color, out, printJson } from '../output.js';

export const generateFlags = {
  ...commonFlags, 'dry-run': { type: 'boolean' }, 'no-compile': { type: 'boolean' },
  // add feature
  columns: { type: 'string' }, scope: { type: 'string' }, 'read-roles': { type: 'string' }, 'write-roles': { type: 'string' },
} as const;

function help(verb: string): string {
  const mine = Object.values(generators).filter((g) => g.command.startsWith(`${verb} `));
  return `${mine.map((g) => `${g.usage}\n  ${g.summary}`).join('\n\n')}

  --dry-run      print the unified diff; write nothing
  --no-compile   do not compile after the edit
  --json         one JSON result on stdout`;
}

export function generateCommand(verb: string) {
  return async (argv: string[], ctx: CommandContext): Promise<number> => {
    const { values, positionals } = parseFlags(argv, generateFlags);
    const [what, ...rest] = positionals;
    if (values.help || !what) return ctx.help(help(verb));
    const generator = generators[`${verb} ${what}`];
    if (!generator) {
      const known = Object.keys(generators).filter((c) => c.startsWith(`${verb} `)).join(', ') || 'none yet';
      throw new QuickbackError('QB_GEN_UNKNOWN', `"${verb} ${what}" is not a generator (or is not built yet)`, { hint: `Built: ${known}` });
    }
    const root = ctx.cwd(values.cwd);
    const tree = new Tree(root);
    const report = await generator.run(tree, generator.options(rest, values));
    const changes = tree.changes();
    const files = changes.map((c) => ({ path: c.path, action: c.action }));
    if (values['dry-run']) {
      const diff = renderChangesDiff(changes);
      if (values.json) printJson({ ok: true, command: generator.command, dryRun: true, messages: report.messages, files, diff });
      else out([...report.messages, diff.trimEnd(), `${color.bold('Dry run')}: ${changes.length} file(s) would change; nothing written.`].filter(Boolean).join('\n'));
      return 0;
    }
    let compiled: CompileResult | undefined;
    if (changes.length > 0) {
      await commitTree(root, changes);
      if (values['no-compile'] !== true) {
        try {
          compiled = await compile({ cwd: root });
        } catch (error) {
          await revertTree(root, changes);
          if (error instanceof QuickbackError) error.message += ` (the ${generator.command} edit was undone)`;
          throw error;
        }
      }
    }
    if (values.json) {
      printJson({ ok: true, command: generator.command, messages: report.messages, files, compiled: compiled ? { written: compiled.written, deleted: compiled.deleted } : null });
      return 0;
    }
    out(report.messages.join('\n'));
    for (const file of files) out(`  ${color.dim(file.action === 'create' ? 'created' : file.action === 'delete' ? 'deleted' : 'updated')} ${file.path}`);
    if (compiled) out(`${color.green('Compiled')}: ${compiled.written.length} written, ${compiled.deleted.length} deleted.`);
    return 0;
  };
}
