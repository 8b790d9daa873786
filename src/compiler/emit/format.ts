/**
 * @module compiler/emit/format
 * The format step between emit and write, and the repository's formatter: dprint's TypeScript
 * plugin (a wasm module, synchronous, in process) with the repository's own `dprint.json`. The
 * compile formats every emitted TypeScript file before the write stage hashes and compares
 * contents; `scripts/format.ts` formats the repository's sources with this same module. Same input
 * → same bytes.
 * The vendored runtime is copied verbatim: its sources are this repository's, kept formatted by
 * `npm run format:check`, so formatting them again on every compile would only cost time.
 * Output is cached by the sha256 of the printed text: in memory for the process (watch, dev,
 * tests), in the compile cache between processes, and in a cache on disk shared by the user's
 * projects (format-cache.ts) for compiles without a compile cache.
 * A file the formatter cannot parse is a compiler bug: QB_EMIT_FORMAT_FAILED names it.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createFromBuffer, type Formatter, type GlobalConfiguration } from '@dprint/formatter';
import { getPath } from '@dprint/typescript';
import config from '../../../dprint.json' with { type: 'json' };
import type { EmittedFile } from './contract.js';
import { QuickbackError } from '../../shared/errors.js';
import { sha256 } from '../../shared/hash.js';
import { openDiskFormatCache } from './format-cache.js';

/** Set by the compile bench only, to time a compile without this step in the same run. */
const DISABLED = process.env.QUICKBACK_FORMAT === 'off';

/** The emitter whose files are the repository's runtime sources, already formatted. */
const VERBATIM_EMITTER = 'vendor-runtime';

/** What the disk cache's keys depend on besides the text: the plugin's version and the config. */
const pluginPackage = JSON.parse(readFileSync(path.join(path.dirname(getPath()), 'package.json'), 'utf8')) as {
  version: string;
};
const FINGERPRINT = sha256(`dprint-plugin-typescript ${pluginPackage.version}\n${JSON.stringify(config)}`);

/** Built on first use (~70 ms to instantiate the wasm module), then shared by every call. */
let formatter: Formatter | undefined;

function instance(): Formatter {
  if (formatter) return formatter;
  const { typescript, includes: _includes, excludes: _excludes, ...global } = config;
  const created = createFromBuffer(readFileSync(getPath()));
  created.setConfig(global as GlobalConfiguration, typescript);
  formatter = created;
  return created;
}

/** Entries used by the last call and the current one: memory stays proportional to one app. */
let previous = new Map<string, string>();
let current = new Map<string, string>();

/** Whether the format step formats this emitted file (TypeScript, not the verbatim runtime). */
export const isFormatted = (file: EmittedFile): boolean =>
  file.path.endsWith('.ts') && file.emitter !== VERBATIM_EMITTER;

/** Formats one file's text; `file` names it in the error and tells the formatter its syntax (.ts, .js …). */
export function formatSource(text: string, file: string): string {
  try {
    return instance().formatText({ filePath: file, fileText: text });
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
 * The files with every formatted one (see isFormatted) formatted. `stored` is the compile cache's
 * map from the last run (read), `keep` this run's (written): only entries this compile used are
 * carried forward.
 */
export function formatFiles(
  files: EmittedFile[],
  cache: { stored?: Record<string, string>; keep?: Record<string, string> } = {},
): EmittedFile[] {
  if (DISABLED) return files;
  const used = new Map<string, string>();
  const disk = openDiskFormatCache();
  const result = files.map((file) => {
    if (!isFormatted(file)) return file;
    const key = sha256(file.contents);
    let contents = used.get(key) ?? current.get(key) ?? previous.get(key) ?? cache.stored?.[key];
    if (contents === undefined) {
      const diskKey = sha256(FINGERPRINT + key);
      contents = disk.get(diskKey);
      if (contents === undefined) disk.set(diskKey, contents = formatSource(file.contents, file.path));
    }
    used.set(key, contents);
    return contents === file.contents ? file : { ...file, contents };
  });
  disk.prune();
  previous = current;
  current = used;
  if (cache.keep) { for (const [key, contents] of used) cache.keep[key] = contents; }
  return result;
}
