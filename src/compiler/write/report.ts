/**
 * @module compiler/write/report
 * Human-facing views of a WritePlan: a unified diff for `compile --dry-run` and the counts the CLI
 * prints after a compile.
 */
import { createRequire } from 'node:module';
import type { WritePlan } from './plan.js';
import { compareStrings } from './paths.js';

export interface WriteSummary {
  created: number;
  updated: number;
  deleted: number;
  unchanged: number;
}

interface DiffableChange {
  path: string;
  action: 'create' | 'update' | 'delete';
  before: string | null;
  after: string | null;
  secret?: boolean;
}

/**
 * A dotenv text with every value replaced by `<hidden>`: keys, empty values, comments and blank
 * lines are kept; any other line (a continuation of a multi-line value) is hidden whole.
 */
export function maskSecrets(text: string): string {
  return text.replace(/^[^\r\n]*/gm, (line) => {
    if (line.trim() === '' || line.trimStart().startsWith('#')) return line;
    const assignment = /^([\t ]*(?:export[\t ]+)?[A-Za-z_][\w.-]*[\t ]*=)(.*)$/.exec(line);
    if (!assignment) return '<hidden>';
    return assignment[2].trim() === '' ? line : `${assignment[1]}<hidden>`;
  });
}

/** Unified diff of every change, sorted by path (git-style a/ b/ headers, /dev/null for create and delete); '' when nothing changes. */
export function renderDiff(plan: WritePlan): string {
  return renderChangesDiff(plan.changes);
}

/** The same for any list of changes (a generator's Tree); a secrets file's values are masked. */
export function renderChangesDiff(list: readonly DiffableChange[]): string {
  // jsdiff is loaded only when a diff is shown (--dry-run, generators), not on every compile.
  const { FILE_HEADERS_ONLY, createTwoFilesPatch } = createRequire(import.meta.url)('diff') as typeof import('diff');
  const changes = [...list].sort((a, b) => compareStrings(a.path, b.path));
  const shown = (change: DiffableChange, text: string | null) => (change.secret ? maskSecrets(text ?? '') : text ?? '');
  return changes
    .map((change) =>
      createTwoFilesPatch(
        change.action === 'create' ? '/dev/null' : `a/${change.path}`,
        change.action === 'delete' ? '/dev/null' : `b/${change.path}`,
        shown(change, change.before),
        shown(change, change.after),
        undefined,
        undefined,
        { headerOptions: FILE_HEADERS_ONLY },
      )
    )
    .join('');
}

export function summarize(plan: WritePlan): WriteSummary {
  const count = (action: string) => plan.changes.filter((c) => c.action === action).length;
  return {
    created: count('create'),
    updated: count('update'),
    deleted: count('delete'),
    unchanged: plan.unchanged.length,
  };
}
