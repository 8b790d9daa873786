/**
 * @module emitters/better-auth/print/revocation
 * Better Auth hooks that announce "the access of user X changed" (`accessChanged`, declared inside
 * createAuth): with `auth.jwt.revocationCheck: "kv"` it revokes the user's bearer tokens (runtime
 * revocation.ts); with realtime on it re-checks the user's open sockets (`onAuthChange`, runtime
 * realtime-live.ts). Announced whenever a user is banned, removed, re-roled or has a password set
 * by an admin, whenever an organization membership changes (role updated, member removed, member
 * left, organization deleted: tokens carry the roles), whenever a member is removed from a team
 * (tokens and tickets carry the active team), whenever a user revokes sessions, changes the
 * password, deletes the account or signs out, and when a platform admin stops impersonating a
 * user (that session ends: it counts as the user's sign-out); with realtime and the apiKey plugin, an API key deleted or updated
 * re-checks its owner's sockets (an API key is no bearer token: nothing to revoke). Admin
 * endpoints name the user in the body, membership endpoints in their answer; the others act on the
 * session's user (read before sign-out, which ends the session: tokens are revoked then, sockets
 * re-checked once the session is gone). Failed calls announce nothing.
 */
import type { AppModel } from '../../../compiler/model/ir.js';

const ADMIN_PATHS = [
  '/admin/ban-user',
  '/admin/remove-user',
  '/admin/revoke-user-sessions',
  '/admin/set-role',
  '/admin/set-user-password',
];
const SESSION_PATHS = [
  '/change-password',
  '/delete-user',
  '/revoke-other-sessions',
  '/revoke-session',
  '/revoke-sessions',
];
/** Tokens carry organization roles: a membership change revokes the member's tokens (the answer names the member). */
const MEMBER_PATHS = ['/organization/leave', '/organization/remove-member', '/organization/update-member-role'];
/** Tokens and tickets carry the active team: leaving a team (the body names the member) re-checks and revokes too. */
const TEAM_PATHS = ['/organization/remove-team-member'];
/** With the admin plugin, stopping an impersonation ends that session like a sign-out (whose it was is read before). */
const STOP_IMPERSONATING = '/admin/stop-impersonating';
/** Sockets opened with an API key close when it is deleted or disabled (its owner's sockets are re-checked). */
const API_KEY_PATHS = ['/api-key/delete', '/api-key/update'];

/** Whether createAuth announces access changes: bearer-token revocation, or realtime sockets to re-check. */
export function announcesAccess(model: AppModel): boolean {
  return model.jwt?.revocation !== undefined || model.realtime !== null;
}

/** `accessChanged`, declared inside createAuth. */
export function accessChangedFunction(model: AppModel): string[] {
  if (!announcesAccess(model)) return [];
  const revocation = model.jwt?.revocation !== undefined;
  const realtime = model.realtime !== null;
  return [
    '  /** The access of a user changed: their bearer tokens are revoked, their open sockets re-checked. */',
    '  const accessChanged = async (userId: string) => {',
    revocation ? '    if (revocation) await revokeTokens(revocation, userId);' : false,
    realtime ? '    if (onAuthChange) await onAuthChange(userId);' : false,
    '  };',
  ].filter((line): line is string => line !== false);
}

