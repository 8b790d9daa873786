/**
 * @module compiler/emit/runtime-sources
 * Reads the hand-written runtime (this package's src/runtime) that the vendor-runtime emitter
 * copies into generated apps, layer folders included: keys are paths relative to src/runtime
 * (`core/errors.ts`, `addons/realtime/realtime-hub.ts`). Tests and test kits beside it are not copied.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { packagePath } from '../../shared/package-root.js';

const runtimeDir = packagePath('src', 'runtime');
let cached: Record<string, string> | undefined;

function collect(dir: string, prefix: string, sources: Record<string, string>): void {
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) collect(path.join(dir, entry.name), rel, sources);
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') && !entry.name.endsWith('.testkit.ts')) {
      sources[rel] = readFileSync(path.join(dir, entry.name), 'utf8');
    }
  }
}

export function readRuntimeSources(): Record<string, string> {
  if (cached) return cached;
  const sources: Record<string, string> = {};
  collect(runtimeDir, '', sources);
  cached = sources;
  return sources;
}
