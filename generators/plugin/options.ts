/** `add plugin <name>` / `remove plugin <name>`: one Better Auth plugin from seed 002's list. */
import { authPluginNames } from '../../src/compiler/validate/schema/providers.js';
import { nearest } from '../../src/dsl/kind.js';
import { QuickbackError } from '../../src/shared/errors.js';

export interface PluginOptions {
  name: (typeof authPluginNames)[number];
}

export function pluginOptions(positionals: string[], verb: 'add' | 'remove' = 'add'): PluginOptions {
  const [name, ...extra] = positionals;
  const list = authPluginNames.join(', ');
  if (!name || extra.length > 0)
    throw new QuickbackError('QB_GEN_INVALID_ARGUMENT', `${verb} plugin takes one plugin name`, {
      hint: `quickback ${verb} plugin <name>; one of: ${list}`,
    });
  if (!(authPluginNames as readonly string[]).includes(name)) {
    const guess = nearest(name, authPluginNames);
    throw new QuickbackError('QB_GEN_INVALID_ARGUMENT', `"${name}" is not a Better Auth plugin Quickback knows`, {
      hint: `${guess ? `Did you mean "${guess}"? ` : ''}One of: ${list}`,
    });
  }
  return { name: name as PluginOptions['name'] };
}
