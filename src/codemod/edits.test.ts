/**
 * The codemod primitives over the hand-formatted corpus in test/fixtures/codemod, through the two
 * edits `enable realtime` and `add plugin` make (database option `realtime: true`, auth plugin
 * "twoFactor"). For every file: the expected output, byte preservation (taking out exactly what
 * was inserted gives back the original), idempotence (a second run has no splices), the output
 * parses in the file's style; and the refusals (a variable is a conflict, a broken file is left).
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { isQuickbackError } from '../shared/errors.js';
import { addPlugin } from '../../generators/plugin/index.js';
import { realtime as enableRealtime } from '../../generators/toggle/index.js';
import type { Edit } from './edits.js';
import { parseSource, type ParsedSource } from './source.js';
import { applySplices, type Splice } from './splice.js';

const CORPUS = path.join(import.meta.dirname, '..', '..', 'test', 'fixtures', 'codemod');
const files = readdirSync(CORPUS).filter((f) => f.endsWith('.config.ts')).sort();

// The real edits of `enable realtime` and `add plugin twoFactor`.
const realtime = (source: ParsedSource): Edit => enableRealtime(source, true);
const twoFactor = (source: ParsedSource): Edit => addPlugin(source, 'twoFactor');

/** Removes what the splices inserted (they only insert or replace): the original must come back. */
function undo(result: string, splices: Splice[], original: string): string {
  let out = result;
  let shift = 0;
  const shifted = [...splices].sort((a, b) => a.start - b.start).map((s) => {
    const start = s.start + shift;
    shift += s.text.length - (s.end - s.start);
    return { start, length: s.text.length, was: original.slice(s.start, s.end) };
  });
  for (const s of shifted.reverse()) out = out.slice(0, s.start) + s.was + out.slice(s.start + s.length);
  return out;
}

function run(file: string, edit: (s: ParsedSource) => Edit) {
  const original = readFileSync(path.join(CORPUS, file), 'utf8');
  const first = edit(parseSource(file, original));
  const result = applySplices(original, first.splices);
  return { original, first, result };
}

describe('codemod edits over the corpus', () => {
  const editable = files.filter((f) => !f.includes('broken') && !f.includes('variable'));
  const withAuth = editable.filter((f) => readFileSync(path.join(CORPUS, f), 'utf8').includes('defineAuth('));
  for (const [name, edit, corpus] of [['realtime: true', realtime, editable], ['plugin twoFactor', twoFactor, withAuth]] as const) {
    it.each(corpus)(`${name}: %s`, (file) => {
      const { original, first, result } = run(file, edit);
      expect(first.status).not.toBe('unchanged');
      expect(undo(result, first.splices, original)).toBe(original);
      const again = edit(parseSource(file, result));
      expect(again).toEqual({ status: 'unchanged', splices: [] });
      const style = parseSource(file, original).style;
      if (style.eol === '\r\n') expect(result.replace(/\r\n/g, '')).not.toContain('\n');
      expect(result).toMatchSnapshot();
    });
  }

  it('reads each file\'s style', () => {
    const styles = Object.fromEntries(files.filter((f) => !f.includes('broken')).map((f) => [f, parseSource(f, readFileSync(path.join(CORPUS, f), 'utf8')).style]));
    expect(styles['02-tabs-nosemi.config.ts']).toMatchObject({ indent: '\t', quote: '"', semicolons: false, trailingCommas: false, eol: '\n' });
    expect(styles['03-single-quotes-4space.config.ts']).toMatchObject({ indent: '    ', quote: "'", semicolons: true });
    expect(styles['04-crlf-empty.config.ts']).toMatchObject({ indent: '  ', eol: '\r\n', trailingCommas: true });
  });

  it('flips an explicit value: realtime: false becomes true, its comment kept', () => {
    const { result } = run('07-realtime-false.config.ts', realtime);
    expect(result).toContain('realtime: true, // off for now');
  });

  it('refuses options passed through a variable (QB_GEN_CONFLICT, with the line and the manual edit)', () => {
    const original = readFileSync(path.join(CORPUS, '05-variable-options.config.ts'), 'utf8');
    for (const edit of [realtime, twoFactor]) {
      let thrown: unknown;
      try { edit(parseSource('05-variable-options.config.ts', original)); } catch (e) { thrown = e; }
      expect(isQuickbackError(thrown) && thrown.code).toBe('QB_GEN_CONFLICT');
      expect((thrown as Error).message).toMatch(/05-variable-options\.config\.ts:\d+/);
      expect((thrown as { hint: string }).hint).toMatch(/by hand/);
    }
  });

  it('refuses a file that does not parse (QB_GEN_PARSE)', () => {
    const original = readFileSync(path.join(CORPUS, '08-broken.config.ts'), 'utf8');
    let thrown: unknown;
    try { parseSource('08-broken.config.ts', original); } catch (e) { thrown = e; }
    expect(isQuickbackError(thrown) && thrown.code).toBe('QB_GEN_PARSE');
  });

  it('refuses overlapping splices', () => {
    expect(() => applySplices('abcdef', [{ start: 1, end: 3, text: 'x' }, { start: 2, end: 4, text: 'y' }])).toThrow(RangeError);
  });
});
