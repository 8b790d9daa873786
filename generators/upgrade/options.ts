/** `quickback upgrade`: no arguments. */
import { QuickbackError } from '../../src/shared/errors.js';

export function upgradeOptions(positionals: string[]): Record<string, never> {
  if (positionals.length > 0) throw new QuickbackError('QB_GEN_INVALID_ARGUMENT', `upgrade takes no arguments (got ${positionals.join(' ')})`, { hint: 'quickback upgrade rewrites every legacy form under quickback/.' });
  return {};
}
