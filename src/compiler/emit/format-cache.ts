/**
 * @module compiler/emit/format-cache
 * The format step's cache on disk, shared by every project of the user: one file per formatted
 * text under the OS cache folder (`$XDG_CACHE_HOME` or `~/.cache`, then `quickback/format`),
 * named by the sha256 of the formatter's version, its config and the printed text, so a compile
 * without a compile cache (`--no-cache`, a fresh clone, a new project) still formats only the
 * files no earlier compile on this machine has formatted. Bounded: past MAX_ENTRIES files the
 * oldest are removed down to half of it. Best effort: a cache that cannot be read or written is no cache.
 * `QUICKBACK_FORMAT_CACHE` overrides the folder; `off` disables it.
 */
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const MAX_ENTRIES = 20_000;

function cacheDir(): string | undefined {
  const setting = process.env.QUICKBACK_FORMAT_CACHE;
  if (setting === 'off') return undefined;
  if (setting) return setting;
  return path.join(process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'quickback', 'format');
}

export interface DiskFormatCache {
  get(key: string): string | undefined;
  set(key: string, contents: string): void;
  /** Removes the oldest entries when the folder holds more than MAX_ENTRIES; call once per compile. */
  prune(): void;
}

const none: DiskFormatCache = { get: () => undefined, set: () => {}, prune: () => {} };

/** The shared cache, or one that holds nothing when it is turned off or its folder cannot be made. */
export function openDiskFormatCache(maxEntries = MAX_ENTRIES): DiskFormatCache {
  const dir = cacheDir();
  if (!dir) return none;
  try {
    mkdirSync(dir, { recursive: true });
  } catch {
    return none;
  }
  let written = 0;
  return {
    get(key) {
      try {
        return readFileSync(path.join(dir, key), 'utf8');
      } catch {
        return undefined;
      }
    },
    set(key, contents) {
      try {
        const temp = path.join(dir, `${key}.${process.pid}.tmp`);
        writeFileSync(temp, contents);
        renameSync(temp, path.join(dir, key));
        written++;
      } catch {
        // Best effort: the next compile formats this file again.
      }
    },
    prune() {
      if (written === 0) return;
      written = 0;
      try {
        const names = readdirSync(dir);
        if (names.length <= maxEntries) return;
        const aged = names.map((name) => ({ name, at: statSync(path.join(dir, name)).mtimeMs })).sort((a, b) =>
          a.at - b.at
        );
        for (const { name } of aged.slice(0, aged.length - Math.floor(maxEntries / 2)))
          rmSync(path.join(dir, name), { force: true });
      } catch {
        // Another compile pruned at the same time; nothing to do.
      }
    },
  };
}
