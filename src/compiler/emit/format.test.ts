/**
 * @module compiler/emit/format.test
 * The format step: TypeScript files formatted with the repository's config, everything else
 * untouched, the same bytes from the cache as from the formatter, and a file the formatter cannot
 * parse reported as QB_EMIT_FORMAT_FAILED with its path.
 */
import { describe, expect, it } from 'vitest';
import type { EmittedFile } from './contract.js';
import { sha256 } from '../../shared/hash.js';
import { formatFiles } from './format.js';

const file = (path: string, contents: string): EmittedFile => ({ path, contents, ownership: 'compiler', emitter: 'test' });

describe('formatFiles', () => {
  it('formats .ts files only, with the repository config (single quotes, trailing commas, width 120)', async () => {
    const raw = 'export const roles = {"owner": ["read","write"], admin: ["read"]}\n';
    const [ts, json] = await formatFiles([file('src/a.ts', raw), file('src/a.json', '{"a":1}')]);
    expect(ts.contents).toBe("export const roles = { owner: ['read', 'write'], admin: ['read'] };\n");
    expect(json.contents).toBe('{"a":1}');
  });

  it('stores what it formatted by the hash of the printed text, and reuses a stored entry as is', async () => {
    const raw = 'const   x = 1\n';
    const keep: Record<string, string> = {};
    await formatFiles([file('src/x.ts', raw)], { keep });
    expect(keep).toEqual({ [sha256(raw)]: 'const x = 1;\n' });
    const stored = { [sha256('let y = 2\n')]: 'let y = 2; // from the cache\n' };
    const [reused] = await formatFiles([file('src/y.ts', 'let y = 2\n')], { stored });
    expect(reused.contents).toBe('let y = 2; // from the cache\n');
  });

  it('reports an unparsable emitted file as a compiler bug naming the file', async () => {
    await expect(formatFiles([file('src/broken.ts', 'export const = ;\n')])).rejects.toMatchObject({
      code: 'QB_EMIT_FORMAT_FAILED',
      file: 'src/broken.ts',
      message: expect.stringContaining('src/broken.ts'),
    });
  });
});
