/**
 * @module compiler/write/write.test
 * The writer against real temp directories: ownership rules, drift, deletes, crash recovery, diffs.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { EmittedFile, Ownership } from '../emit/contract.js';
import { MANIFEST_PATH, applyPlan, nodeFs, planWrite, renderDiff, sha256, summarize, type WriteFs } from './index.js';

const roots: string[] = [];
afterAll(() => roots.forEach((r) => fs.rmSync(r, { recursive: true, force: true })));
function tmpRoot(): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'qb-write-'));
  roots.push(root);
  return root;
}
function file(p: string, contents: string, ownership: Ownership = 'compiler'): EmittedFile {
  return { path: p, contents, ownership, emitter: `test-${ownership}` };
}
const abs = (root: string, rel: string) => path.join(root, ...rel.split('/'));
const read = (root: string, rel: string) => fs.readFileSync(abs(root, rel), 'utf8');
const exists = (root: string, rel: string) => fs.existsSync(abs(root, rel));
function put(root: string, rel: string, text: string): void {
  fs.mkdirSync(path.dirname(abs(root, rel)), { recursive: true });
  fs.writeFileSync(abs(root, rel), text);
}
function plan(root: string, files: EmittedFile[], force = false) {
  return planWrite({
    root,
    files,
    inputs: { 'quickback/features/todos.ts': sha256('todos') },
    compilerVersion: '9.9.9',
    force,
  });
}
async function compile(root: string, files: EmittedFile[], force = false) {
  const p = await plan(root, files, force);
  return { plan: p, ...(await applyPlan(root, p)) };
}
function allFiles(dir: string): string[] {
  return fs.readdirSync(dir, { recursive: true, withFileTypes: true }).filter((d) => d.isFile()).map((d) => d.name);
}

describe('planWrite + applyPlan', () => {
  it('creates files and a sorted manifest; a second compile changes nothing, byte for byte', async () => {
    const root = tmpRoot();
    const files = [file('out/z.ts', 'z\n'), file('out/a/b.ts', 'b\n')];
    const first = await compile(root, files);
    expect(first.written).toEqual(['out/a/b.ts', 'out/z.ts']);
    expect(read(root, 'out/a/b.ts')).toBe('b\n');
    const text = read(root, MANIFEST_PATH);
    expect(text.endsWith('}\n')).toBe(true);
    const manifest = JSON.parse(text);
    expect(Object.keys(manifest)).toEqual(['compiler', 'files', 'inputs', 'manifestVersion']);
    expect(Object.keys(manifest.files)).toEqual(['out/a/b.ts', 'out/z.ts']);
    expect(manifest.files['out/z.ts']).toEqual({
      emitter: 'test-compiler',
      ownership: 'compiler',
      sha256: sha256('z\n'),
    });
    expect(text).toContain('\n  "compiler": "9.9.9"');

    const second = await plan(root, files);
    expect(second.changes).toEqual([]);
    expect(second.manifestChanged).toBe(false);
    expect(summarize(second)).toEqual({ created: 0, updated: 0, deleted: 0, unchanged: 2 });
    await applyPlan(root, second);
    expect(read(root, MANIFEST_PATH)).toBe(text);
  });

  it('refuses to overwrite a hand edit (QB_WRITE_DRIFT) and writes nothing', async () => {
    const root = tmpRoot();
    await compile(root, [file('out/a.ts', 'a1\n'), file('out/b.ts', 'b1\n')]);
    const manifestBefore = read(root, MANIFEST_PATH);
    put(root, 'out/a.ts', 'hand edit\n');
    const p = await plan(root, [file('out/a.ts', 'a2\n'), file('out/b.ts', 'b2\n')]);
    expect(p.conflicts.map((d) => [d.code, d.file])).toEqual([['QB_WRITE_DRIFT', 'out/a.ts']]);
    expect(p.conflicts[0]!.hint).toMatch(/--force/);
    expect(p.conflicts[0]!.hint).toMatch(/quickback\//);
    await expect(applyPlan(root, p)).rejects.toMatchObject({ code: 'QB_WRITE_DRIFT', diagnostics: p.conflicts });
    expect(read(root, 'out/a.ts')).toBe('hand edit\n');
    expect(read(root, 'out/b.ts')).toBe('b1\n');
    expect(read(root, MANIFEST_PATH)).toBe(manifestBefore);
  });

  it('--force overwrites a hand edit', async () => {
    const root = tmpRoot();
    await compile(root, [file('out/a.ts', 'a1\n')]);
    put(root, 'out/a.ts', 'hand edit\n');
    const { plan: p, written } = await compile(root, [file('out/a.ts', 'a2\n')], true);
    expect(p.conflicts).toEqual([]);
    expect(written).toEqual(['out/a.ts']);
    expect(read(root, 'out/a.ts')).toBe('a2\n');
    expect((await plan(root, [file('out/a.ts', 'a2\n')])).conflicts).toEqual([]);
  });

  it('a hand "edit" identical to the new output is not drift', async () => {
    const root = tmpRoot();
    await compile(root, [file('out/a.ts', 'a1\n')]);
    put(root, 'out/a.ts', 'a2\n');
    const p = await plan(root, [file('out/a.ts', 'a2\n')]);
    expect(p.conflicts).toEqual([]);
    expect(p.changes).toEqual([]);
    expect(p.unchanged).toEqual(['out/a.ts']);
    expect(p.manifestChanged).toBe(true); // the recorded hash moves to the new contents
  });

  it('an existing file the compiler does not own is QB_WRITE_UNOWNED_PATH (unless identical or forced)', async () => {
    const root = tmpRoot();
    put(root, 'out/a.ts', 'mine\n');
    put(root, 'out/same.ts', 'same\n');
    const files = [file('out/a.ts', 'generated\n'), file('out/same.ts', 'same\n')];
    const p = await plan(root, files);
    expect(p.conflicts.map((d) => [d.code, d.file])).toEqual([['QB_WRITE_UNOWNED_PATH', 'out/a.ts']]);
    await expect(applyPlan(root, p)).rejects.toMatchObject({ code: 'QB_WRITE_UNOWNED_PATH' });
    expect(read(root, 'out/a.ts')).toBe('mine\n');
    expect(exists(root, MANIFEST_PATH)).toBe(false);
    await compile(root, files, true);
    expect(read(root, 'out/a.ts')).toBe('generated\n');
  });

  it('deletes files no longer emitted, prunes empty directories, and guards edited ones', async () => {
    const root = tmpRoot();
    await compile(root, [
      file('out/deep/nested/a.ts', 'a\n'),
      file('out/b.ts', 'b\n'),
      file('out/c.ts', 'c\n'),
      file('out/gone.ts', 'g\n'),
    ]);
    put(root, 'out/c.ts', 'edited\n');
    fs.rmSync(abs(root, 'out/gone.ts'));
    const p = await plan(root, [file('out/b.ts', 'b\n')]);
    expect(p.changes.map((c) => [c.action, c.path])).toEqual([
      ['delete', 'out/c.ts'],
      ['delete', 'out/deep/nested/a.ts'],
    ]);
    expect(p.conflicts.map((d) => [d.code, d.file])).toEqual([['QB_WRITE_DRIFT', 'out/c.ts']]);
    const { deleted } = await compile(root, [file('out/b.ts', 'b\n')], true);
    expect(deleted).toEqual(['out/c.ts', 'out/deep/nested/a.ts']);
    expect(exists(root, 'out/deep')).toBe(false);
    expect(exists(root, 'out/b.ts')).toBe(true);
    expect(Object.keys(JSON.parse(read(root, MANIFEST_PATH)).files)).toEqual(['out/b.ts']);
  });

  it('writes a seed when it is missing and never overwrites it', async () => {
    const root = tmpRoot();
    const first = await compile(root, [file('app/seed.ts', 'v1\n', 'seed')]);
    expect(first.written).toEqual(['app/seed.ts']);
    put(root, 'app/seed.ts', 'user owns this\n');
    const second = await compile(root, [file('app/seed.ts', 'v2\n', 'seed')]);
    expect(second.plan.conflicts).toEqual([]);
    expect(second.written).toEqual([]);
    expect(read(root, 'app/seed.ts')).toBe('user owns this\n');
    // Still emitted (the generated code imports it) but deleted: written again, reported as a create.
    fs.rmSync(abs(root, 'app/seed.ts'));
    const third = await compile(root, [file('app/seed.ts', 'v2\n', 'seed')]);
    expect(third.plan.changes.map((c) => [c.action, c.path])).toEqual([['create', 'app/seed.ts']]);
    expect(third.written).toEqual(['app/seed.ts']);
    expect(read(root, 'app/seed.ts')).toBe('v2\n');
    expect(JSON.parse(read(root, MANIFEST_PATH)).files['app/seed.ts'].sha256).toBe(sha256('v2\n'));
    // No longer emitted: a deleted seed stays deleted (and is never deleted by the compiler).
    fs.rmSync(abs(root, 'app/seed.ts'));
    const gone = await compile(root, [], true);
    expect([gone.written, gone.deleted, exists(root, 'app/seed.ts')]).toEqual([[], [], false]);
    put(root, 'app/other.ts', 'pre-existing\n');
    const fourth = await compile(root, [file('app/other.ts', 'template\n', 'seed')]);
    expect(fourth.plan.conflicts).toEqual([]);
    expect(read(root, 'app/other.ts')).toBe('pre-existing\n');
  });

  it('updates history files without a drift check and never deletes them', async () => {
    const root = tmpRoot();
    await compile(root, [file('drizzle/0000_init.sql', 'create\n', 'history'), file('out/a.ts', 'a\n')]);
    put(root, 'drizzle/0000_init.sql', 'hand edit\n');
    const p = await plan(root, [file('drizzle/0000_init.sql', 'create v2\n', 'history')]);
    expect(p.conflicts).toEqual([]);
    expect(p.changes.map((c) => [c.action, c.path])).toEqual([
      ['update', 'drizzle/0000_init.sql'],
      ['delete', 'out/a.ts'],
    ]);
    await applyPlan(root, p);
    const { plan: later } = await compile(root, [file('drizzle/0001_next.sql', 'alter\n', 'history')]);
    expect(later.changes.map((c) => [c.action, c.path])).toEqual([['create', 'drizzle/0001_next.sql']]);
    expect(read(root, 'drizzle/0000_init.sql')).toBe('create v2\n');
    expect(Object.keys(JSON.parse(read(root, MANIFEST_PATH)).files)).toEqual([
      'drizzle/0000_init.sql',
      'drizzle/0001_next.sql',
    ]);
  });

  it('a crash on the 2nd write leaves the old manifest, no temp files, and a rerun completes', async () => {
    const root = tmpRoot();
    const v1 = ['a', 'b', 'c'].map((n) => file(`out/${n}.ts`, `${n}1\n`));
    const v2 = ['a', 'b', 'c'].map((n) => file(`out/${n}.ts`, `${n}2\n`));
    await compile(root, v1);
    const manifestV1 = read(root, MANIFEST_PATH);
    let writes = 0;
    const crashing: WriteFs = {
      ...nodeFs,
      writeFile: async (f, data, enc) => {
        if (++writes === 2) {
          await nodeFs.writeFile(f, data.slice(0, 1), enc); // a torn temp file
          throw new Error('disk full');
        }
        return nodeFs.writeFile(f, data, enc);
      },
    };
    await expect(applyPlan(root, await plan(root, v2), crashing)).rejects.toMatchObject({
      code: 'QB_WRITE_FAILED',
      file: 'out/b.ts',
    });
    expect(read(root, 'out/a.ts')).toBe('a2\n');
    expect(read(root, 'out/b.ts')).toBe('b1\n');
    expect(read(root, MANIFEST_PATH)).toBe(manifestV1);
    expect(allFiles(root).filter((n) => n.endsWith('.tmp'))).toEqual([]);

    const rerun = await plan(root, v2);
    expect(rerun.conflicts).toEqual([]);
    expect(rerun.unchanged).toEqual(['out/a.ts']);
    await applyPlan(root, rerun);
    expect(v2.map((f) => read(root, f.path))).toEqual(['a2\n', 'b2\n', 'c2\n']);
    const settled = await plan(root, v2);
    expect([settled.changes, settled.manifestChanged]).toEqual([[], false]);
  });
});

describe('manifest and path validation', () => {
  it.each([
    ['not JSON', '{ nope'],
    ['unknown version', JSON.stringify({ manifestVersion: 3, compiler: '1', inputs: {}, files: {} })],
    [
      'wrong shape',
      JSON.stringify({ manifestVersion: 1, compiler: '1', inputs: {}, files: { 'a.ts': { sha256: 'x' } } }),
    ],
    [
      'escaping path',
      JSON.stringify({
        manifestVersion: 1,
        compiler: '1',
        inputs: {},
        files: { '../x': { sha256: sha256(''), emitter: 'e', ownership: 'compiler' } },
      }),
    ],
  ])('rejects a corrupt manifest (%s) with QB_WRITE_MANIFEST_INVALID', async (_name, text) => {
    const root = tmpRoot();
    put(root, MANIFEST_PATH, text);
    await expect(plan(root, [])).rejects.toMatchObject({
      code: 'QB_WRITE_MANIFEST_INVALID',
      file: MANIFEST_PATH,
      hint: expect.stringContaining('--force'),
    });
  });

  it.each(['../x', 'out/../../x', '/etc/x'])('rejects the output path %s with QB_WRITE_OUTSIDE_ROOT', async (p) => {
    const root = tmpRoot();
    await expect(plan(root, [file(p, 'x')])).rejects.toMatchObject({ code: 'QB_WRITE_OUTSIDE_ROOT' });
    expect(fs.readdirSync(root)).toEqual([]);
  });

  it('rejects two files with the same path, and a file at the manifest path', async () => {
    const root = tmpRoot();
    await expect(plan(root, [file('out/a.ts', '1'), file('out/./a.ts', '2')])).rejects.toMatchObject({
      code: 'QB_EMIT_PATH_COLLISION',
    });
    await expect(plan(root, [file(MANIFEST_PATH, '{}')])).rejects.toMatchObject({ code: 'QB_EMIT_PATH_COLLISION' });
  });
});

describe('renderDiff, summarize, sha256', () => {
  it('renders a sorted unified diff with a/ b/ and /dev/null headers', async () => {
    const root = tmpRoot();
    await compile(root, [file('out/upd.ts', 'one\n'), file('out/del.ts', 'bye\n')]);
    const p = await plan(root, [file('out/upd.ts', 'two\n'), file('out/new.ts', 'hi\n')]);
    const diff = renderDiff(p);
    expect(diff).toContain('--- /dev/null\n+++ b/out/new.ts\n');
    expect(diff).toContain('--- a/out/del.ts\n+++ /dev/null\n');
    expect(diff).toContain('--- a/out/upd.ts\n+++ b/out/upd.ts\n');
    expect(diff).toContain('-one\n+two\n');
    expect(diff.indexOf('out/del.ts')).toBeLessThan(diff.indexOf('out/new.ts'));
    expect(diff.indexOf('out/new.ts')).toBeLessThan(diff.indexOf('out/upd.ts'));
    expect(summarize(p)).toEqual({ created: 1, updated: 1, deleted: 1, unchanged: 0 });
    await applyPlan(root, p);
    expect(renderDiff(await plan(root, [file('out/upd.ts', 'two\n'), file('out/new.ts', 'hi\n')]))).toBe('');
  });

  it('hashes text as hex sha256', () => {
    expect(sha256('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });
});
