/**
 * @module emitters/better-auth
 * Better Auth wiring (`src/auth/index.ts`). Its tables are printed by the Drizzle emitter.
 */
import type { Emitter } from '../../compiler/emit/contract.js';
import { printAuth } from './print/auth.js';
import { printUpgradeAnonymous, UPGRADE_ANONYMOUS_FILE } from './print/upgrade-anonymous.js';
import { EMAIL_FILE, printEmail } from './print/email.js';
import { OAUTH_FILE, printOAuthDiscovery } from './print/oauth.js';

export const betterAuthEmitter = {
  id: 'better-auth',
  applies: (model) => model.auth.provider === 'better-auth',
  emit: (model) => [
    { path: 'src/auth/index.ts', contents: printAuth(model), ownership: 'compiler', emitter: 'better-auth' },
    ...(model.auth.plugins.includes('upgradeAnonymous')
      ? [{
        path: UPGRADE_ANONYMOUS_FILE,
        contents: printUpgradeAnonymous(model),
        ownership: 'compiler' as const,
        emitter: 'better-auth',
      }]
      : []),
    ...(model.email
      ? [{ path: EMAIL_FILE, contents: printEmail(model), ownership: 'compiler' as const, emitter: 'better-auth' }]
      : []),
    ...(model.auth.plugins.includes('oauthProvider')
      ? [{
        path: OAUTH_FILE,
        contents: printOAuthDiscovery(model),
        ownership: 'compiler' as const,
        emitter: 'better-auth',
      }]
      : []),
  ],
} satisfies Emitter;
