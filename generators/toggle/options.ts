/** `enable|disable <what>`: no further arguments. */
import { QuickbackError } from '../../src/shared/errors.js';

export function noArguments(command: string, positionals: string[]): Record<string, never> {
  if (positionals.length > 0) throw new QuickbackError('QB_GEN_INVALID_ARGUMENT', `${command} takes no further arguments (got ${positionals.join(' ')})`, { hint: `quickback ${command}` });
  return {};
}
