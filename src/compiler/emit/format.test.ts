/**
 * @module compiler/emit/format.test
 * The format step: TypeScript files formatted with the repository's dprint.json, everything else
 * untouched, the vendored runtime copied verbatim (and its sources already formatted, so verbatim
 * is what formatting would give), the same bytes from the cache as from the formatter, and a file
 * the formatter cannot parse reported as QB_EMIT_FORMAT_FAILED with its path.
 */
import { describe, expect, it } from 'vitest';
import type { EmittedFile } from './contract.js';
import { sha256 } from '../../shared/hash.js';
import { formatFiles, formatSource } from './format.js';
import { readRuntimeSources } from './runtime-sources.js';

const file = (path: string, contents: string, emitter = 'test'): EmittedFile => ({
  path,
  contents,
  ownership: 'compiler',
  emitter,
});

describe('formatFiles', () => {
  it('formats .ts files only, with the repository config (single quotes, bare keys, semicolons, width 120)', () => {
    const raw = 'export const roles = {"owner": ["read","write"], admin: ["read"]}\n';
    const [ts, json] = formatFiles([file('src/a.ts', raw), file('src/a.json', '{"a":1}')]);
    expect(ts.contents).toBe("export const roles = { owner: ['read', 'write'], admin: ['read'] };\n");
    expect(json.contents).toBe('{"a":1}');
  });

  it('puts a long literal one entry per line with a trailing comma', () => {
    const raw = `export const x = { ${Array.from({ length: 12 }, (_, i) => `key${i}: 'value ${i}'`).join(', ')} };\n`;
    const [ts] = formatFiles([file('src/long.ts', raw)]);
    expect(ts.contents.split('\n')).toEqual([
      'export const x = {',
      ...Array.from({ length: 12 }, (_, i) => `  key${i}: 'value ${i}',`),
      '};',
      '',
    ]);
  });

  it('copies the vendored runtime verbatim', () => {
    const raw = 'const   x = 1\n';
    const [vendored] = formatFiles([file('src/lib/quickback/core/x.ts', raw, 'vendor-runtime')]);
    expect(vendored.contents).toBe(raw);
  });

  it('stores what it formatted by the hash of the printed text, and reuses a stored entry as is', () => {
    const raw = 'const   x = 1\n';
    const keep: Record<string, string> = {};
    formatFiles([file('src/x.ts', raw)], { keep });
    expect(keep).toEqual({ [sha256(raw)]: 'const x = 1;\n' });
    const stored = { [sha256('let y = 2\n')]: 'let y = 2; // from the cache\n' };
    const [reused] = formatFiles([file('src/y.ts', 'let y = 2\n')], { stored });
    expect(reused.contents).toBe('let y = 2; // from the cache\n');
  });

  it('reports an unparsable emitted file as a compiler bug naming the file', () => {
    expect(() => formatFiles([file('src/broken.ts', 'export const = ;\n')])).toThrow(
      expect.objectContaining({
        code: 'QB_EMIT_FORMAT_FAILED',
        file: 'src/broken.ts',
        message: expect.stringContaining('src/broken.ts'),
      }),
    );
  });
});

describe('the vendored runtime', () => {
  it('is formatted already: formatting any of its files gives the same text', () => {
    const sources = readRuntimeSources();
    expect(Object.keys(sources).length).toBeGreaterThan(20);
    const differing = Object.entries(sources).filter(([name, text]) => formatSource(text, name) !== text).map((
      [name],
    ) => name);
    expect(differing).toEqual([]);
  });
});
