/**
 * @module test/structure/emitters
 * Every emitter folder has the same shape: `index.ts` exporting exactly one Emitter value, printers
 * under `print/`, tests and testkits beside them, nothing else; the compiler's registry lists each
 * emitter exactly once and no folder is left out; and the compiler imports emitters only through
 * that registry. Shared helpers that are not emitters are named here.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Emitter } from '../../src/compiler/emit/contract.js';
import { emitters } from '../../src/compiler/emit/registry.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const EMITTERS = path.join(ROOT, 'src/emitters');
/** Not emitters: helpers the emitters share (file banners, print utilities, the Node/Bun server pieces). */
const SHARED = ['banner.ts', 'print-utils.ts', 'print-utils.test.ts', 'server-common'];
const ALLOWED = (
  name: string,
  isDir: boolean,
) => (isDir ? name === 'print' : name === 'index.ts' || /\.(test|testkit)\.ts$/.test(name));

const folders = readdirSync(EMITTERS).filter((name) => !SHARED.includes(name)).sort();
const isEmitter = (value: unknown): value is Emitter =>
  typeof value === 'object' && value !== null && typeof (value as Emitter).id === 'string'
  && typeof (value as Emitter).applies === 'function' && typeof (value as Emitter).emit === 'function';

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? walk(full) : [full];
  });
}

describe('emitter folders', () => {
  it('the shared helpers exist (this list stays true)', () => {
    for (const name of SHARED)
      expect(statSync(path.join(EMITTERS, name)).isFile() || statSync(path.join(EMITTERS, name)).isDirectory()).toBe(
        true,
      );
  });

  it.each(folders)('%s: a folder holding index.ts, print/ and tests only', (folder) => {
    const dir = path.join(EMITTERS, folder);
    expect(statSync(dir).isDirectory()).toBe(true);
    const entries = readdirSync(dir).map((name) => ({ name, isDir: statSync(path.join(dir, name)).isDirectory() }));
    expect(entries.filter((e) => !ALLOWED(e.name, e.isDir)).map((e) => e.name)).toEqual([]);
    expect(entries.map((e) => e.name)).toContain('index.ts');
  });

  it.each(folders)('%s: index.ts exports exactly one Emitter, registered exactly once', async (folder) => {
    const module: Record<string, unknown> = await import(path.join(EMITTERS, folder, 'index.ts'));
    const exported = Object.values(module).filter(isEmitter);
    expect(exported).toHaveLength(1);
    expect(emitters.filter((e) => e === exported[0])).toHaveLength(1);
  });

  it('the registry lists one emitter per folder and nothing else', async () => {
    const fromFolders = await Promise.all(
      folders.map(async (folder) =>
        Object.values(await import(path.join(EMITTERS, folder, 'index.ts'))).find(isEmitter)
      ),
    );
    expect(emitters).toHaveLength(folders.length);
    expect(new Set(emitters.map((e) => e.id)).size).toBe(emitters.length);
    expect([...emitters].sort((a, b) => a.id.localeCompare(b.id))).toEqual(
      [...fromFolders].sort((a, b) => a!.id.localeCompare(b!.id)),
    );
  });

  it('the compiler imports emitters only through compiler/emit/registry.ts', () => {
    const importers = walk(path.join(ROOT, 'src/compiler'))
      .filter((file) => file.endsWith('.ts'))
      .filter((file) => /from '(\.\.\/)+emitters\//.test(readFileSync(file, 'utf8')))
      .map((file) => path.relative(ROOT, file));
    expect(importers).toEqual(['src/compiler/emit/registry.ts']);
  });
});
