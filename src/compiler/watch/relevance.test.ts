import { describe, expect, it } from 'vitest';
import { isCandidateInput, isIgnoredPath, isRelevantChange } from './relevance.js';

describe('watch relevance', () => {
  it('ignores outputs, dependencies, VCS, the cache and editor temp files', () => {
    for (const rel of [
      'node_modules/x/index.js',
      '.git/index',
      'quickback/.quickback/manifest.json',
      'quickback/.quickback/cache/compile.cache',
      'quickback/drizzle/features/0001_x.sql',
      'quickback/features/notes/.notes.ts.swp',
      'quickback/features/notes/notes.ts~',
      'quickback/features/notes/.#notes.ts',
      'quickback/features/notes/#notes.ts#',
      'quickback/features/notes/4913',
      'quickback/features/notes/notes.ts.tmp',
      'quickback/features/notes/notes.ts___jb_tmp___',
    ]) expect(isIgnoredPath(rel), rel).toBe(true);
    expect(isIgnoredPath('quickback/features/notes/notes.ts')).toBe(false);
    expect(isIgnoredPath('shared/limits.ts')).toBe(false);
  });

  it('treats as a possible new input only what load would read', () => {
    for (const rel of [
      'quickback/quickback.config.ts',
      'quickback/features/x.ts',
      'quickback/features/x/x.ts',
      'quickback/features/x/actions/a.ts',
      'quickback/features/x/handlers/h.ts',
    ]) {
      expect(isCandidateInput(rel), rel).toBe(true);
    }
    for (const rel of [
      'quickback/notes.md',
      'quickback/features/x/x.test.ts',
      'quickback/features/x/x.d.ts',
      'quickback/features/x/deep/y/z.ts',
      'quickback/features/x/README.md',
      'src/index.ts',
      'quickback/other.ts',
    ]) {
      expect(isCandidateInput(rel), rel).toBe(false);
    }
  });

  it('counts a known input only when its bytes changed or it is gone', () => {
    const known = new Map([['quickback/features/x/x.ts', 'aaa'], ['shared/limits.ts', 'bbb']]);
    expect(isRelevantChange('quickback/features/x/x.ts', known, 'aaa')).toBe(false);
    expect(isRelevantChange('quickback/features/x/x.ts', known, 'ccc')).toBe(true);
    expect(isRelevantChange('quickback/features/x/x.ts', known, null)).toBe(true);
    expect(isRelevantChange('shared/limits.ts', known, 'bbb')).toBe(false);
    expect(isRelevantChange('shared/other.ts', known, 'ddd')).toBe(false);
    expect(isRelevantChange('quickback/features/y/y.ts', known, 'eee')).toBe(true);
    expect(isRelevantChange('quickback/features/y/y.ts', known, null)).toBe(false);
  });

  it('counts a seed that load does not read (the seam) only when it is gone: the next run writes it again', () => {
    const seeds = new Set(['quickback/app.ts']);
    const known = new Map([['quickback/features/x/handlers/h.ts', 'aaa']]);
    expect(isRelevantChange('quickback/app.ts', known, 'edited', seeds)).toBe(false);
    expect(isRelevantChange('quickback/app.ts', known, null, seeds)).toBe(true);
    expect(isRelevantChange('quickback/app.ts', known, null)).toBe(false);
    // A seed that is also an input (a handler) counts as an input.
    const handler = new Set(['quickback/features/x/handlers/h.ts']);
    expect(isRelevantChange('quickback/features/x/handlers/h.ts', known, 'bbb', handler)).toBe(true);
  });
});
