/**
 * @module compiler/emit/emit.test
 * The emit driver: each file's path joined with its base, one sorted list, collisions refused
 * across bases.
 */
import { describe, expect, it } from 'vitest';
import type { AppModel } from '../model/ir.js';
import type { EmittedFile, Emitter } from './contract.js';
import { emit } from './index.js';

const model = (outputDir: string) => ({ build: { outputDir } }) as AppModel;

function emitter(
  id: string,
  files: Omit<EmittedFile, 'emitter' | 'ownership' | 'contents'>[],
  applies = true,
): Emitter {
  return {
    id,
    applies: () => applies,
    emit: () => files.map((f) => ({ ...f, contents: id, ownership: 'compiler' as const, emitter: id })),
  };
}

describe('emit', () => {
  it('joins output paths with build.outputDir and keeps project paths at the project root', () => {
    const files = emit(model('./app/'), { runtimeSources: {} }, [
      emitter('a', [{ path: 'src/index.ts' }, { path: 'quickback/features/x/actions/y.ts', base: 'project' }]),
      emitter('b', [{ path: 'package.json', base: 'output' }]),
    ]);
    expect(files.map((f) => [f.path, f.base, f.emitter])).toEqual([
      ['app/package.json', 'project', 'b'],
      ['app/src/index.ts', 'project', 'a'],
      ['quickback/features/x/actions/y.ts', 'project', 'a'],
    ]);
  });

  it('writes output paths at the root when outputDir is "." and skips emitters that do not apply', () => {
    const files = emit(model('.'), { runtimeSources: {} }, [
      emitter('a', [{ path: 'src/index.ts' }]),
      emitter('b', [{ path: 'x.ts' }], false),
    ]);
    expect(files.map((f) => f.path)).toEqual(['src/index.ts']);
  });

  it('refuses two files at one path, whichever base each named (QB_EMIT_PATH_COLLISION)', () => {
    const run = () =>
      emit(model('app'), { runtimeSources: {} }, [
        emitter('a', [{ path: 'src/x.ts' }]),
        emitter('b', [{ path: 'app/src/x.ts', base: 'project' }]),
      ]);
    expect(run).toThrow(
      expect.objectContaining({
        code: 'QB_EMIT_PATH_COLLISION',
        message: 'Emitters "a" and "b" both write app/src/x.ts',
      }),
    );
  });
});
