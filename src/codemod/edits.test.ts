/**
 * The codemod corpus (test/fixtures/codemod: hand-formatted configs, and feature and actions files
 * under features/) through the real generator edits. For every edit × file: the expected output
 * (snapshot), byte preservation (putting back what the splices replaced gives the original),
 * idempotence (a second run has no splices), CRLF kept. A file can say what else to expect in a
 * first-line comment, `// codemod-expect: <edit>=conflict|unchanged|parse` (`all=` for every
 * edit): conflicts must name the file and line and give the edit to make by hand.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { addAction } from '../../generators/action/index.js';
import { addColumn, removeColumn } from '../../generators/column/index.js';
import { featureParts } from '../../generators/feature-file.js';
import { addPlugin } from '../../generators/plugin/index.js';
import { organizations, realtime } from '../../generators/toggle/index.js';
import { files as fileStorage, jwtRevocation, openapi } from '../../generators/toggle/switches.js';
import { addView } from '../../generators/view/index.js';
import { revertSplices } from '../../test/helpers/splices.js';
import { isQuickbackError } from '../shared/errors.js';
import type { Edit } from './edits.js';
import { parseSource, type ParsedSource } from './source.js';
import { applySplices } from './splice.js';

const CORPUS = path.join(import.meta.dirname, '..', '..', 'test', 'fixtures', 'codemod');
const read = (file: string) => readFileSync(path.join(CORPUS, file), 'utf8');
const list = (dir: string, pattern: RegExp) =>
  readdirSync(path.join(CORPUS, dir)).filter((f) => pattern.test(f)).sort().map((f) => path.posix.join(dir, f));

type CodemodEdit = (source: ParsedSource) => Edit;
/** Each generator's edit, by the name the fixtures use, and the corpus files it runs on. */
export const corpusEdits: [string, CodemodEdit, string[]][] = [
  ['realtime', (s) => realtime(s, true), list('.', /\.config\.ts$/)],
  ['organizations', (s) => organizations(s, true), list('.', /\.config\.ts$/)],
  ['twoFactor', (s) => addPlugin(s, 'twoFactor'), list('.', /\.config\.ts$/)],
  ['openapi', (s) => openapi(s, true), list('.', /\.config\.ts$/)],
  ['jwt-revocation', (s) => jwtRevocation(s, true), list('.', /\.config\.ts$/)],
  ['files', (s) => fileStorage(s, true), list('.', /\.config\.ts$/)],
  [
    'addColumn',
    (s) => addColumn(s, featureParts(s), { name: 'nickname', code: 'q.text().optional()' }),
    list('features', /^f.*\.ts$/),
  ],
  ['removeColumn', (s) => removeColumn(s, featureParts(s), 'title'), list('features', /^f.*\.ts$/)],
  [
    'addView',
    (s) => addView(s, featureParts(s), { name: 'summary', fields: ['id', 'title'] }),
    list('features', /^f.*\.ts$/),
  ],
  [
    'addAction',
    (s) => addAction(s, { feature: 'tickets', name: 'checkIn', standalone: false }),
    list('features', /^a.*\.ts$/),
  ],
];

function expectation(text: string, edit: string): string {
  const line = /^\uFEFF?\/\/ codemod-expect: (.*)$/m.exec(text.split('\n')[0])?.[1] ?? '';
  const pairs = Object.fromEntries(line.split(/\s+/).filter(Boolean).map((p) => p.split('=')));
  return pairs[edit] ?? pairs.all ?? 'edit';
}

function thrownBy(run: () => unknown): unknown {
  try {
    run();
  } catch (e) {
    return e;
  }
  return undefined;
}

describe('codemod corpus', () => {
  it('has at least 30 hand-formatted files', () => {
    expect(new Set(corpusEdits.flatMap(([, , corpus]) => corpus)).size).toBeGreaterThanOrEqual(30);
  });

  for (const [name, edit, corpus] of corpusEdits) {
    it.each(corpus)(`${name}: %s`, (file) => {
      const original = read(file);
      const expected = expectation(original, name);
      const thrown = thrownBy(() => edit(parseSource(file, original)));
      if (expected === 'conflict' || expected === 'parse') {
        expect(isQuickbackError(thrown) && thrown.code).toBe(
          expected === 'conflict' ? 'QB_GEN_CONFLICT' : 'QB_GEN_PARSE',
        );
        if (expected === 'conflict') {
          expect((thrown as Error).message).toMatch(new RegExp(`${file.replace(/[.]/g, '\\.')}(:\\d+|\\b)`));
          expect((thrown as { hint: string }).hint).toMatch(/by hand/);
        }
        return;
      }
      expect(thrown).toBeUndefined();
      const first = edit(parseSource(file, original));
      if (expected === 'unchanged') return expect(first).toEqual({ status: 'unchanged', splices: [] });
      expect(first.status).not.toBe('unchanged');
      const result = applySplices(original, first.splices);
      expect(revertSplices(result, first.splices, original)).toBe(original);
      expect(edit(parseSource(file, result))).toMatchObject({ status: 'unchanged', splices: [] });
      if (original.includes('\r\n')) expect(result.replace(/\r\n/g, '')).not.toContain('\n');
      expect(result).toMatchSnapshot();
    });
  }

  it("reads each file's style", () => {
    const style = (f: string) => parseSource(f, read(f)).style;
    expect(style('02-tabs-nosemi.config.ts')).toMatchObject({
      indent: '\t',
      quote: '"',
      semicolons: false,
      trailingCommas: false,
      eol: '\n',
    });
    expect(style('03-single-quotes-4space.config.ts')).toMatchObject({ indent: '    ', quote: "'", semicolons: true });
    expect(style('04-crlf-empty.config.ts')).toMatchObject({ indent: '  ', eol: '\r\n', trailingCommas: true });
    expect(style('features/f02-tabs-nosemi-single.ts')).toMatchObject({ indent: '\t', quote: "'", semicolons: false });
    expect(style('features/f12-four-space-no-trailing.ts')).toMatchObject({ indent: '    ', trailingCommas: false });
  });

  it('flips an explicit value: realtime: false becomes true, its comment kept', () => {
    const original = read('07-realtime-false.config.ts');
    expect(applySplices(original, realtime(parseSource('07', original), true).splices)).toContain(
      'realtime: true, // off for now',
    );
  });

  it('refuses overlapping splices', () => {
    expect(() => applySplices('abcdef', [{ start: 1, end: 3, text: 'x' }, { start: 2, end: 4, text: 'y' }])).toThrow(
      RangeError,
    );
  });
});
