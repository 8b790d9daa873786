/**
 * The compile cache's proof that a generated file is unchanged (disk-state.ts), and the drift
 * check built on it: a stat that still matches lets planWrite skip reading the file, so any edit
 * must break the match — different size, mtime, ctime or inode — and a file recorded in the same
 * clock tick as its last write is never trusted.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { EmittedFile } from '../emit/contract.js';
import type { OutputRecord } from '../cache/index.js';
import { knownDiskHash, recordOutput, recordOutputs } from './disk-state.js';
import { applyPlan, planWrite, sha256 } from './index.js';

const roots: string[] = [];
afterAll(() => roots.forEach((r) => fs.rmSync(r, { recursive: true, force: true })));
const PAST = new Date(Date.now() - 60_000);

/** A file last written a minute ago, and its record taken now. */
function recorded(text = 'generated\n'): { root: string; abs: string; record: OutputRecord } {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'qb-disk-'));
  roots.push(root);
  const abs = path.join(root, 'out.ts');
  fs.writeFileSync(abs, text);
  fs.utimesSync(abs, PAST, PAST);
  return { root, abs, record: recordOutput(abs, sha256(text), Date.now())! };
}

describe('knownDiskHash', () => {
  it('vouches for an untouched file, and for nothing without a record or a file', () => {
    const { abs, record } = recorded();
    expect(record).toMatchObject({
      sha256: sha256('generated\n'),
      size: 10,
      mtimeMs: fs.statSync(abs).mtimeMs,
      ino: fs.statSync(abs).ino,
    });
    expect(knownDiskHash(abs, record)).toBe(record.sha256);
    expect(knownDiskHash(abs, undefined)).toBeUndefined();
    expect(knownDiskHash(`${abs}.gone`, record)).toBeUndefined();
    expect(recordOutput(`${abs}.gone`, 'x', Date.now())).toBeNull();
  });

  it.each(
    [
      ['size', { size: 11 }],
      ['mtime', { mtimeMs: PAST.getTime() - 5000 }],
      ['ctime', { ctimeMs: 1 }],
      ['inode', { ino: -1 }],
    ] as const,
  )(
    'a different %s is not the recorded file',
    (_, change) => {
      const { abs, record } = recorded();
      expect(knownDiskHash(abs, { ...record, ...change })).toBeUndefined();
    },
  );

  it('racily clean: trusted only when the mtime is more than 2 s older than the record', () => {
    const { abs, record } = recorded();
    expect(knownDiskHash(abs, { ...record, recordedAt: record.mtimeMs + 2000 })).toBeUndefined();
    expect(knownDiskHash(abs, { ...record, recordedAt: record.mtimeMs + 2001 })).toBe(record.sha256);
  });
});

describe('the drift check with the cache', () => {
  const file = (contents: string): EmittedFile => ({
    path: 'out.ts',
    contents,
    ownership: 'compiler',
    emitter: 'test',
  });

  it('a same-size hand edit with its mtime put back is still drift (ctime moved)', async () => {
    const { root, abs } = recorded();
    const first = await planWrite({ root, files: [file('generated\n')], inputs: [], compilerVersion: '1' });
    expect(first.conflicts).toEqual([]);
    await applyPlan(root, first);
    fs.utimesSync(abs, PAST, PAST);
    const outputs = recordOutputs(root, first.manifest.files, {});
    await new Promise((r) => setTimeout(r, 20));
    fs.writeFileSync(abs, 'GENERATED\n');
    fs.utimesSync(abs, PAST, PAST);
    // The same output again: only reading the file shows that it no longer holds it.
    const second = await planWrite({ root, files: [file('generated\n')], inputs: [], compilerVersion: '1', outputs });
    expect(second.conflicts.map((c) => c.code)).toEqual(['QB_WRITE_DRIFT']);
    expect(second.changes.map((c) => [c.path, c.action, c.before])).toEqual([['out.ts', 'update', 'GENERATED\n']]);
  });

  it('recordOutputs keeps a record that still holds, renews a changed one, skips seeds and missing files', async () => {
    const { root, abs, record } = recorded();
    const entry = { sha256: record.sha256, ownership: 'compiler' };
    const kept = recordOutputs(
      root,
      { 'out.ts': entry, 'seed.ts': { sha256: 'x', ownership: 'seed' }, 'gone.ts': entry },
      { 'out.ts': record },
    );
    expect(Object.keys(kept)).toEqual(['out.ts']);
    expect(kept['out.ts']).toBe(record);
    const renewed = recordOutputs(root, { 'out.ts': { sha256: 'other', ownership: 'compiler' } }, { 'out.ts': record });
    expect(renewed['out.ts']).toMatchObject({ sha256: 'other', size: record.size, ino: record.ino });
    expect(renewed['out.ts'].recordedAt).toBeGreaterThanOrEqual(record.recordedAt);
    fs.writeFileSync(abs, 'edited!!!\n');
    expect(recordOutputs(root, { 'out.ts': entry }, { 'out.ts': record })['out.ts']).not.toBe(record);
  });
});
