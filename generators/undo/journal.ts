/**
 * The generator journal, quickback/.quickback/journal.json: per generator run, every file it wrote
 * (the edit and the compile that followed), with the contents before (to put back) and a hash of
 * the contents after (to tell whether the file changed since). Pure: text in, text out.
 */
import { createHash } from 'node:crypto';
import { QuickbackError } from '../../src/shared/errors.js';

export const JOURNAL = 'quickback/.quickback/journal.json';
/** Older runs are dropped beyond this many. */
export const JOURNAL_DEPTH = 20;

export interface JournalFile {
  path: string;
  /** Contents before the run (null: the run created it). */
  before: string | null;
  /** sha256 of the contents the run left (null: the run deleted it). */
  after: string | null;
}
export interface JournalRun {
  command: string;
  files: JournalFile[];
}
export interface Journal {
  version: 1;
  runs: JournalRun[];
}

export const hash = (
  text: string | null,
): string | null => (text === null ? null : createHash('sha256').update(text, 'utf8').digest('hex'));

export function parseJournal(text: string | null): Journal {
  if (text === null) return { version: 1, runs: [] };
  try {
    const journal = JSON.parse(text) as Journal;
    if (journal.version === 1 && Array.isArray(journal.runs)) return journal;
  } catch {
    // falls through to the error below
  }
  throw new QuickbackError('QB_GEN_JOURNAL', `${JOURNAL} is not a journal this version can read`, {
    file: JOURNAL,
    hint: 'Delete it to start a new journal (runs recorded in it can then no longer be undone).',
  });
}

export const serializeJournal = (journal: Journal): string => `${JSON.stringify(journal, null, 2)}\n`;

/** One change as the run saw it: path, contents before, contents after. */
export interface Written {
  path: string;
  before: string | null;
  after: string | null;
}

/** The journal with `command`'s writes appended; a file written twice keeps its first `before`. */
export function recordRun(journal: Journal, command: string, writes: readonly Written[]): Journal {
  const files = new Map<string, JournalFile>();
  for (const write of writes) {
    if (write.path === JOURNAL) continue;
    const first = files.get(write.path);
    files.set(write.path, { path: write.path, before: first ? first.before : write.before, after: hash(write.after) });
  }
  const changed = [...files.values()].filter((f) => hash(f.before) !== f.after).sort((
    a,
    b,
  ) => (a.path < b.path ? -1 : 1));
  if (changed.length === 0) return journal;
  return { version: 1, runs: [...journal.runs, { command, files: changed }].slice(-JOURNAL_DEPTH) };
}
