/**
 * @module emitters/vendor-runtime
 * Copies the hand-written runtime (src/runtime, tested once in this repository) into the app as
 * compiler-owned `src/lib/quickback/<layer>/*.ts` (core, policy, auth, crypto, data, events, routes,
 * addons, app), so the app has no runtime dependency on Quickback. It offers every module; the
 * compiler's vendor-select stage (compiler/emit/vendor-select.ts) keeps those the app uses. The
 * app's own code, generated and the owner's, imports it only through `index.ts`, as `#quickback`
 * (the package.json `imports` entry; print-utils.ts runtimeImport), never a module by its path.
 */
import type { Emitter } from '../../compiler/emit/contract.js';
import { withBanner } from '../banner.js';

export const vendorRuntimeEmitter = {
  id: 'vendor-runtime',
  applies: () => true,
  emit(model, context) {
    return Object.keys(context.runtimeSources).sort().map((name) => ({
      path: `src/lib/quickback/${name}`,
      contents: withBanner('ts', '@quickback/compiler runtime', context.runtimeSources[name]),
      ownership: 'compiler' as const,
      emitter: 'vendor-runtime',
    }));
  },
} satisfies Emitter;
