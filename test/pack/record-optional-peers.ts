/**
 * Records the registry metadata the pack e2e's loopback registry cannot take from the lockfile:
 * packages that appear only as *optional peers* (better-auth's and drizzle-orm's database
 * drivers, frameworks, ...). npm fetches their manifests to check overlapping peer ranges even
 * though it never installs them, and a 404 makes it fail with ERESOLVE. For each such name this
 * keeps, per requested range, the newest matching version's manifest (no tarball: never fetched).
 *
 * Run online after changing dependencies: `npx tsx test/pack/record-optional-peers.ts`.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { REPO } from '../helpers/project.js';

const semver = createRequire(import.meta.url)('semver') as { maxSatisfying(versions: string[], range: string): string | null };
const FIELDS = ['dependencies', 'optionalDependencies', 'peerDependencies', 'peerDependenciesMeta', 'engines', 'os', 'cpu'];

const lock = JSON.parse(readFileSync(path.join(REPO, 'package-lock.json'), 'utf8')) as { packages: Record<string, Record<string, any>> };
const inLock = new Set(Object.keys(lock.packages).map((key) => key.slice(key.lastIndexOf('node_modules/') + 13)));
const ranges = new Map<string, Set<string>>();
for (const entry of Object.values(lock.packages)) {
  for (const [name, range] of Object.entries<string>(entry.peerDependencies ?? {})) {
    if (inLock.has(name) || !entry.peerDependenciesMeta?.[name]?.optional) continue;
    if (!ranges.has(name)) ranges.set(name, new Set());
    ranges.get(name)!.add(range);
  }
}

const recorded: Record<string, { name: string; versions: Record<string, Record<string, unknown>> }> = {};
for (const name of [...ranges.keys()].sort()) {
  const response = await fetch(`https://registry.npmjs.org/${name.replace('/', '%2f')}`, { headers: { accept: 'application/vnd.npm.install-v1+json' } });
  if (!response.ok) throw new Error(`${name}: ${response.status}`);
  const packument = (await response.json()) as { versions: Record<string, Record<string, unknown>> };
  const versions: Record<string, Record<string, unknown>> = {};
  for (const range of [...ranges.get(name)!].sort()) {
    const version = semver.maxSatisfying(Object.keys(packument.versions), range);
    if (!version) continue;
    const manifest = packument.versions[version];
    versions[version] = Object.fromEntries([['name', name], ['version', version], ...FIELDS.filter((f) => manifest[f] !== undefined).map((f) => [f, manifest[f]])]);
  }
  recorded[name] = { name, versions };
}
writeFileSync(path.join(REPO, 'test', 'pack', 'optional-peers.json'), JSON.stringify(recorded, null, 1) + '\n');
console.log(`recorded ${Object.keys(recorded).length} optional peers`);
