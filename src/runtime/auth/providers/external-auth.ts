/**
 * @module quickback/external-auth
 * Auth provider `external`: another Worker, bound as a service, owns users and sessions. It is a
 * Better Auth server (another Quickback app, or any Better Auth Worker); this API asks it over the
 * binding with the caller's credentials, through Better Auth's own endpoints, and builds the same
 * AppContext the built-in provider builds:
 * - `GET {basePath}/get-session` → the user and the session (active organization and team);
 * - `GET {basePath}/organization/get-active-member-role?organizationId=` → the roles there
 *   (a refusal means "not a member");
 * - `GET {basePath}/organization/list-user-teams?organizationId=` → whether the active team counts.
 * With `proxy`, `/auth/v1/*` is forwarded to `{basePath}/*`, so clients sign in on this origin.
 * An auth service that fails or answers something else is 503 AUTH_SERVICE_UNAVAILABLE, never an
 * anonymous caller; its 429 is passed on as AUTH_RATE_LIMITED.
 */
import { apiError } from '../../core/errors.js';
import { splitRoles, type AuthLike, type MemberRoles, type SessionLike, type TeamMembership } from '../session.js';

/** A Workers service binding (`Fetcher`): only `fetch` is used. */
export interface ServiceBinding {
  fetch(request: Request): Promise<Response>;
}

export interface ExternalAuthOptions {
  /** Better Auth's base path on the auth service, e.g. "/auth/v1" or "/api/auth". */
  basePath: string;
  /** Forward this API's `/auth/v1/*` to the service. */
  proxy: boolean;
}

const MOUNT = '/auth/v1';
/** A service binding routes by binding, not by host: only the path and query matter. */
const INTERNAL = 'http://auth.service';
/** The caller's credentials (session cookie, bearer token, API key) and client address (rate limits). */
const FORWARDED = ['cookie', 'authorization', 'x-api-key', 'cf-connecting-ip', 'x-forwarded-for', 'x-real-ip'];

const unavailable = (what: string) => apiError('AUTH_SERVICE_UNAVAILABLE', {
  details: { reason: what },
  hint:
    'Check the service binding in wrangler.toml and the auth provider basePath: the bound Worker must serve Better Auth there.',
});

async function ask(service: ServiceBinding, path: string, from: Headers): Promise<Response> {
  const headers = new Headers({ accept: 'application/json' });
  for (const name of FORWARDED) {
    const value = from.get(name);
    if (value !== null) headers.set(name, value);
  }
  let response: Response;
  try {
    response = await service.fetch(new Request(`${INTERNAL}${path}`, { headers }));
  } catch {
    throw unavailable(`GET ${path.split('?')[0]} failed`);
  }
  if (response.status === 429)
    throw apiError('AUTH_RATE_LIMITED', { hint: 'The auth service rate-limited this client; retry later.' });
  if (response.status >= 500) throw unavailable(`GET ${path.split('?')[0]} answered ${response.status}`);
  return response;
}

async function json(response: Response, path: string): Promise<unknown> {
  try {
    return await response.json();
  } catch {
    throw unavailable(`GET ${path} did not answer JSON`);
  }
}

const isString = (v: unknown): v is string => typeof v === 'string';
const optionalString = (v: unknown) => v === undefined || v === null || typeof v === 'string';

/** Better Auth's get-session answer, checked: a wrong shape is a broken service, not a caller. */
function sessionFrom(body: unknown, path: string): SessionLike | null {
  if (body === null) return null;
  const { user, session } = (body ?? {}) as Record<string, Record<string, unknown> | undefined>;
  const valid = typeof user === 'object' && user !== null && isString(user.id) && isString(user.email)
    && isString(user.name) && optionalString(user.role)
    && typeof session === 'object' && session !== null && optionalString(session.activeOrganizationId)
    && optionalString(session.activeTeamId);
  if (!valid) throw unavailable(`GET ${path} did not answer a Better Auth session`);
  return body as SessionLike;
}

/** The service's Better Auth, as the request pipeline uses it (`handler` is the /auth/v1 proxy). */
export function externalAuth(service: ServiceBinding, options: ExternalAuthOptions): AuthLike {
  const sessionPath = `${options.basePath}/get-session`;
  return {
    async handler(request) {
      if (!options.proxy)
        throw apiError('ROUTE_NOT_FOUND', {
          hint: 'Sign in at the auth service itself: this API does not forward /auth/v1 (auth proxy: false).',
        });
      const url = new URL(request.url);
      url.pathname = options.basePath + url.pathname.slice(MOUNT.length);
      const body = request.method === 'GET' || request.method === 'HEAD' ? undefined : await request.arrayBuffer();
      let response: Response;
      try {
        response = await service.fetch(
          new Request(url, { method: request.method, headers: request.headers, body, redirect: 'manual' }),
        );
      } catch {
        throw unavailable(`${request.method} ${url.pathname} failed`);
      }
      // A fresh Response: its headers stay writable for CORS and the security headers.
      return new Response(response.body, response);
    },
    api: {
      async getSession({ headers }) {
        const response = await ask(service, sessionPath, headers);
        if (response.status === 401) return null;
        if (response.status !== 200) throw unavailable(`GET ${sessionPath} answered ${response.status}`);
        return sessionFrom(await json(response, sessionPath), sessionPath);
      },
    },
  };
}

/** The caller's roles in an organization, from the service (null: not a member, or no organizations there). */
export function externalMemberRoles(service: ServiceBinding, basePath: string, headers: Headers): MemberRoles {
  return async (organizationId) => {
    const path = `${basePath}/organization/get-active-member-role?organizationId=${encodeURIComponent(organizationId)}`;
    const response = await ask(service, path, headers);
    if (response.status !== 200) return null;
    const body = (await json(response, path)) as { role?: unknown } | null;
    return isString(body?.role) ? splitRoles(body.role) : null;
  };
}

/** Whether the caller is in a team of the organization, from the service. */
export function externalTeamMembership(service: ServiceBinding, basePath: string, headers: Headers): TeamMembership {
  return async (teamId, _userId, organizationId) => {
    const path = `${basePath}/organization/list-user-teams?organizationId=${encodeURIComponent(organizationId)}`;
    const response = await ask(service, path, headers);
    if (response.status !== 200) return false;
    const teams = await json(response, path);
    return Array.isArray(teams) && teams.some((team) => (team as { id?: unknown } | null)?.id === teamId);
  };
}
