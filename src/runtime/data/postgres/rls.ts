/**
 * @module quickback/rls
 * PostgreSQL row level security for the API's own queries (issue #11): every /api request runs
 * in one transaction that first drops to the caller's role (`authenticated` or `anon`) and sets
 * the caller's claims, both transaction-local (`set_config(..., true)`), so the database's
 * policies hold on every query the routes make and nothing leaks to the next user of a pooled
 * connection (safe behind transaction-mode poolers). A request that ends in an error rolls back.
 *
 * The claims carry what the API already resolved: the user, and the organization and team the
 * request acts in (after `?organizationId=` addressing, which the route then checks). Once per
 * app (one database) the roles are checked: a role that is superuser, BYPASSRLS or owns a table would
 * ignore the policies, and so would a login that is BYPASSRLS, owns a table or inherits
 * service_role's privileges (RESET ROLE returns to it), so the API answers 503 DATABASE_ROLE_UNSAFE instead of serving.
 *
 * The transaction comes from the database module's `begin` (driver-specific): BEGIN and the
 * role and claims travel in one round trip, which matters most against a remote database. Over
 * Neon's HTTP driver no transaction outlives a query: there `begin` gives every query the role
 * and claims as the first statement of its own transaction (neon-http.ts), and `end` has nothing
 * to commit or roll back.
 */
import { sql } from 'drizzle-orm';
import type { MiddlewareHandler } from 'hono';
import { apiError } from '../../core/errors.js';
import type { QueryDatabase, QuickbackEnv } from '../../core/types.js';

type SqlDatabase = QueryDatabase & {
  execute(query: ReturnType<typeof sql>): Promise<{ rows: Record<string, unknown>[] }>;
};

/** SQL statements built with the driver's escaping of literal values. */
export type Prelude = (literal: (value: string) => string) => string;

/** An open request transaction: the handle its queries use, and its end (commit, or roll back). */
export interface RequestTransaction {
  tx: QueryDatabase;
  end(commit: boolean): Promise<void>;
  /** Applies another prelude for the rest of the request. */
  reset(prelude: Prelude): Promise<void>;
}

/** Opens a transaction on `db` whose first statements are `prelude`'s. */
export type BeginTransaction<D> = (db: D, prelude: Prelude) => Promise<RequestTransaction>;

/** The caller's role and claims, transaction-local. */
const settings = (role: string, claims: string): Prelude => (literal) =>
  `SELECT set_config('role', ${literal(role)}, true), set_config('request.jwt.claims', ${literal(claims)}, true)`;

/** Why a role API queries run as would bypass RLS, or null when both are safe. */
async function unsafeRole(tx: SqlDatabase): Promise<string | null> {
  const { rows } = await tx.execute(sql`select r.rolname as role, r.rolsuper as super, r.rolbypassrls as bypass,
    exists (select 1 from pg_class c where c.relowner = r.oid and c.relkind in ('r', 'p') and c.relnamespace = 'public'::regnamespace) as owner
    from pg_roles r where r.rolname in ('anon', 'authenticated') order by r.rolname`);
  for (const row of rows) {
    if (row.super) return `${row.role} is a superuser`;
    if (row.bypass) return `${row.role} has BYPASSRLS`;
    if (row.owner) return `${row.role} owns tables`;
  }
  // The login itself (pg-login.ts): RESET ROLE returns to it. A superuser login is not refused (PGlite has only one user).
  const { rows: [login] } = await tx.execute(
    sql`select r.rolname as role, r.rolbypassrls as bypass, pg_has_role(r.oid, 'service_role', 'USAGE') as inherits,
    exists (select 1 from pg_class c where c.relowner = r.oid and c.relkind in ('r', 'p') and c.relnamespace = 'public'::regnamespace) as owner
    from pg_roles r where r.rolname = session_user and not r.rolsuper`,
  );
  if (login?.bypass) return `the login ${login.role} has BYPASSRLS`;
  if (login?.owner) return `the login ${login.role} owns tables`;
  if (login?.inherits) return `the login ${login.role} holds service_role's privileges without SET ROLE (INHERIT)`;
  return null;
}

export function rlsTransaction(begin: BeginTransaction<never>): MiddlewareHandler<QuickbackEnv> {
  // One app serves one database (DATABASE_URL), so its role is checked once: the verdict, not a
  // promise, is kept (a Worker must not await another request's I/O; concurrent first requests each check).
  let verdict: string | null | undefined;
  return async (c, next) => {
    const ctx = c.get('ctx');
    const requested = c.req.query('organizationId');
    const addressed = requested !== undefined && requested !== '' && requested !== ctx.activeOrgId;
    const role = ctx.authenticated ? 'authenticated' : 'anon';
    const claims = JSON.stringify({
      sub: ctx.userId,
      role,
      org_id: addressed ? requested : ctx.activeOrgId,
      team_id: addressed ? null : ctx.activeTeamId,
    });
    const { tx, end, reset } = await begin(c.get('db') as never, settings(role, claims));
    const db = tx as SqlDatabase;
    let commit = false;
    try {
      if (verdict === undefined) verdict = await unsafeRole(db);
      const reason = verdict;
      if (reason)
        throw apiError('DATABASE_ROLE_UNSAFE', {
          details: { reason },
          hint: reason.startsWith('the login')
            ? 'The API logs in as quickback_api (NOINHERIT, owns nothing), which quickback migrate creates: point API_DATABASE_URL at it, never at the owner of the tables.'
            : 'API queries run as "anon"/"authenticated": make them plain NOLOGIN roles that own nothing (the RLS migration creates them so).',
        });
      c.set('db', tx);
      // Unsafe actions act across tenants as the service role (their audit event is written first).
      c.set('elevate', () => reset(settings('service_role', claims)));
      await next();
      commit = !c.error;
    } finally {
      await end(commit);
    }
  };
}
