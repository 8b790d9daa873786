/**
 * @module emitters/server-common/print/pins
 * A generated app's `overrides` / `resolutions`: every package its run-time dependencies pull in,
 * at the version the compiler is tested with, so a plain install (no lockfile) resolves one
 * version of each: one @better-auth/core for better-auth and its plugins, one better-call, one
 * kysely, one hono, one drizzle-orm. The graph and versions come from the compiler's lockfile
 * through pins.json (lock-pins.ts, `npm run gen:pins`); only the app's own dependencies' part of
 * it is pinned, so a Workers app does not list pg's or better-sqlite3's dependencies.
 */
import data from './pins.json' with { type: 'json' };
import type { PinnedPackage } from './lock-pins.js';

const packages: Record<string, PinnedPackage> = data.packages;

/**
 * The pins for an app depending on `ours` (the compiler's choices, each one a root of pins.json).
 * Names the user declares in `build.dependencies` are theirs: npm refuses (EOVERRIDE) an override
 * that differs from a direct dependency's spec, and the user's spec is what they asked for.
 */
export function familyPins(ours: string[], declared: Record<string, string> = {}): Record<string, string> {
  const unknown = ours.filter((name) => !data.roots.includes(name));
  if (unknown.length > 0)
    throw new Error(
      `pins.json has no graph for ${
        unknown.join(', ')
      }: add it to APP_RUNTIME_PACKAGES (lock-pins.ts) and run npm run gen:pins`,
    );
  const reached = new Set<string>();
  const queue = [...ours];
  while (queue.length > 0) {
    const name = queue.pop()!;
    if (reached.has(name)) continue;
    reached.add(name);
    queue.push(...packages[name].requires);
  }
  const pinned = [...reached].filter((name) => !packages[name].unpinned && !Object.hasOwn(declared, name)).sort();
  return Object.fromEntries(pinned.map((name) => [name, packages[name].version]));
}
