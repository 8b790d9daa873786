/**
 * @module quickback/session
 * Resolves the AppContext from a Better Auth session. The active organization counts only when
 * the user is (still) a member of it; roles come from that membership. The active team counts
 * only when the user is (still) in that team of the active organization.
 */
import { anonymousContext, type AppContext } from '../core/context.js';
import type { ApiKeys } from './api-key.js';
import type { MemberRoles } from '../core/types.js';

export type { MemberRoles };

/** Whether `userId` is a member of `teamId`, a team of `organizationId`. */
export type TeamMembership = (teamId: string, userId: string, organizationId: string) => Promise<boolean>;

/** The auth state a re-check reads (realtime-live.ts; Better Auth's own adapter: src/auth/index.ts). */
export interface AuthState {
  user(
    userId: string,
  ): Promise<
    {
      id: string;
      email: string;
      name: string;
      role?: string | null;
      banned?: boolean | null;
      banExpires?: Date | string | number | null;
    } | null
  >;
  /** Whether the session still exists and has not expired. */
  session(userId: string, sessionId: string): Promise<boolean>;
  /** Whether the API key still exists, belongs to the user, is enabled and has not expired. */
  apiKey(userId: string, keyId: string): Promise<boolean>;
}

export interface SessionLike {
  user: { id: string; email: string; name: string; role?: string | null };
  session: { id?: string; activeOrganizationId?: string | null; activeTeamId?: string | null };
}

/** What the auth chain (auth-chain.ts) reads of the app's per-request services. */
export interface AuthServices {
  auth: AuthLike;
  memberRoles?: MemberRoles;
  teamMembership?: TeamMembership;
}

export interface AuthLike {
  handler(request: Request): Promise<Response>;
  api: { getSession(options: { headers: Headers }): Promise<SessionLike | null> };
  /** With Better Auth's apiKey plugin: key verification and the owner lookup. */
  apiKeys?: ApiKeys;
  /** Supabase Auth: the bearer token's verdict (a session, or why it was refused); the chain then skips getSession. */
  bearer?(headers: Headers): Promise<{ session: SessionLike } | { failure: 'expired' | 'invalid' } | null>;
  /** Realtime: the auth state an open socket's re-check reads (realtime-live.ts). */
  state?: AuthState;
  /** With the oauthProvider plugin: the discovery documents under /.well-known/ (null: not one of them). */
  wellKnown?(request: Request): Promise<Response | null>;
}

export async function contextFromSession(
  auth: AuthLike,
  headers: Headers,
  memberRoles?: MemberRoles,
  teamMembership?: TeamMembership,
): Promise<AppContext> {
  return contextOf(await auth.api.getSession({ headers }), memberRoles, teamMembership);
}

/** The context of a session (anonymous without one). */
export async function contextOf(
  session: SessionLike | null,
  memberRoles?: MemberRoles,
  teamMembership?: TeamMembership,
): Promise<AppContext> {
  if (!session) return anonymousContext;
  const { user } = session;
  const requestedOrg = session.session.activeOrganizationId ?? null;
  const roles = requestedOrg && memberRoles ? await memberRoles(requestedOrg, user.id) : null;
  const requestedTeam = roles ? session.session.activeTeamId ?? null : null;
  const inTeam = requestedTeam !== null && teamMembership !== undefined
    && (await teamMembership(requestedTeam, user.id, requestedOrg!));
  return {
    authenticated: true,
    userId: user.id,
    userRole: user.role ?? 'user',
    activeOrgId: roles ? requestedOrg : null,
    activeTeamId: inTeam ? requestedTeam : null,
    roles: roles ?? [],
    user: { id: user.id, email: user.email, name: user.name },
  };
}

/** Better Auth stores several roles as "admin,member". */
export function splitRoles(role: string | null | undefined): string[] {
  return (role ?? '').split(',').map((r) => r.trim()).filter(Boolean);
}
