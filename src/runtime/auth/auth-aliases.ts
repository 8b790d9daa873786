/**
 * @module quickback/auth-aliases
 * The paths the product documents for Better Auth plugins where Better Auth serves another
 * (seed 002: `POST /auth/v1/magic-link/send` is Better Auth's `POST /sign-in/magic-link`, the
 * passkey `POST .../options` routes are its `GET /passkey/generate-*-options`, ...). An alias
 * rewrites the request and hands it to Better Auth; the native paths keep working.
 */

export interface AuthAlias {
  method: 'GET' | 'POST';
  /** Path under the auth base path, e.g. `/magic-link/send`. */
  path: string;
  to: { method: 'GET' | 'POST'; path: string };
}

const DROPPED_ON_GET = new Set(['content-type', 'content-length', 'transfer-encoding']);

/** A POST body's scalar fields, as query parameters of the GET it becomes (`{}` or no body: none). */
async function bodyAsQuery(request: Request, url: URL): Promise<void> {
  const text = await request.text();
  if (text.trim() === '') return;
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return; // not JSON: Better Auth's GET route takes no body anyway
  }
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return;
  for (const [key, value] of Object.entries(body as Record<string, unknown>)) {
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')
      url.searchParams.set(key, String(value));
  }
}

/** The request Better Auth should see: the aliased one, or `request` itself when no alias matches. */
export async function resolveAuthAlias(
  request: Request,
  basePath: string,
  aliases: readonly AuthAlias[],
): Promise<Request> {
  if (aliases.length === 0) return request;
  const url = new URL(request.url);
  const alias = aliases.find((a) => a.method === request.method && basePath + a.path === url.pathname);
  if (!alias) return request;
  url.pathname = basePath + alias.to.path;
  if (alias.to.method === 'GET') {
    if (request.method === 'POST') await bodyAsQuery(request, url);
    const headers = new Headers([...request.headers].filter(([name]) => !DROPPED_ON_GET.has(name.toLowerCase())));
    return new Request(url, { method: 'GET', headers });
  }
  const body = request.method === 'GET' ? null : await request.arrayBuffer();
  return new Request(url, { method: 'POST', headers: request.headers, body });
}
