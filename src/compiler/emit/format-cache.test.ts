/**
 * @module compiler/emit/format-cache.test
 * The shared format cache on disk: what is set is read back (in another "process": a new handle),
 * `QUICKBACK_FORMAT_CACHE=off` holds nothing, and pruning keeps the newest entries.
 */
import { mkdtempSync, readdirSync, rmSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDiskFormatCache } from './format-cache.js';

let dir: string;
const saved = process.env.QUICKBACK_FORMAT_CACHE;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'qb-format-cache-'));
  process.env.QUICKBACK_FORMAT_CACHE = dir;
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
  if (saved === undefined) delete process.env.QUICKBACK_FORMAT_CACHE;
  else process.env.QUICKBACK_FORMAT_CACHE = saved;
});

describe('openDiskFormatCache', () => {
  it('reads back what an earlier handle stored, and nothing else', () => {
    openDiskFormatCache().set('a'.repeat(64), 'const a = 1;\n');
    const cache = openDiskFormatCache();
    expect(cache.get('a'.repeat(64))).toBe('const a = 1;\n');
    expect(cache.get('b'.repeat(64))).toBeUndefined();
    expect(readdirSync(dir)).toEqual(['a'.repeat(64)]);
  });

  it('holds nothing when turned off', () => {
    process.env.QUICKBACK_FORMAT_CACHE = 'off';
    const cache = openDiskFormatCache();
    cache.set('c'.repeat(64), 'x');
    expect(cache.get('c'.repeat(64))).toBeUndefined();
    expect(readdirSync(dir)).toEqual([]);
  });

  it('past its bound, keeps the newest half', () => {
    const cache = openDiskFormatCache(4);
    const names = ['1', '2', '3', '4', '5'].map((n) => n.repeat(64));
    names.forEach((name, i) => {
      cache.set(name, name);
      utimesSync(path.join(dir, name), 1000 + i, 1000 + i);
    });
    cache.prune();
    expect(readdirSync(dir).sort()).toEqual(names.slice(3));
  });
});
