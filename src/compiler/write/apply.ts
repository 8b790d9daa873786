/**
 * @module compiler/write/apply
 * applyPlan(): carries out a WritePlan. Refuses (and writes nothing) while the plan has conflicts.
 * Each file is written atomically (temp file + rename) and the manifest goes last, so a crash
 * part-way leaves the old manifest in place and the next compile simply finishes the job: files
 * that already hold the new contents are identical, never drift.
 */
import { QuickbackError } from '../../shared/errors.js';
import { nodeFs, removeAndPrune, writeAtomic, type WriteFs } from './fs.js';
import { serializeManifest } from './manifest.js';
import type { WritePlan } from './plan.js';
import { MANIFEST_PATH, resolveInside } from './paths.js';

export interface ApplyResult {
  /** Paths created or updated, in plan order. */
  written: string[];
  deleted: string[];
}

export async function applyPlan(root: string, plan: WritePlan, fs: WriteFs = nodeFs): Promise<ApplyResult> {
  const first = plan.conflicts[0];
  if (first) {
    const count = plan.conflicts.length;
    throw new QuickbackError(
      first.code,
      `${count} file${count === 1 ? '' : 's'} would overwrite changes made by hand; nothing was written`,
      {
        file: first.file,
        hint: first.hint,
        diagnostics: plan.conflicts,
      },
    );
  }
  // Resolve every path before touching the disk, so a bad plan fails without side effects.
  const targets = plan.changes.map((change) => ({ change, abs: resolveInside(root, change.path) }));
  const written: string[] = [];
  const deleted: string[] = [];
  for (const { change, abs } of targets) {
    if (change.action === 'delete') {
      await removeAndPrune(fs, root, abs, change.path);
      deleted.push(change.path);
    } else {
      if (change.after === null)
        throw new QuickbackError('QB_INTERNAL', `Planned ${change.action} of ${change.path} has no contents`, {
          file: change.path,
        });
      await writeAtomic(fs, abs, change.path, change.after);
      written.push(change.path);
    }
  }
  if (plan.manifestChanged) {
    await writeAtomic(fs, resolveInside(root, MANIFEST_PATH), MANIFEST_PATH, serializeManifest(plan.manifest));
  }
  return { written, deleted };
}
