/**
 * @module cli/generate/apply
 * Carries out a generator's staged Tree: commit it in one go, compile (so compiler-owned files
 * follow), and record everything written in the journal for `quickback undo`. If the compile
 * fails, the edit is put back: the command either fully happens or leaves every file as it was.
 */
import { JOURNAL, parseJournal, recordRun, serializeJournal, type Written } from '../../../generators/undo/journal.js';
import type { Generator, GeneratorReport } from '../../../generators/types.js';
import { compile, type CompileResult } from '../../compiler/index.js';
import { commitTree, MANIFEST_PATH, revertTree, serializeManifest } from '../../compiler/write/index.js';
import { QuickbackError } from '../../shared/errors.js';
import { isSecretsFile, type Tree, type TreeChange } from '../../shared/tree.js';

export interface Applied {
  changes: TreeChange[];
  compiled?: CompileResult;
}

function compileWrites(tree: Tree, compiled: CompileResult): Written[] {
  const writes: Written[] = compiled.plan.changes.map((c) => ({ path: c.path, before: c.before, after: c.after }));
  if (compiled.plan.manifestChanged)
    writes.push({
      path: MANIFEST_PATH,
      before: tree.read(MANIFEST_PATH),
      after: serializeManifest(compiled.plan.manifest),
    });
  return writes;
}

export async function applyGenerator(
  root: string,
  generator: Generator<unknown>,
  tree: Tree,
  options: { compile: boolean; label: string; report?: GeneratorReport },
): Promise<Applied> {
  const changes = tree.changes();
  if (changes.length === 0) return { changes };
  tree.read(MANIFEST_PATH); // remembers the manifest as it is before the compile
  const journal = generator.journal === false ? null : parseJournal(tree.read(JOURNAL));
  await commitTree(root, changes);
  let compiled: CompileResult | undefined;
  if (options.compile && (options.report?.compile ?? generator.compile !== false)) {
    try {
      compiled = await compile({ cwd: root });
    } catch (error) {
      await revertTree(root, changes);
      if (error instanceof QuickbackError) error.message += ` (the ${generator.command} edit was undone)`;
      throw error;
    }
  }
  if (journal) {
    const next = recordRun(journal, options.label, [...changes, ...(compiled ? compileWrites(tree, compiled) : [])]);
    // It holds earlier contents of the files it lists, secrets files included: then it is 0600 too.
    const secret = next.runs.some((run) => run.files.some((f) => isSecretsFile(f.path)));
    if (next !== journal)
      await commitTree(root, [{
        path: JOURNAL,
        action: 'update',
        before: null,
        after: serializeJournal(next),
        secret,
      }]);
  }
  return { changes, compiled };
}
