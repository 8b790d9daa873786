/**
 * The generator contract: a command (`add plugin`), its usage, how it reads its arguments, and
 * `run`, which edits a Tree and says, per target, what happened (added / updated / unchanged).
 * Generators never write: the CLI commits the Tree, compiles, and prints.
 */
import type { Tree } from '../src/shared/tree.js';

export interface GeneratorReport {
  /** One line per thing the command asked for, e.g. `plugin apiKey: added`. */
  messages: string[];
  /** Overrides the generator's `compile` for this run (undo compiles when it kept a migration). */
  compile?: boolean;
}

/**
 * A required argument, asked for (on a TTY, without --json) when it is missing: the positionals
 * in order, then required flags. `choices` makes it a select (from the project when a function).
 */
export interface GeneratorArgument {
  name: string;
  message: string;
  flag?: boolean;
  placeholder?: string;
  choices?: readonly string[] | ((tree: Tree) => readonly string[]);
}

export type GeneratorResult = GeneratorReport | Promise<GeneratorReport>;

export interface Generator<Options, Result extends GeneratorResult = GeneratorResult> {
  /** `add plugin`, `enable realtime`, ... */
  command: string;
  summary: string;
  usage: string;
  /** The generator's own flags (node:util parseArgs form), besides the CLI's common ones. */
  flags?: Readonly<Record<string, { type: 'string' | 'boolean' }>>;
  /** Required arguments, for prompts. */
  args?: readonly GeneratorArgument[];
  /** Positionals after the command words, and the parsed flags. Throws QB_GEN_INVALID_ARGUMENT. */
  options(positionals: string[], values: Record<string, unknown>): Options;
  run(tree: Tree, options: Options): Result;
  /** Whether the run is recorded for `quickback undo` (default true; undo itself is not). */
  journal?: boolean;
  /** Whether the CLI compiles after the run (default true; --no-compile turns it off). */
  compile?: boolean;
}

export function defineGenerator<Options, Result extends GeneratorResult = GeneratorResult>(
  generator: Generator<Options, Result>,
): Generator<Options, Result> {
  return generator;
}
