/**
 * Every generator, by command. Drives the CLI's `add` / `enable` / ... dispatch and its help.
 * A command that is not here is refused with QB_GEN_UNKNOWN (it is not built yet).
 */
import { featureGenerator } from './feature/index.js';
import { pluginGenerator } from './plugin/index.js';
import { toggleGenerators } from './toggle/index.js';
import type { Generator } from './types.js';
import { undoGenerator } from './undo/index.js';

export const generators: Record<string, Generator<any>> = {
  [featureGenerator.command]: featureGenerator,
  [pluginGenerator.command]: pluginGenerator,
  ...Object.fromEntries(toggleGenerators.map((g) => [g.command, g])),
  [undoGenerator.command]: undoGenerator,
};
