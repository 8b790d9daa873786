/**
 * @module test/format/format-script.test
 * `npm run format[:check]` (scripts/format.ts): which files it covers (the source folders and root
 * *.config.ts, not snapshots, fixtures or .out), --check naming the files that differ without
 * writing, and the write mode leaving them formatted by the compile's own formatter.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { formatRepository, sourceFiles } from '../../scripts/format.js';

const roots: string[] = [];
afterEach(() => {
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
});

function project(files: Record<string, string>): string {
  const root = mkdtempSync(path.join(tmpdir(), 'qb-format-'));
  roots.push(root);
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    writeFileSync(path.join(root, rel), text);
  }
  return root;
}

const raw = 'const  a = {"b": "c"}\n';

describe('scripts/format', () => {
  it('covers the source folders and root configs, not snapshots, fixtures, .out or other files', () => {
    const root = project({
      'src/a.ts': raw,
      'src/b.md': raw,
      'src/x/__snapshots__/s.ts': raw,
      'test/fixtures/f.ts': raw,
      'test/t.ts': raw,
      '.out/o.ts': raw,
      'bin/b.js': raw,
      'vitest.config.ts': raw,
      'other/o.ts': raw,
    });
    expect(sourceFiles(root)).toEqual(['src/a.ts', 'test/t.ts', 'bin/b.js', 'vitest.config.ts']);
  });

  it('--check names the files that differ and writes nothing; the write mode formats them', () => {
    const root = project({ 'src/a.ts': raw, 'src/ok.ts': "const a = { b: 'c' };\n" });
    expect(formatRepository({ root, check: true })).toEqual(['src/a.ts']);
    expect(readFileSync(path.join(root, 'src/a.ts'), 'utf8')).toBe(raw);
    expect(formatRepository({ root, check: false })).toEqual(['src/a.ts']);
    expect(readFileSync(path.join(root, 'src/a.ts'), 'utf8')).toBe("const a = { b: 'c' };\n");
    expect(formatRepository({ root, check: true })).toEqual([]);
  });
});
