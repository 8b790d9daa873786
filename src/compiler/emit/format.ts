/**
 * @module compiler/emit/format
 * The format step between emit and write: every emitted TypeScript file (vendored runtime
 * included) goes through prettier's standalone build with the repository's own `.prettierrc.json`,
 * in process, before the write stage hashes and compares contents. Same input → same bytes.
 * Formatting is the costly part of a compile, so output is cached by the sha256 of the printed
 * text: in memory for the process (watch, dev, tests), and in the compile cache between processes.
 * A file the formatter cannot parse is a compiler bug: QB_EMIT_FORMAT_FAILED names it.
 */
import type { Options } from 'prettier';
import * as prettier from 'prettier/standalone';
import * as babel from 'prettier/plugins/babel';
import * as estree from 'prettier/plugins/estree';
import config from '../../../.prettierrc.json' with { type: 'json' };
import type { EmittedFile } from './contract.js';
import { QuickbackError } from '../../shared/errors.js';
import { sha256 } from '../../shared/hash.js';

/** babel-ts: the same output as the `typescript` parser on the code we emit, at half the time. */
const OPTIONS: Options = { ...(config as Options), parser: 'babel-ts', plugins: [babel, estree] };

/** Set by the compile bench only, to time a compile without this step in the same run. */
const DISABLED = process.env.QUICKBACK_FORMAT === 'off';

/** Entries used by the last call and the current one: memory stays proportional to one app. */
let previous = new Map<string, string>();
let current = new Map<string, string>();

export const isFormatted = (file: EmittedFile): boolean => file.path.endsWith('.ts');

/** Formats one file's text; `file` names it in the error. */
export async function formatSource(text: string, file: string): Promise<string> {
  try {
    return await prettier.format(text, OPTIONS);
  } catch (cause) {
    const reason = cause instanceof Error ? cause.message.split('\n')[0] : String(cause);
    throw new QuickbackError('QB_EMIT_FORMAT_FAILED', `the formatter could not parse the emitted ${file}: ${reason}`, {
      file,
      cause,
      hint: 'This is a compiler bug; please report it with the file named here.',
    });
  }
}

/**
 * The files with every `.ts` one formatted. `stored` is the compile cache's map from the last run
 * (read), `keep` this run's (written): only entries this compile used are carried forward.
 */
export async function formatFiles(
  files: EmittedFile[],
  cache: { stored?: Record<string, string>; keep?: Record<string, string> } = {},
): Promise<EmittedFile[]> {
  if (DISABLED) return files;
  const used = new Map<string, string>();
  const result = await Promise.all(
    files.map(async (file) => {
      if (!isFormatted(file)) return file;
      const key = sha256(file.contents);
      let contents = used.get(key) ?? current.get(key) ?? previous.get(key) ?? cache.stored?.[key];
      if (contents === undefined) contents = await formatSource(file.contents, file.path);
      used.set(key, contents);
      return contents === file.contents ? file : { ...file, contents };
    }),
  );
  previous = current;
  current = used;
  if (cache.keep) for (const [key, contents] of used) cache.keep[key] = contents;
  return result;
}
