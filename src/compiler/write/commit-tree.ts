/**
 * @module compiler/write/commit-tree
 * Writes a generator's Tree in two phases: every new content goes to a temp file beside its target
 * first (a failure there removes the temp files: nothing was written), then all are renamed into
 * place; a deleted file's emptied folders go too. `revertTree` puts the previous contents back (used
 * when the compile after an edit fails).
 */
import { randomBytes } from 'node:crypto';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { QuickbackError } from '../../shared/errors.js';
import type { TreeChange } from '../../shared/tree.js';
import { nodeFs, removeAndPrune } from './fs.js';
import { resolveInside } from './paths.js';

async function apply(
  root: string,
  changes: { path: string; contents: string | null; secret?: boolean }[],
): Promise<void> {
  const staged: { tmp: string; abs: string }[] = [];
  try {
    for (const change of changes) {
      if (change.contents === null) continue;
      const abs = resolveInside(root, change.path);
      const tmp = `${abs}.${randomBytes(6).toString('hex')}.tmp`;
      await fsp.mkdir(path.dirname(abs), { recursive: true });
      await fsp.writeFile(tmp, change.contents, { encoding: 'utf8', mode: change.secret ? 0o600 : 0o666 });
      staged.push({ tmp, abs });
    }
  } catch (err) {
    await Promise.all(staged.map((s) => fsp.rm(s.tmp, { force: true })));
    throw new QuickbackError(
      'QB_WRITE_FAILED',
      `Could not write the changes: ${err instanceof Error ? err.message : String(err)}; nothing was written`,
      { cause: err },
    );
  }
  for (const { tmp, abs } of staged) await fsp.rename(tmp, abs);
  for (const change of changes)
    if (change.contents === null) await removeAndPrune(nodeFs, root, resolveInside(root, change.path), change.path);
}

export function commitTree(root: string, changes: readonly TreeChange[]): Promise<void> {
  return apply(root, changes.map((c) => ({ path: c.path, contents: c.after, secret: c.secret })));
}

export function revertTree(root: string, changes: readonly TreeChange[]): Promise<void> {
  return apply(root, changes.map((c) => ({ path: c.path, contents: c.before, secret: c.secret })));
}
