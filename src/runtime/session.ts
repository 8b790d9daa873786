/**
 * @module quickback/session
 * Resolves the AppContext from a Better Auth session. The active organization counts only when
 * the user is (still) a member of it; roles come from that membership.
 */
import { anonymousContext, type AppContext } from './context.js';
import type { MemberRoles } from './types.js';

export type { MemberRoles };

export interface SessionLike {
  user: { id: string; email: string; name: string; role?: string | null };
  session: { activeOrganizationId?: string | null; activeTeamId?: string | null };
}

export interface AuthLike {
  handler(request: Request): Promise<Response>;
  api: { getSession(options: { headers: Headers }): Promise<SessionLike | null> };
}

export async function contextFromSession(auth: AuthLike, headers: Headers, memberRoles?: MemberRoles): Promise<AppContext> {
  const session = await auth.api.getSession({ headers });
  if (!session) return anonymousContext;
  const { user } = session;
  const requestedOrg = session.session.activeOrganizationId ?? null;
  const roles = requestedOrg && memberRoles ? await memberRoles(requestedOrg, user.id) : null;
  return {
    authenticated: true,
    userId: user.id,
    userRole: user.role ?? 'user',
    activeOrgId: roles ? requestedOrg : null,
    activeTeamId: roles ? session.session.activeTeamId ?? null : null,
    roles: roles ?? [],
    user: { id: user.id, email: user.email, name: user.name },
  };
}

/** Better Auth stores several roles as "admin,member". */
export function splitRoles(role: string | null | undefined): string[] {
  return (role ?? '').split(',').map((r) => r.trim()).filter(Boolean);
}
