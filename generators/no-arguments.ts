/** Options of a command that takes no positionals (`enable <what>`, `undo`, `upgrade`). */
import { QuickbackError } from '../src/shared/errors.js';

export function noArguments(
  command: string,
  positionals: string[],
  hint = `quickback ${command}`,
): Record<string, never> {
  if (positionals.length > 0)
    throw new QuickbackError(
      'QB_GEN_INVALID_ARGUMENT',
      `${command} takes no further arguments (got ${positionals.join(' ')})`,
      { hint },
    );
  return {};
}
