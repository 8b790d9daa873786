/**
 * @module compiler/watch/relevance
 * Which file events may change what compile produces. A known input counts only when its bytes
 * differ from what the last run read (or wrote: seeded handler files), so the watcher never
 * re-runs for its own writes, a save without changes, or a `touch`. An unknown file counts only
 * when load would read it: a config candidate, a definition file or a handler, never an editor's
 * swap, backup or lock file. A seed the output imports but load does not read (the seam) counts
 * only when it is gone.
 */
import { CONFIG_CANDIDATES, FEATURES_DIR, QUICKBACK_DIR } from '../load/paths.js';

const SOURCE = /\.(?:ts|mts|js|mjs)$/;
const SKIP = /\.(?:d|test|spec)\.[cm]?[tj]s$/;
/** vim (`.x.swp`, `4913`, `x~`), emacs (`.#x`, `#x#`), JetBrains (`x___jb_tmp___`), generic temp files. */
const EDITOR_TEMP = /(?:^\.|^#|~$|\.sw[a-p]$|\.tmp$|___jb_\w+___$|^4913$)/;

/** Folders whose contents are never compile input: outputs, dependencies, VCS, the cache. */
export const IGNORED_DIRS = ['node_modules', '.git', `${QUICKBACK_DIR}/.quickback`, `${QUICKBACK_DIR}/drizzle`];

export function isIgnoredPath(rel: string): boolean {
  const parts = rel.split('/');
  if (parts.includes('node_modules') || parts.includes('.git')) return true;
  return IGNORED_DIRS.some((dir) => rel === dir || rel.startsWith(`${dir}/`)) || EDITOR_TEMP.test(parts.at(-1) ?? '');
}

/** Whether load would read this file if it existed (project-relative POSIX path). */
export function isCandidateInput(rel: string): boolean {
  const name = rel.split('/').at(-1) ?? '';
  if (EDITOR_TEMP.test(name)) return false;
  if (rel.startsWith(`${QUICKBACK_DIR}/`) && rel.split('/').length === 2) return CONFIG_CANDIDATES.includes(name);
  if (!rel.startsWith(`${FEATURES_DIR}/`) || !SOURCE.test(name) || SKIP.test(name)) return false;
  const depth = rel.slice(FEATURES_DIR.length + 1).split('/');
  // features/x.ts, features/<dir>/x.ts, features/<dir>/actions/x.ts, features/<dir>/handlers/x.ts
  return depth.length <= 2 || (depth.length === 3 && (depth[1] === 'actions' || depth[1] === 'handlers'));
}

/**
 * Whether an event on `rel` can change the output. `known` maps inputs (and handler files the last
 * run wrote) to their sha256; `seeds` are the last run's other seeds (the seam quickback/app.ts,
 * the inbound webhook handlers): their bytes are no input, only a missing one changes the output
 * (the next run writes it again). `currentHash` is the file's hash now (null: gone).
 */
export function isRelevantChange(
  rel: string,
  known: ReadonlyMap<string, string>,
  currentHash: string | null,
  seeds: ReadonlySet<string> = new Set(),
): boolean {
  if (isIgnoredPath(rel)) return false;
  const before = known.get(rel);
  if (before !== undefined) return before !== currentHash;
  if (seeds.has(rel)) return currentHash === null;
  return currentHash !== null && isCandidateInput(rel);
}
