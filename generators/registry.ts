/**
 * Every generator, by command. Drives the CLI's `add` / `enable` / ... dispatch and its help.
 * A command that is not here is refused with QB_GEN_UNKNOWN (it is not built yet).
 */
import { actionGenerator } from './action/index.js';
import { addColumnGenerator, removeColumnGenerator } from './column/index.js';
import { featureGenerator, removeFeatureGenerator } from './feature/index.js';
import { pluginGenerator, removePluginGenerator } from './plugin/index.js';
import { toggleGenerators } from './toggle/index.js';
import type { Generator } from './types.js';
import { undoGenerator } from './undo/index.js';
import { upgradeGenerator } from './upgrade/index.js';
import { viewGenerator } from './view/index.js';

const all: Generator<any>[] = [
  featureGenerator,
  addColumnGenerator,
  viewGenerator,
  actionGenerator,
  pluginGenerator,
  ...toggleGenerators,
  removeFeatureGenerator,
  removeColumnGenerator,
  removePluginGenerator,
  upgradeGenerator,
  undoGenerator,
];

export const generators: Record<string, Generator<any>> = Object.fromEntries(all.map((g) => [g.command, g]));
