/** `quickback undo`: no arguments. */
import { QuickbackError } from '../../src/shared/errors.js';

export function undoOptions(positionals: string[]): Record<string, never> {
  if (positionals.length > 0) throw new QuickbackError('QB_GEN_INVALID_ARGUMENT', `undo takes no arguments (got ${positionals.join(' ')})`, { hint: 'quickback undo reverts the last generator run; run it again for the one before.' });
  return {};
}
