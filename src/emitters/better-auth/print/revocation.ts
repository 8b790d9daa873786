/**
 * @module emitters/better-auth/print/revocation
 * With `auth.jwt.revocationCheck: "kv"`, Better Auth hooks that revoke a user's bearer tokens
 * (runtime revocation.ts) whenever a user is banned, removed, re-roled or has a password set by an
 * admin, whenever an organization membership changes (role updated, member removed, member
 * left: tokens carry the roles), and whenever a user revokes sessions, changes the password,
 * deletes the account or signs out. Admin endpoints name the user in the body, membership
 * endpoints in their answer; the others act on the session's user (read before sign-out, which
 * ends the session). Failed calls revoke nothing.
 */

const ADMIN_PATHS = ['/admin/ban-user', '/admin/remove-user', '/admin/revoke-user-sessions', '/admin/set-role', '/admin/set-user-password'];
const SESSION_PATHS = ['/change-password', '/delete-user', '/revoke-other-sessions', '/revoke-session', '/revoke-sessions'];
/** Tokens carry organization roles: a membership change revokes the member's tokens (the answer names the member). */
const MEMBER_PATHS = ['/organization/leave', '/organization/remove-member', '/organization/update-member-role'];

/** The `hooks` option of betterAuth({...}) (indented for the options block). */
export function revocationHooks(): string[] {
  return [
    'hooks: {',
    '  // Sign-out ends the session: its user is read before.',
    '  before: createAuthMiddleware(async (ctx) => {',
    '    if (!revocation || ctx.path !== "/sign-out") return;',
    '    const session = await getSessionFromCtx(ctx).catch(() => null);',
    '    if (session) await revokeTokens(revocation, session.user.id);',
    '  }),',
    '  after: createAuthMiddleware(async (ctx) => {',
    '    if (!revocation || isAPIError(ctx.context.returned)) return;',
    `    const admin = ${JSON.stringify(ADMIN_PATHS)}.includes(ctx.path);`,
    `    const member = ${JSON.stringify(MEMBER_PATHS)}.includes(ctx.path);`,
    `    if (!admin && !member && !${JSON.stringify(SESSION_PATHS)}.includes(ctx.path)) return;`,
    '    const returned = ctx.context.returned as { userId?: unknown; member?: { userId?: unknown } } | undefined;',
    '    const userId: unknown = admin ? ctx.body?.userId : member ? returned?.userId ?? returned?.member?.userId : ctx.context.session?.user.id;',
    '    if (typeof userId === "string") await revokeTokens(revocation, userId);',
    '  }),',
    '},',
  ];
}
