/** `quickback undo`: no arguments. */
import { noArguments } from '../no-arguments.js';

export const undoOptions = (positionals: string[]) =>
  noArguments('undo', positionals, 'quickback undo reverts the last generator run; run it again for the one before.');
