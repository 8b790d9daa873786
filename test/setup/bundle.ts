/**
 * vitest globalSetup: builds dist/quickback.mjs (bin/bundle.js) once, before any test process
 * starts, when it is missing or older than the sources. Without it, the CLI test files that start
 * together on a fresh clone (or right after a source edit) each rebuild it, and one can delete
 * the chunks another's entry still imports. Tests that run the CLI from source set
 * QUICKBACK_FROM_SOURCE=1 themselves; nothing to do for them.
 */
// @ts-expect-error: bin/bundle.js is plain JavaScript without declarations.
import { ensureBundle } from '../../bin/bundle.js';

export default async function setup(): Promise<void> {
  if ((await ensureBundle()) === null && process.env.QUICKBACK_FROM_SOURCE !== '1') {
    throw new Error('bin/bundle.js could not build dist/quickback.mjs: run `node bin/bundle.js` to see why');
  }
}
