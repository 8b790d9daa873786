/**
 * @module emitters/better-auth/print/upgrade-anonymous
 * `src/auth/upgrade-anonymous.ts` (plugin `upgradeAnonymous`, seed 002): `POST
 * /auth/v1/upgrade-anonymous` turns the signed-in anonymous user into a regular one
 * (`isAnonymous: false`) and re-issues the session cookie, so a cached session shows the change at
 * once. The body may be empty or `{}`; calling it again is harmless. Needs the anonymous plugin,
 * which the model switches on with it.
 */
import type { AppModel } from '../../../compiler/model/ir.js';
import { withBanner } from '../../banner.js';
import { lines } from '../../print-utils.js';

export const UPGRADE_ANONYMOUS_FILE = 'src/auth/upgrade-anonymous.ts';

export function printUpgradeAnonymous(model: AppModel): string {
  return withBanner(
    'ts',
    model.configFile,
    lines(
      'import type { BetterAuthPlugin } from "better-auth";',
      'import { createAuthEndpoint, sessionMiddleware } from "better-auth/api";',
      'import { setSessionCookie } from "better-auth/cookies";',
      '',
      '/** POST /upgrade-anonymous: the anonymous user of this session becomes a regular user. */',
      'export function upgradeAnonymous() {',
      '  return {',
      '    id: "upgrade-anonymous",',
      '    endpoints: {',
      '      upgradeAnonymous: createAuthEndpoint("/upgrade-anonymous", { method: "POST", use: [sessionMiddleware], requireHeaders: true }, async (ctx) => {',
      '        const { session, user } = ctx.context.session;',
      '        if ((user as { isAnonymous?: boolean | null }).isAnonymous !== true) return ctx.json({ success: true, user });',
      '        const upgraded = await ctx.context.internalAdapter.updateUser(user.id, { isAnonymous: false });',
      '        await setSessionCookie(ctx, { session, user: upgraded });',
      '        return ctx.json({ success: true, user: upgraded });',
      '      }),',
      '    },',
      '  } satisfies BetterAuthPlugin;',
      '}',
    ),
  );
}
