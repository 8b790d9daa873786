/**
 * A loopback npm registry for the pack e2e test, so installs run offline: it serves
 * - every package in the repository's package-lock.json, with packuments built from the lock
 *   entries and tarballs read from npm's own content cache (filled by `npm ci`), addressed by
 *   their lock integrity (the documented cacache layout content-v2/<algo>/<hex>);
 * - extra local tarballs (our `npm pack` output) under their manifest's name and version;
 * - recorded manifests of packages that are only optional peers (optional-peers.json, see
 *   record-optional-peers.ts): npm reads them to check peer ranges, never installs them.
 * Requests for anything else get 404, like a registry that does not know the package.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import path from 'node:path';

interface Version { name: string; version: string; dist: { tarball: string; integrity?: string }; [field: string]: unknown }
export interface LocalTarball { file: string; manifest: Record<string, unknown> & { name: string; version: string } }

const MANIFEST_FIELDS = ['dependencies', 'optionalDependencies', 'peerDependencies', 'peerDependenciesMeta', 'bin', 'engines', 'os', 'cpu', 'libc', 'hasInstallScript', 'license', 'deprecated'];

function cachePath(cacheDir: string, integrity: string): string {
  const [algo, b64] = integrity.split(' ')[0].split(/-(.*)/s);
  const hex = Buffer.from(b64, 'base64').toString('hex');
  return path.join(cacheDir, '_cacache', 'content-v2', algo, hex.slice(0, 2), hex.slice(2, 4), hex.slice(4));
}

function nameFromLockPath(key: string): string {
  return key.slice(key.lastIndexOf('node_modules/') + 'node_modules/'.length);
}

export interface Registry { url: string; served: string[]; close(): Promise<void> }

export async function startRegistry(lockFile: string, npmCache: string, locals: LocalTarball[], recorded: Record<string, { versions: Record<string, Record<string, unknown>> }> = {}): Promise<Registry> {
  const packuments = new Map<string, Map<string, Version>>();
  const tarballs = new Map<string, () => Buffer | null>();
  const served: string[] = [];
  let base = '';
  const add = (name: string, version: string, fields: Record<string, unknown>, integrity: string | undefined, read: () => Buffer | null) => {
    const key = `${name}/${version}`;
    const doc: Version = { name, version, dist: { tarball: `/-/tgz/${encodeURIComponent(name)}/${version}.tgz`, ...(integrity ? { integrity } : {}) } };
    for (const field of MANIFEST_FIELDS) if (fields[field] !== undefined) doc[field] = fields[field];
    if (!packuments.has(name)) packuments.set(name, new Map());
    packuments.get(name)!.set(version, doc);
    tarballs.set(key, read);
  };
  const lock = JSON.parse(readFileSync(lockFile, 'utf8')) as { packages: Record<string, Record<string, unknown>> };
  for (const [key, entry] of Object.entries(lock.packages)) {
    if (!key || entry.link || typeof entry.integrity !== 'string') continue;
    const file = cachePath(npmCache, entry.integrity);
    add((entry.name as string | undefined) ?? nameFromLockPath(key), entry.version as string, entry, entry.integrity, () => (existsSync(file) ? readFileSync(file) : null));
  }
  for (const [name, packument] of Object.entries(recorded)) {
    if (packuments.has(name)) continue;
    for (const [version, manifest] of Object.entries(packument.versions)) add(name, version, manifest, undefined, () => null);
  }
  for (const local of locals) {
    const bytes = readFileSync(local.file);
    add(local.manifest.name, local.manifest.version, local.manifest, `sha512-${createHash('sha512').update(bytes).digest('base64')}`, () => bytes);
  }

  const server: Server = createServer((req, res) => {
    const url = decodeURIComponent((req.url ?? '/').split('?')[0]);
    const tgz = /^\/-\/tgz\/(.+)\/([^/]+)\.tgz$/.exec(url);
    if (tgz) {
      const bytes = tarballs.get(`${tgz[1]}/${tgz[2]}`)?.() ?? null;
      if (!bytes) return void res.writeHead(404).end();
      served.push(`${tgz[1]}@${tgz[2]}`);
      return void res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': bytes.length }).end(bytes);
    }
    const versions = packuments.get(url.slice(1));
    if (!versions) return void res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"Not found"}');
    const docs = Object.fromEntries([...versions].map(([v, doc]) => [v, { ...doc, dist: { ...doc.dist, tarball: base + doc.dist.tarball } }]));
    const latest = [...versions.keys()].sort((a, b) => a.localeCompare(b, 'en', { numeric: true })).at(-1)!;
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ name: url.slice(1), 'dist-tags': { latest }, versions: docs }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  return { url: `${base}/`, served, close: () => new Promise((resolve) => server.close(() => resolve())) };
}
