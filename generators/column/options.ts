/** `add column <feature> <name>:<type>[:modifier...]` and `remove column <feature> <name>`. */
import { QuickbackError } from '../../src/shared/errors.js';
import { column, type ColumnOption } from '../feature/options.js';

export interface AddColumnOptions {
  feature: string;
  column: ColumnOption;
}
export interface RemoveColumnOptions {
  feature: string;
  name: string;
}

const usage = (
  verb: 'add' | 'remove',
) => (verb === 'add'
  ? 'quickback add column <feature> <name>:<type>[:modifier...]'
  : 'quickback remove column <feature> <name>');

function two(verb: 'add' | 'remove', positionals: string[]): [string, string] {
  if (positionals.length !== 2)
    throw new QuickbackError('QB_GEN_INVALID_ARGUMENT', `${verb} column takes a feature and a column`, {
      hint: usage(verb),
    });
  return positionals as [string, string];
}

export function addColumnOptions(positionals: string[]): AddColumnOptions {
  const [feature, spec] = two('add', positionals);
  return { feature, column: column(spec.includes(':') ? spec : `${spec}:text`) };
}

export function removeColumnOptions(positionals: string[]): RemoveColumnOptions {
  const [feature, name] = two('remove', positionals);
  return { feature, name };
}
