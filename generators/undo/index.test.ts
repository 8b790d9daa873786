/** The journal and `undo` on a Tree: what is recorded, what is put back, and the refusals. */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { isQuickbackError } from '../../src/shared/errors.js';
import { MANIFEST_PATH } from '../../src/compiler/write/index.js';
import { Tree } from '../../src/shared/tree.js';
import { undo } from './index.js';
import { hash, JOURNAL, JOURNAL_DEPTH, parseJournal, recordRun, serializeJournal } from './journal.js';

function project(files: Record<string, string>): string {
  const root = mkdtempSync(path.join(tmpdir(), 'qb-undo-'));
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    writeFileSync(path.join(root, rel), text);
  }
  return root;
}
const codeOf = (run: () => unknown) => {
  try {
    run();
    return null;
  } catch (e) {
    return isQuickbackError(e) ? e.code : e;
  }
};

describe('journal', () => {
  it('records a run once per file (first before, last after) and leaves out what ends as it began', () => {
    const journal = recordRun(parseJournal(null), 'add x', [
      { path: 'a.ts', before: 'A', after: 'A1' },
      { path: 'a.ts', before: 'A1', after: 'A2' },
      { path: 'new.ts', before: null, after: 'N' },
      { path: 'same.ts', before: 'S', after: 'S' },
      { path: JOURNAL, before: null, after: '{}' },
    ]);
    expect(journal.runs).toEqual([{
      command: 'add x',
      files: [{ path: 'a.ts', before: 'A', after: hash('A2') }, { path: 'new.ts', before: null, after: hash('N') }],
    }]);
    expect(recordRun(journal, 'noop', [{ path: 'same.ts', before: 'S', after: 'S' }])).toBe(journal);
  });

  it(`keeps the last ${JOURNAL_DEPTH} runs and refuses a journal it cannot read`, () => {
    let journal = parseJournal(null);
    for (let i = 0; i < JOURNAL_DEPTH + 3; i++)
      journal = recordRun(journal, `run ${i}`, [{ path: 'a', before: null, after: String(i) }]);
    expect(journal.runs.map((r) => r.command).at(0)).toBe('run 3');
    expect(journal.runs).toHaveLength(JOURNAL_DEPTH);
    expect(codeOf(() => parseJournal('{"version":2}'))).toBe('QB_GEN_JOURNAL');
    expect(codeOf(() => parseJournal('not json'))).toBe('QB_GEN_JOURNAL');
  });
});

describe('undo', () => {
  const journalOf = (...runs: [string, { path: string; before: string | null; after: string | null }[]][]) =>
    serializeJournal(runs.reduce((j, [command, writes]) => recordRun(j, command, writes), parseJournal(null)));

  it('puts back the last run only: restores, deletes what it created, pops the journal', () => {
    const root = project({
      'cfg.ts': 'v2',
      'feat.ts': 'F',
      [JOURNAL]: journalOf(
        ['first', [{ path: 'cfg.ts', before: 'v0', after: 'v1' }]],
        ['second', [{ path: 'cfg.ts', before: 'v1', after: 'v2' }, { path: 'feat.ts', before: null, after: 'F' }]],
      ),
    });
    const tree = new Tree(root);
    expect(undo(tree)).toEqual({ command: 'second', files: 2, removed: [], kept: [] });
    expect(tree.read('cfg.ts')).toBe('v1');
    expect(tree.exists('feat.ts')).toBe(false);
    expect(parseJournal(tree.read(JOURNAL)).runs.map((r) => r.command)).toEqual(['first']);
    expect(undo(tree)).toEqual({ command: 'first', files: 1, removed: [], kept: [] });
    expect(tree.read('cfg.ts')).toBe('v0');
    expect(tree.exists(JOURNAL)).toBe(false);
    expect(codeOf(() => undo(tree))).toBe('QB_GEN_NOTHING_TO_UNDO');
  });

  it('removes the migrations the database never applied, naming them', () => {
    const sql = 'quickback/drizzle/features/0001_guests.sql';
    const tree = new Tree(
      project({
        [sql]: 'CREATE TABLE guests ();',
        [JOURNAL]: journalOf(['add feature guests', [{ path: sql, before: null, after: 'CREATE TABLE guests ();' }]]),
      }),
    );
    expect(undo(tree).removed).toEqual([sql]);
    expect(tree.exists(sql)).toBe(false);
  });

  it('keeps an applied migration and every compiler-owned file, restoring only the edit', () => {
    const sql = 'quickback/drizzle/features/0001_guests.sql';
    const manifest = JSON.stringify({
      manifestVersion: 2,
      compiler: 'x',
      inputs: [],
      files: {
        [sql]: { sha256: '0'.repeat(64), emitter: 'migrations', ownership: 'history' },
        'src/guests.ts': { sha256: '0'.repeat(64), emitter: 'routes', ownership: 'compiler' },
      },
    });
    const run = [
      { path: 'guests.def.ts', before: null, after: 'def' },
      { path: sql, before: null, after: 'CREATE' },
      { path: 'src/guests.ts', before: null, after: 'gen' },
      { path: MANIFEST_PATH, before: '{}', after: manifest },
    ];
    const files = Object.fromEntries(run.map((f) => [f.path, f.after]));
    const tree = new Tree(project({ ...files, [JOURNAL]: journalOf(['add feature guests', run]) }));
    const kept = [{ path: sql, reason: 'the local features database has applied it' }];
    expect(undo(tree, kept)).toEqual({ command: 'add feature guests', files: 1, removed: [], kept });
    expect(tree.changes().map((c) => [c.path, c.action])).toEqual([['guests.def.ts', 'delete'], [JOURNAL, 'delete']]);
  });

  it('refuses when a file changed since, or reappeared after the run deleted it', () => {
    const changed = new Tree(
      project({ 'cfg.ts': 'edited', [JOURNAL]: journalOf(['x', [{ path: 'cfg.ts', before: 'v0', after: 'v1' }]]) }),
    );
    expect(codeOf(() => undo(changed))).toBe('QB_GEN_UNDO_CHANGED');
    expect(changed.changes()).toEqual([]);
    const back = new Tree(
      project({ 'gone.ts': 'again', [JOURNAL]: journalOf(['rm', [{ path: 'gone.ts', before: 'old', after: null }]]) }),
    );
    expect(codeOf(() => undo(back))).toBe('QB_GEN_UNDO_CHANGED');
  });
});
