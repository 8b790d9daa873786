/**
 * `quickback undo`: puts back what the last generator run wrote (its edit and the compile after
 * it), from the journal. Refuses, naming the files, when any of them changed since: the journal
 * only knows the run's own contents, so restoring over later hand edits would lose them.
 */
import { QuickbackError } from '../../src/shared/errors.js';
import type { Tree } from '../../src/shared/tree.js';
import { defineGenerator } from '../types.js';
import { hash, JOURNAL, parseJournal, serializeJournal } from './journal.js';
import { undoOptions } from './options.js';

export function undo(tree: Tree): { command: string; files: number; migrations: string[] } {
  const journal = parseJournal(tree.read(JOURNAL));
  const last = journal.runs.at(-1);
  if (!last) throw new QuickbackError('QB_GEN_NOTHING_TO_UNDO', 'No generator run to undo', { file: JOURNAL, hint: 'undo reverts runs of quickback add / enable / disable / remove / upgrade made in this project.' });
  const changed = last.files.filter((f) => hash(tree.read(f.path)) !== f.after).map((f) => f.path);
  if (changed.length > 0) {
    throw new QuickbackError('QB_GEN_UNDO_CHANGED', `Cannot undo "${last.command}": ${changed.length} file(s) changed since: ${changed.join(', ')}`, {
      file: changed[0], hint: 'Put those files back as the command left them (or make the reverse edit by hand); nothing was written.',
    });
  }
  for (const file of last.files) {
    if (file.before === null) tree.delete(file.path);
    else tree.write(file.path, file.before);
  }
  const runs = journal.runs.slice(0, -1);
  if (runs.length === 0) tree.delete(JOURNAL);
  else tree.write(JOURNAL, serializeJournal({ ...journal, runs }));
  const migrations = last.files.filter((f) => f.before === null && /^quickback\/drizzle\/.*\.sql$/.test(f.path)).map((f) => f.path);
  return { command: last.command, files: last.files.length, migrations };
}

export const undoGenerator = defineGenerator({
  command: 'undo',
  summary: 'revert the last generator run (refused when its files changed since)',
  usage: 'quickback undo [--dry-run] [--json] [--cwd DIR]',
  journal: false,
  compile: false,
  options: undoOptions,
  run(tree) {
    const { command, files, migrations } = undo(tree);
    const warning = migrations.map((m) => `note: ${m} is removed; if \`quickback migrate\` already applied it, the database keeps its tables (drop them, or recreate the local database)`);
    return { messages: [`undo "${command}": ${files} file(s) restored`, ...warning] };
  },
});
