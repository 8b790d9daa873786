/**
 * @module shared/package-root
 * The folder of this package (the one whose package.json is `@quickback/compiler`), found by
 * walking up from this module. It works the same from `src/` (tsx) and from the `dist/` bundle,
 * which is how the compiler finds the DSL and the runtime sources it copies into apps.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

let cached: string | undefined;

export function packageRoot(): string {
  if (cached) return cached;
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = path.join(dir, 'package.json');
    if (
      existsSync(manifest)
      && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === '@quickback/compiler'
    ) return (cached = dir);
    const parent = path.dirname(dir);
    if (parent === dir)
      throw new Error('@quickback/compiler: package.json not found above ' + fileURLToPath(import.meta.url));
    dir = parent;
  }
}

/** A path inside the package, e.g. `packagePath('src', 'runtime')`. */
export function packagePath(...segments: string[]): string {
  return path.join(packageRoot(), ...segments);
}
