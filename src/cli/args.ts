/**
 * @module cli/args
 * Flag parsing on node:util parseArgs, with coded errors and "did you mean" hints.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { nearest } from '../dsl/kind.js';
import { QuickbackError } from '../shared/errors.js';

export type FlagSpec = NonNullable<ParseArgsConfig['options']>;

export const commonFlags = {
  cwd: { type: 'string' },
  json: { type: 'boolean' },
  debug: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} satisfies FlagSpec;

export interface Parsed<V> {
  values: V;
  positionals: string[];
}

export function parseFlags<F extends FlagSpec>(argv: string[], flags: F): Parsed<Record<keyof F, unknown>> {
  try {
    const { values, positionals } = parseArgs({ args: argv, options: flags, allowPositionals: true, strict: true });
    return { values: values as unknown as Record<keyof F, unknown>, positionals };
  } catch (thrown) {
    const message = thrown instanceof Error ? thrown.message : String(thrown);
    const unknown = /Unknown option '(-{1,2}[^']+)'/.exec(message)?.[1];
    if (unknown) {
      const guess = nearest(unknown.replace(/^-+/, ''), Object.keys(flags));
      throw new QuickbackError('QB_CLI_UNKNOWN_FLAG', `Unknown flag ${unknown}`, {
        hint: guess ? `Did you mean --${guess}?` : `Flags: ${Object.keys(flags).map((f) => `--${f}`).join(', ')}`,
      });
    }
    throw new QuickbackError('QB_CLI_INVALID_FLAG', message.split('\n')[0], {
      hint: 'Run with --help to see the flags.',
    });
  }
}
