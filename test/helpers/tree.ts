/** Generator tests: a Tree over a temp copy of the helpdesk example's quickback/, and the code a call throws. */
import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { isQuickbackError } from '../../src/shared/errors.js';
import { Tree } from '../../src/shared/tree.js';
import { REPO } from './project.js';

export function helpdeskTree(): Tree {
  const root = mkdtempSync(path.join(tmpdir(), 'qb-gen-helpdesk-'));
  cpSync(path.join(REPO, 'examples', 'helpdesk', 'quickback'), path.join(root, 'quickback'), { recursive: true });
  return new Tree(root);
}

/** The QuickbackError code `run` throws (null when it does not throw). */
export function codeOf(run: () => unknown): unknown {
  try {
    run();
    return null;
  } catch (e) {
    return isQuickbackError(e) ? e.code : e;
  }
}
