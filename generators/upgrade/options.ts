/** `quickback upgrade`: no arguments. */
import { noArguments } from '../no-arguments.js';

export const upgradeOptions = (positionals: string[]) =>
  noArguments('upgrade', positionals, 'quickback upgrade rewrites every legacy form under quickback/.');
