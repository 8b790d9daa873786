/**
 * A signed-in (or anonymous) API caller: a cookie jar over any fetch (in-process `app.request`
 * or real HTTP), Better Auth's own client for auth flows, and a JSON helper for the API.
 */
import { createAuthClient } from 'better-auth/client';
import { organizationClient } from 'better-auth/client/plugins';

export type FetchLike = (request: Request) => Promise<Response>;

export interface ApiResponse<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

export function createCaller(fetchImpl: FetchLike, baseURL: string) {
  const jar = new Map<string, string>();
  const jarFetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const request = new Request(input, init);
    const headers = new Headers(request.headers);
    if (jar.size > 0) headers.set('cookie', [...jar].map(([k, v]) => `${k}=${v}`).join('; '));
    if (!headers.has('origin')) headers.set('origin', baseURL);
    const response = await fetchImpl(new Request(request, { headers }));
    for (const cookie of response.headers.getSetCookie()) {
      const [pair, ...attrs] = cookie.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      if (value === '' || attrs.some((a) => /max-age=0\b/i.test(a.trim()))) jar.delete(name);
      else jar.set(name, value);
    }
    return response;
  };
  const auth = createAuthClient({
    baseURL,
    basePath: '/auth/v1',
    plugins: [organizationClient()],
    fetchOptions: { customFetchImpl: jarFetch as typeof fetch },
  });
  async function api<T = any>(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<ApiResponse<T>> {
    const init: RequestInit = { method, headers: { ...headers } };
    if (body !== undefined) {
      init.body = typeof body === 'string' ? body : JSON.stringify(body);
      (init.headers as Record<string, string>)['content-type'] ??= 'application/json';
    }
    const response = await jarFetch(new URL(path, baseURL), init);
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch { /* not JSON */ }
    return { status: response.status, body: parsed as T, headers: response.headers };
  }
  return { auth, api, jar };
}

export type Caller = ReturnType<typeof createCaller>;

/** Signs up a user and returns a caller holding its session cookie. */
export async function signUp(
  fetchImpl: FetchLike,
  baseURL: string,
  name: string,
): Promise<Caller & { userId: string; email: string }> {
  const caller = createCaller(fetchImpl, baseURL);
  const email = `${name.toLowerCase()}-${Math.random().toString(36).slice(2, 8)}@example.com`;
  const { data, error } = await caller.auth.signUp.email({ email, password: 'correct-horse-battery', name });
  if (error || !data) throw new Error(`sign-up failed for ${name}: ${JSON.stringify(error)}`);
  return Object.assign(caller, { userId: data.user.id, email });
}
