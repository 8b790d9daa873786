/**
 * @module compiler/emit
 * Stage 4: runs every emitter that applies to the model and returns their files, sorted, with
 * project-relative paths: each file's path joined with its base (`output`: under
 * `build.outputDir`; `project`: the project root). Pure and synchronous. Two emitters claiming one
 * path is a bug in the compiler (QB_EMIT_PATH_COLLISION).
 */
import path from 'node:path';
import type { AppModel } from '../model/ir.js';
import type { EmitContext, EmittedFile, Emitter } from './contract.js';
import { emitters as registered } from './registry.js';
import { QuickbackError } from '../../shared/errors.js';

export function emit(model: AppModel, context: EmitContext, emitters: readonly Emitter[] = registered): EmittedFile[] {
  const outDir = path.posix.normalize(model.build.outputDir);
  const byPath = new Map<string, EmittedFile>();
  for (const emitter of emitters) {
    if (!emitter.applies(model)) continue;
    for (const file of emitter.emit(model, context)) {
      const full = file.base === 'project' || outDir === '.'
        ? path.posix.normalize(file.path)
        : path.posix.join(outDir, file.path);
      const previous = byPath.get(full);
      if (previous) {
        throw new QuickbackError(
          'QB_EMIT_PATH_COLLISION',
          `Emitters "${previous.emitter}" and "${file.emitter}" both write ${full}`,
          { file: full, hint: 'This is a compiler bug; please report it.' },
        );
      }
      byPath.set(full, { ...file, path: full, base: 'project' });
    }
  }
  return [...byPath.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
