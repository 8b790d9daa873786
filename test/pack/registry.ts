/**
 * A loopback npm registry for the pack test, so installs meet the real registry as a user's does
 * while our two packages (not published) come from `npm pack`: it serves
 * - our tarballs, under their manifests' names and versions (packument + tarball);
 * - every other request by forwarding it to https://registry.npmjs.org and answering with what
 *   came back: packuments keep their tarball URLs, which npm (run with replace-registry-host=never)
 *   then fetches from the real registry itself.
 * A forwarded answer is shared by the requests of one run (several apps resolve the same
 * packuments at once); npm revalidates its own cache against it (--prefer-online).
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';

export const UPSTREAM = 'https://registry.npmjs.org';

export interface LocalTarball {
  file: string;
  manifest: Record<string, unknown> & { name: string; version: string };
}
export interface Registry {
  url: string;
  served: string[];
  forwarded: () => number;
  failures: string[];
  close(): Promise<void>;
}
interface Answer {
  status: number;
  type: string;
  body: Buffer;
}

/** Why the real registry cannot be used from here, or undefined when it answers. */
export async function registryProblem(): Promise<string | undefined> {
  try {
    const response = await fetch(`${UPSTREAM}/hono`, { method: 'HEAD', signal: AbortSignal.timeout(15_000) });
    return response.ok ? undefined : `${UPSTREAM} answered ${response.status}`;
  } catch (error) {
    return `${UPSTREAM} is unreachable: ${(error as Error).cause ?? (error as Error).message}`;
  }
}

export async function startRegistry(locals: LocalTarball[]): Promise<Registry> {
  const tarballs = new Map(
    locals.map((local) => [`${local.manifest.name}/${local.manifest.version}`, readFileSync(local.file)]),
  );
  const served: string[] = [];
  const failures: string[] = [];
  const upstream = new Map<string, Promise<Answer>>();
  let base = '';

  const packument = (name: string): Answer | undefined => {
    const own = locals.filter((local) => local.manifest.name === name);
    if (own.length === 0) return undefined;
    const versions = Object.fromEntries(own.map(({ manifest }) => {
      const bytes = tarballs.get(`${name}/${manifest.version}`)!;
      const dist = {
        tarball: `${base}/-/tgz/${encodeURIComponent(name)}/${manifest.version}.tgz`,
        integrity: `sha512-${createHash('sha512').update(bytes).digest('base64')}`,
        shasum: createHash('sha1').update(bytes).digest('hex'),
      };
      return [manifest.version, { ...manifest, dist }];
    }));
    const body = { name, 'dist-tags': { latest: own.at(-1)!.manifest.version }, versions };
    return { status: 200, type: 'application/json', body: Buffer.from(JSON.stringify(body)) };
  };

  const fetchUpstream = async (url: string, accept: string, key: string): Promise<Answer> => {
    try {
      const response = await fetch(UPSTREAM + url, { headers: { accept }, signal: AbortSignal.timeout(60_000) });
      return {
        status: response.status,
        type: response.headers.get('content-type') ?? 'application/json',
        body: Buffer.from(await response.arrayBuffer()),
      };
    } catch (error) {
      failures.push(`${url}: ${(error as Error).cause ?? (error as Error).message}`);
      upstream.delete(key); // npm retries: the retry asks again
      return { status: 502, type: 'text/plain', body: Buffer.from(`upstream: ${(error as Error).message}`) };
    }
  };
  const forward = (url: string, accept: string): Promise<Answer> => {
    const key = `${accept} ${url}`;
    if (!upstream.has(key)) upstream.set(key, fetchUpstream(url, accept, key));
    return upstream.get(key)!;
  };

  const server = createServer((req, res) => {
    const url = req.url ?? '/';
    const path = decodeURIComponent(url.split('?')[0]);
    const tgz = /^\/-\/tgz\/(.+)\/([^/]+)\.tgz$/.exec(path);
    const own = tgz ? tarballs.get(`${tgz[1]}/${tgz[2]}`) : undefined;
    if (tgz && own) served.push(`${tgz[1]}@${tgz[2]}`);
    const local: Answer | undefined = own
      ? { status: 200, type: 'application/octet-stream', body: own }
      : packument(path.slice(1));
    void (local ? Promise.resolve(local) : forward(url, req.headers.accept ?? 'application/json')).then((answer) => {
      res.writeHead(answer.status, { 'content-type': answer.type, 'content-length': answer.body.length }).end(
        answer.body,
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  return {
    url: `${base}/`,
    served,
    failures,
    forwarded: () => upstream.size,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
