/**
 * planWrite's decisions the user reads: the messages and hints of its conflicts and collisions,
 * which seed files it claims in the manifest, and a cache that proves a file unchanged.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { EmittedFile, Ownership } from '../emit/contract.js';
import { recordOutputs } from './disk-state.js';
import { applyPlan, MANIFEST_PATH, planWrite } from './index.js';

const roots: string[] = [];
afterAll(() => roots.forEach((r) => fs.rmSync(r, { recursive: true, force: true })));
function tmpRoot(files: Record<string, string> = {}): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'qb-plan-'));
  roots.push(root);
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), text);
  }
  return root;
}
const file = (p: string, contents: string, ownership: Ownership = 'compiler', emitter = 'routes'): EmittedFile => ({
  path: p,
  contents,
  ownership,
  emitter,
});
const plan = (
  root: string,
  files: EmittedFile[],
  extra: { force?: boolean; inputs?: string[]; outputs?: Parameters<typeof planWrite>[0]['outputs'] } = {},
) =>
  planWrite({
    root,
    files,
    inputs: extra.inputs ?? [],
    compilerVersion: '1',
    force: extra.force,
    outputs: extra.outputs,
  });

describe('what the user is told', () => {
  it('an unowned file in the way: its path, and how to get out of the way', async () => {
    const p = await plan(tmpRoot({ 'src/a.ts': 'mine\n' }), [file('src/a.ts', 'generated\n')]);
    expect(p.conflicts).toEqual([{
      code: 'QB_WRITE_UNOWNED_PATH',
      severity: 'error',
      file: 'src/a.ts',
      message: 'src/a.ts already exists and was not written by the compiler',
      hint: 'Move or rename your file, or run quickback compile --force to overwrite it.',
    }]);
  });

  it('a hand edit, and a hand-edited file that is no longer generated: the path, and where the change belongs', async () => {
    const root = tmpRoot();
    await applyPlan(root, await plan(root, [file('src/a.ts', 'a\n'), file('src/b.ts', 'b\n')]));
    fs.writeFileSync(path.join(root, 'src/a.ts'), 'edited\n');
    fs.writeFileSync(path.join(root, 'src/b.ts'), 'edited\n');
    const p = await plan(root, [file('src/a.ts', 'a2\n')]);
    const hint =
      'Put the change into your quickback/ definitions instead, or run quickback compile --force to discard it.';
    expect(p.conflicts).toEqual([
      {
        code: 'QB_WRITE_DRIFT',
        severity: 'error',
        file: 'src/a.ts',
        message: 'src/a.ts was edited by hand since the last compile',
        hint,
      },
      {
        code: 'QB_WRITE_DRIFT',
        severity: 'error',
        file: 'src/b.ts',
        message: 'src/b.ts is no longer generated but was edited by hand since the last compile',
        hint,
      },
    ]);
    expect((await plan(root, [file('src/a.ts', 'a2\n')], { force: true })).conflicts).toEqual([]);
  });

  it('two emitters writing one path, or one writing the manifest: who, what, and that it is a compiler bug', async () => {
    const root = tmpRoot();
    await expect(plan(root, [file('src/a.ts', '1', 'compiler', 'routes'), file('src/a.ts', '2', 'compiler', 'schema')]))
      .rejects.toMatchObject({
        code: 'QB_EMIT_PATH_COLLISION',
        file: 'src/a.ts',
        message: 'Emitter "schema" and "routes" both write src/a.ts',
        hint: 'This is a compiler bug; please report it.',
      });
    await expect(plan(root, [file(MANIFEST_PATH, '{}', 'compiler', 'rogue')])).rejects.toMatchObject({
      message: `Emitter "rogue" and the write manifest both write ${MANIFEST_PATH}`,
    });
  });
});

describe('seeds and the manifest', () => {
  it('a seed path already holding a different file is left alone and not claimed; an identical one is recorded', async () => {
    const foreign = await plan(tmpRoot({ 'app/seed.ts': "the user's\n" }), [file('app/seed.ts', 'template\n', 'seed')]);
    expect([foreign.changes, foreign.unchanged, Object.keys(foreign.manifest.files)]).toEqual([
      [],
      ['app/seed.ts'],
      [],
    ]);
    const same = await plan(tmpRoot({ 'app/seed.ts': 'template\n' }), [file('app/seed.ts', 'template\n', 'seed')]);
    expect([same.changes, same.unchanged, Object.keys(same.manifest.files)]).toEqual([
      [],
      ['app/seed.ts'],
      ['app/seed.ts'],
    ]);
    // The emitted seeds, whatever the disk holds (the watcher re-runs when one goes missing).
    const seeds = await plan(tmpRoot(), [
      file('src/a.ts', 'a\n'),
      file('app/z.ts', 'z\n', 'seed'),
      file('app/b.ts', 'b\n', 'seed'),
    ]);
    expect(seeds.seeds).toEqual(['app/b.ts', 'app/z.ts']);
  });

  it('records the inputs sorted, from a list or a map', async () => {
    const root = tmpRoot();
    expect((await plan(root, [], { inputs: ['b.ts', 'a.ts'] })).manifest.inputs).toEqual(['a.ts', 'b.ts']);
    expect(
      (await planWrite({ root, files: [], inputs: { 'z.ts': 'h', 'm.ts': 'h' }, compilerVersion: '1' })).manifest
        .inputs,
    ).toEqual(['m.ts', 'z.ts']);
  });
});

describe('a cache that proves a file unchanged', () => {
  it('the file counts as holding the output: no change, no conflict', async () => {
    const root = tmpRoot();
    const first = await plan(root, [file('src/a.ts', 'a\n')]);
    await applyPlan(root, first);
    const past = new Date(Date.now() - 60_000);
    fs.utimesSync(path.join(root, 'src/a.ts'), past, past);
    const outputs = recordOutputs(root, first.manifest.files, {});
    const again = await plan(root, [file('src/a.ts', 'a\n')], { outputs });
    expect([again.changes, again.unchanged, again.conflicts, again.manifestChanged]).toEqual([
      [],
      ['src/a.ts'],
      [],
      false,
    ]);
  });
});