/** The `hooks` option of betterAuth({...}) (indented for the options block). */
export function revocationHooks(model: AppModel): string[] {
  if (!announcesAccess(model)) return [];
  const revocation = model.jwt?.revocation !== undefined;
  const realtime = model.realtime !== null;
  // API keys are no bearer tokens: their changes only re-check the sockets opened with them.
  const apiKeys = realtime && model.auth.plugins.includes('apiKey');
  const orgs = model.auth.organizations || model.auth.plugins.includes('organization');
  const teams = model.auth.plugins.includes('teams');
  const ends = JSON.stringify(model.auth.plugins.includes('admin') ? ['/sign-out', STOP_IMPERSONATING] : ['/sign-out']);
  return [
    'hooks: {',
    orgs
      ? '  // Sign-out ends the session, deleting an organization its memberships: who they were is read before.'
      : '  // Sign-out ends the session: its user is read before.',
    '  before: createAuthMiddleware(async (ctx) => {',
    ...(orgs
      ? [
        '    if (ctx.path === "/organization/delete" && typeof ctx.body?.organizationId === "string") {',
        '      const members = await ctx.context.adapter.findMany<{ userId: string }>({ model: "member", where: [{ field: "organizationId", value: ctx.body.organizationId }] });',
        '      (ctx.context as { orgMembers?: string[] }).orgMembers = members.map((m) => m.userId);',
        '    }',
      ]
      : []),
    `    if (!${ends}.includes(ctx.path)) return;`,
    '    const session = await getSessionFromCtx(ctx).catch(() => null);',
    '    if (!session) return;',
    revocation ? '    if (revocation) await revokeTokens(revocation, session.user.id);' : false,
    realtime ? '    (ctx.context as { signedOut?: string }).signedOut = session.user.id;' : false,
    '  }),',
    '  after: createAuthMiddleware(async (ctx) => {',
    '    if (isAPIError(ctx.context.returned)) return;',
    realtime ? '    const signedOut = (ctx.context as { signedOut?: string }).signedOut;' : false,
    realtime
      ? `    if (${ends}.includes(ctx.path) && signedOut && onAuthChange) await onAuthChange(signedOut);`
      : false,
    apiKeys ? `    if (${JSON.stringify(API_KEY_PATHS)}.includes(ctx.path)) {` : false,
    apiKeys ? '      const owner = ctx.context.session?.user.id;' : false,
    apiKeys ? '      if (owner && onAuthChange) await onAuthChange(owner);' : false,
    apiKeys ? '      return;' : false,
    apiKeys ? '    }' : false,
    orgs ? '    if (ctx.path === "/organization/delete") {' : false,
    orgs
      ? '      for (const userId of (ctx.context as { orgMembers?: string[] }).orgMembers ?? []) await accessChanged(userId);'
      : false,
    orgs ? '      return;' : false,
    orgs ? '    }' : false,
    `    const admin = ${JSON.stringify(ADMIN_PATHS)}.includes(ctx.path);`,
    teams ? `    const team = ${JSON.stringify(TEAM_PATHS)}.includes(ctx.path);` : false,
    `    const member = ${JSON.stringify(MEMBER_PATHS)}.includes(ctx.path);`,
    `    if (!admin && !member${teams ? ' && !team' : ''} && !${
      JSON.stringify(SESSION_PATHS)
    }.includes(ctx.path)) return;`,
    '    const returned = ctx.context.returned as { userId?: unknown; member?: { userId?: unknown } } | undefined;',
    `    const userId: unknown = admin${
      teams ? ' || team' : ''
    } ? ctx.body?.userId : member ? returned?.userId ?? returned?.member?.userId : ctx.context.session?.user.id;`,
    '    if (typeof userId === "string") await accessChanged(userId);',
    '  }),',
    '},',
  ].filter((line): line is string => line !== false);
}

/** The auth state an open socket's re-check reads (runtime realtime-live.ts AuthState), through Better Auth's own adapter. */
export function authStateLines(model: AppModel): string[] {
  if (!model.realtime) return [];
  const apiKey = model.auth.plugins.includes('apiKey');
  return [
    '  const state: AuthState = {',
    '    user: async (id) => (await (await auth.$context).internalAdapter.findUserById(id)) as Awaited<ReturnType<AuthState["user"]>>,',
    '    session: async (userId, sessionId) => (await (await auth.$context).internalAdapter.listSessions(userId))',
    '      .some((s) => s.id === sessionId && new Date(s.expiresAt).getTime() > Date.now()),',
    ...(apiKey
      ? [
        '    apiKey: async (userId, keyId) => {',
        '      const key = await (await auth.$context).adapter.findOne<{ referenceId?: string; userId?: string; enabled?: boolean | null; expiresAt?: Date | string | null }>({ model: "apikey", where: [{ field: "id", value: keyId }] });',
        '      return key !== null && (key.referenceId ?? key.userId) === userId && key.enabled !== false && (!key.expiresAt || new Date(key.expiresAt).getTime() > Date.now());',
        '    },',
      ]
      : ['    apiKey: async () => false,']),
    '  };',
  ];
}
