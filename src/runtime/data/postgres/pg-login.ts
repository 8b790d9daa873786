/**
 * @module quickback/pg-login
 * Who the API is on PostgreSQL (issue #28). Migrations run as DATABASE_URL's role, which owns the
 * tables; the API never does. It logs in as `quickback_api` (the RLS migration creates it): not a
 * superuser, no BYPASSRLS, owns nothing, NOINHERIT, and granted `anon`, `authenticated` and
 * `service_role` only so it may switch to them. `RESET ROLE` in its session therefore lands on a
 * role with no privilege of its own, and `SET ROLE <owner>` / `SET SESSION AUTHORIZATION` are refused.
 *
 * Its URL is API_DATABASE_URL, or else DATABASE_URL with the user swapped for `quickback_api`
 * (same password, host, database, parameters; a Supavisor user `postgres.<project>` becomes
 * `quickback_api.<project>`), so one DATABASE_URL is enough locally. A URL whose user already is
 * `quickback_api` stays as it is: in production the API's environment may hold that login's URL
 * alone, never the owner's.
 *
 * Outside a request transaction (Better Auth, the data-key store, webhook deliveries) the API
 * acts as `service_role`, as the owner did through its policies: each pooled connection runs
 * `SET ROLE service_role` once, before it is handed out (SERVICE_ROLE). A request's
 * transaction-local role replaces it for that transaction only; its `RESET ROLE` still returns
 * to the login role, not to `service_role`.
 */

export const API_LOGIN = 'quickback_api';

/**
 * The statement every connection of the API's pool runs first: `SET ROLE service_role` for the
 * session, except for a superuser login (a misconfigured API_DATABASE_URL, or PGlite's single
 * user in the test suites), which RLS does not bind either way: nothing to switch to there.
 */
export const SERVICE_ROLE =
  "SELECT set_config('role', 'service_role', false) FROM pg_roles WHERE rolname = session_user AND NOT rolsuper";

/** The transaction-local form, for drivers without sessions (Neon's HTTP driver). */
export const SERVICE_PRELUDE = "SELECT set_config('role', 'service_role', true)";

/** The URL the API logs in with, or undefined when neither variable is set. */
export function apiDatabaseUrl(env: { API_DATABASE_URL?: string; DATABASE_URL?: string }): string | undefined {
  if (env.API_DATABASE_URL) return env.API_DATABASE_URL;
  if (!env.DATABASE_URL) return undefined;
  const url = new URL(env.DATABASE_URL);
  const user = decodeURIComponent(url.username);
  const dot = user.indexOf('.');
  const login = `${API_LOGIN}${dot > 0 ? user.slice(dot) : ''}`;
  url.username = login;
  // A URL without a host (a Unix socket: postgres:///db?host=/run/postgresql) takes no user part; node-postgres reads ?user= too.
  if (url.searchParams.has('user') || decodeURIComponent(url.username) !== login) url.searchParams.set('user', login);
  return url.toString();
}

/**
 * The pool option that makes every new connection act as `service_role` until a request switches
 * role (pg-pool's and Neon's `onConnect`, awaited before the connection is handed out). When it
 * fails (the login was not granted service_role), the query that asked for the connection fails with it.
 */
export const serviceSession = {
  onConnect: async (client: { query(text: string): Promise<unknown> }): Promise<void> => {
    await client.query(SERVICE_ROLE);
  },
};

/**
 * For the migration (DATABASE_URL, the owner): creates the API's login with DATABASE_URL's
 * password if it does not exist yet, so the URL the API derives (same password) logs in on a
 * server that asks for one (a Docker PostgreSQL, Neon, Supabase). An existing login is never
 * changed; the RLS layer then creates it without a password where this did not run, and grants
 * it the three roles. Null when DATABASE_URL has no password or already is the API's login.
 */
export function apiLoginStatement(databaseUrl: string, literal: (value: string) => string): string | null {
  const url = new URL(databaseUrl);
  const password = decodeURIComponent(url.password);
  if (!password || decodeURIComponent(url.username).split('.')[0] === API_LOGIN) return null;
  return `DO $$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '${API_LOGIN}') THEN
    CREATE ROLE ${API_LOGIN} LOGIN NOINHERIT NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE PASSWORD ${
      literal(password)
    };
  END IF;
EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
END $$`;
}
