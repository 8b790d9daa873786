/**
 * @module compiler/emit/runtime-sources
 * Reads the hand-written runtime (this package's src/runtime) that the runtime-files emitter
 * copies into generated apps. Tests and test kits beside it are not copied.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { packagePath } from '../../shared/package-root.js';

const runtimeDir = packagePath('src', 'runtime');
let cached: Record<string, string> | undefined;

export function readRuntimeSources(): Record<string, string> {
  if (cached) return cached;
  const sources: Record<string, string> = {};
  for (const name of readdirSync(runtimeDir).sort()) {
    if (!name.endsWith('.ts') || name.endsWith('.test.ts') || name.endsWith('.testkit.ts')) continue;
    sources[name] = readFileSync(path.join(runtimeDir, name), 'utf8');
  }
  cached = sources;
  return sources;
}
