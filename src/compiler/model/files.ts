/**
 * @module compiler/model/files
 * `defineFileStorage("r2" | "cloudflare-r2", {...})` as the file routes' settings. Sizes are
 * written like "10mb" (seed 000); the files rule reports what does not parse.
 */
import type { QuickbackConfigInput } from '../../dsl/config.js';
import { DEFAULT_BINDINGS } from './cloudflare.js';
import type { FilesModel } from './ir.js';
import { organizationsEnabled } from './config.js';

export const DEFAULT_MAX_FILE_SIZE = '10mb';
export const DEFAULT_FILES_DIR = 'data/files';
const UNITS: Record<string, number> = { b: 1, kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3 };

/** "10mb", "512 KB", "1.5gb", "2048" (bytes) → bytes; null when it does not parse or is not positive. */
export function parseSize(text: string): number | null {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(b|kb|mb|gb)?\s*$/i.exec(text);
  if (!match) return null;
  const bytes = Math.floor(Number(match[1]) * UNITS[(match[2] ?? 'b').toLowerCase()]);
  return bytes > 0 ? bytes : null;
}

export function filesModel(config: QuickbackConfigInput): FilesModel | null {
  const files = config.providers.fileStorage;
  if (!files) return null;
  const options = files.options ?? {};
  const workers = config.providers.runtime.kind === 'cloudflare';
  return {
    maxFileSize: parseSize(options.maxFileSize ?? DEFAULT_MAX_FILE_SIZE) ?? parseSize(DEFAULT_MAX_FILE_SIZE)!,
    allowedTypes: options.allowedTypes ? [...new Set(options.allowedTypes.map((t) => t.toLowerCase()))] : null,
    publicDomain: options.publicDomain ?? null,
    scope: options.userScopedBuckets || !organizationsEnabled(config) ? 'user' : 'organization',
    store: workers
      ? { kind: 'r2', binding: options.binding ?? DEFAULT_BINDINGS.r2 }
      : { kind: 'fs', dir: DEFAULT_FILES_DIR },
  };
}
