/**
 * `quickback undo`: puts back what the last generator run wrote (its edit and the compile after
 * it), from the journal. Refuses, naming the files, when any of them changed since: the journal
 * only knows the run's own contents, so restoring over later hand edits would lose them. A
 * migration of the run that the local database never applied goes with the rest; one it applied
 * stays, and the compile after undo adds its reverse (generators/undo/applied).
 */
import { MANIFEST_PATH, parseManifest } from '../../src/compiler/write/index.js';
import { QuickbackError } from '../../src/shared/errors.js';
import type { Tree } from '../../src/shared/tree.js';
import { defineGenerator } from '../types.js';
import { createdMigrations, keptMigrations, type Kept } from './applied.js';
import { hash, JOURNAL, parseJournal, serializeJournal } from './journal.js';
import { undoOptions } from './options.js';

/** `files`: how many files undo put back itself (with kept migrations, the compile does the rest). */
export interface Undone {
  command: string;
  files: number;
  removed: string[];
  kept: readonly Kept[];
}

/**
 * Puts back the last run. `kept`: migrations of the run the local database applied; then the
 * compiler's files (the history, generated code, the manifest) stay as the run left them and the
 * compile after undo rewrites them, which adds the migration that reverses the kept ones.
 */
export function undo(tree: Tree, kept: readonly Kept[] = []): Undone {
  const journal = parseJournal(tree.read(JOURNAL));
  const last = journal.runs.at(-1);
  if (!last)
    throw new QuickbackError('QB_GEN_NOTHING_TO_UNDO', 'No generator run to undo', {
      file: JOURNAL,
      hint: 'undo reverts runs of quickback add / enable / disable / remove / upgrade made in this project.',
    });
  const changed = last.files.filter((f) => hash(tree.read(f.path)) !== f.after).map((f) => f.path);
  if (changed.length > 0) {
    throw new QuickbackError(
      'QB_GEN_UNDO_CHANGED',
      `Cannot undo "${last.command}": ${changed.length} file(s) changed since: ${changed.join(', ')}`,
      {
        file: changed[0],
        hint: 'Put those files back as the command left them (or make the reverse edit by hand); nothing was written.',
      },
    );
  }
  const compilerOwned = kept.length > 0 ? ownedByCompiler(tree) : new Set<string>();
  const restored = last.files.filter((f) => !compilerOwned.has(f.path));
  for (const file of restored) {
    if (file.before === null) tree.delete(file.path);
    else tree.write(file.path, file.before);
  }
  const runs = journal.runs.slice(0, -1);
  if (runs.length === 0) tree.delete(JOURNAL);
  else tree.write(JOURNAL, serializeJournal({ ...journal, runs }));
  const removed = kept.length > 0 ? [] : createdMigrations(last.files);
  return { command: last.command, files: restored.length, removed, kept };
}

/** The manifest and the files it lists as the compiler's (generated code and migration history). */
function ownedByCompiler(tree: Tree): Set<string> {
  const text = tree.read(MANIFEST_PATH);
  const files = text === null ? {} : parseManifest(text).files;
  return new Set([
    MANIFEST_PATH,
    ...Object.entries(files).filter(([, entry]) => entry.ownership !== 'seed').map(([rel]) => rel),
  ]);
}

export const undoGenerator = defineGenerator({
  command: 'undo',
  summary: 'revert the last generator run (refused when its files changed since)',
  usage: 'quickback undo [--dry-run] [--json] [--cwd DIR]',
  journal: false,
  compile: false,
  options: undoOptions,
  async run(tree) {
    const last = parseJournal(tree.read(JOURNAL)).runs.at(-1);
    const kept = await keptMigrations(tree.root, last ? createdMigrations(last.files) : []);
    const { command, files, removed } = undo(tree, kept);
    return {
      messages: [
        `undo "${command}": ${files} file(s) restored`,
        ...removed.map((m) => `${m} was never applied to the local database: removed`),
        ...kept.map((m) => `${m.path} is kept (${m.reason}); the compile adds a migration that reverses it`),
      ],
      // Kept migrations: the compiler's files were left as the run made them; the compile rewrites them.
      compile: kept.length > 0,
    };
  },
});
