/**
 * @module emitters/runtime-files
 * Copies the hand-written runtime (src/runtime, tested once in this repository) into the app as
 * compiler-owned `src/lib/quickback/*.ts`, so the app has no runtime dependency on Quickback.
 */
import type { Emitter } from '../../compiler/emit/contract.js';
import { withBanner } from '../banner.js';

export const runtimeFilesEmitter = {
  id: 'runtime-files',
  applies: () => true,
  emit(model, context) {
    return Object.keys(context.runtimeSources).sort().map((name) => ({
      path: `src/lib/quickback/${name}`,
      contents: withBanner('ts', '@quickback/compiler runtime', context.runtimeSources[name]),
      ownership: 'compiler' as const,
      emitter: 'runtime-files',
    }));
  },
} satisfies Emitter;
