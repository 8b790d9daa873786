/**
 * @module quickback/context
 * AppContext: who is calling, in which organization, with which roles. Resolved once per request
 * and read by the firewall and access checks. `crypto` (action handlers of apps with encrypted
 * columns) is added by ctx-crypto.ts.
 */
export interface AppContext {
  authenticated: boolean;
  userId: string | null;
  /** Platform (user-level) role, e.g. "user" or "admin". */
  userRole: string | null;
  /** Set only when the user is a verified member of it. */
  activeOrgId: string | null;
  activeTeamId: string | null;
  /** Organization roles in the active organization. */
  roles: string[];
  user: { id: string; email: string; name: string } | null;
}

export const anonymousContext: AppContext = Object.freeze({
  authenticated: false,
  userId: null,
  userRole: null,
  activeOrgId: null,
  activeTeamId: null,
  roles: [],
  user: null,
}) as AppContext;

/** Reads `$ctx.userId`-style paths (and dotted paths such as `$ctx.user.email`). */
export function contextValue(ctx: AppContext, path: string): unknown {
  let value: unknown = ctx;
  for (const part of path.replace(/^\$?ctx\./, '').split('.')) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}
