/**
 * @module cli/generate/ask
 * Fills a generator's missing required arguments by asking (only when the caller is interactive:
 * stdin is a TTY and there is no --json). Otherwise the generator's own option parsing refuses
 * the command with QB_GEN_INVALID_ARGUMENT and its usage. Cancelling is QB_GEN_CANCELLED.
 */
import type { Generator } from '../../../generators/types.js';
import { QuickbackError } from '../../shared/errors.js';
import type { Tree } from '../../shared/tree.js';
import { CANCEL, type Answer, type Prompter } from '../prompt.js';

function answered<T>(value: Answer<T>): T {
  if (value === CANCEL) throw new QuickbackError('QB_GEN_CANCELLED', 'Cancelled; nothing was written');
  return value;
}

export async function askMissing(
  generator: Generator<unknown>,
  tree: Tree,
  positionals: string[],
  values: Record<string, unknown>,
  prompter: Prompter,
): Promise<{ positionals: string[]; values: Record<string, unknown> }> {
  const filled = [...positionals];
  const flags = { ...values };
  let index = 0;
  for (const arg of generator.args ?? []) {
    const missing = arg.flag ? flags[arg.name] === undefined : filled[index] === undefined;
    if (!arg.flag) index++;
    if (!missing) continue;
    const choices = typeof arg.choices === 'function' ? arg.choices(tree) : arg.choices;
    const answer = choices && choices.length > 0
      ? answered(await prompter.select(arg.message, choices.map((c) => ({ value: c, label: c })), choices[0]))
      : answered(await prompter.text(arg.message, arg.placeholder ?? '')).trim();
    if (arg.flag) flags[arg.name] = answer;
    else filled[index - 1] = answer;
  }
  return { positionals: filled, values: flags };
}
