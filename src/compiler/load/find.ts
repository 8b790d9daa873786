/**
 * @module compiler/load/find
 * Finds the config file and the definition files under quickback/features/.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { CONFIG_CANDIDATES, FEATURES_DIR, QUICKBACK_DIR } from './paths.js';

const SOURCE = /\.(?:ts|mts|js|mjs)$/;
const SKIP = /\.(?:d|test|spec)\.[cm]?[tj]s$/;

export interface FoundFile {
  /** Absolute path. */
  file: string;
  /** Folder name under quickback/features (or the file stem for a top-level file). */
  featureDir: string;
}

export function findConfig(root: string): string | undefined {
  for (const name of CONFIG_CANDIDATES) {
    const candidate = path.join(root, QUICKBACK_DIR, name);
    if (existsSync(candidate)) return candidate;
  }
  return undefined;
}

function sourceFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => SOURCE.test(name) && !SKIP.test(name) && statSync(path.join(dir, name)).isFile())
    .sort()
    .map((name) => path.join(dir, name));
}

/**
 * Definition files: `features/<dir>/*.ts` and `features/<dir>/actions/*.ts` (one action per file).
 * `handlers/` folders hold action handlers and are not definitions.
 */
export function findDefinitionFiles(root: string): FoundFile[] {
  const featuresDir = path.join(root, FEATURES_DIR);
  if (!existsSync(featuresDir)) return [];
  const found: FoundFile[] = [];
  for (const entry of readdirSync(featuresDir).sort()) {
    const full = path.join(featuresDir, entry);
    if (statSync(full).isDirectory()) {
      for (const file of sourceFiles(full)) found.push({ file, featureDir: entry });
      for (const file of sourceFiles(path.join(full, 'actions'))) found.push({ file, featureDir: entry });
    } else if (SOURCE.test(entry) && !SKIP.test(entry)) {
      found.push({ file: full, featureDir: entry.replace(SOURCE, '') });
    }
  }
  return found;
}
