/**
 * The one file most generators edit, quickback/quickback.config.ts: read it from the Tree (or
 * refuse when it is missing), parse it, apply one codemod edit, stage the result.
 */
import type { Edit } from '../src/codemod/edits.js';
import { parseSource, type ParsedSource } from '../src/codemod/source.js';
import { applySplices } from '../src/codemod/splice.js';
import { QuickbackError } from '../src/shared/errors.js';
import type { Tree } from '../src/shared/tree.js';

export const CONFIG = 'quickback/quickback.config.ts';

export function editConfig(tree: Tree, edit: (source: ParsedSource) => Edit): Edit {
  const text = tree.read(CONFIG);
  if (text === null)
    throw new QuickbackError('QB_LOAD_CONFIG_NOT_FOUND', `${CONFIG} was not found`, {
      hint: 'Run this in a Quickback project (or pass --cwd).',
    });
  const result = edit(parseSource(CONFIG, text));
  if (result.splices.length > 0) tree.write(CONFIG, applySplices(text, result.splices));
  return result;
}
