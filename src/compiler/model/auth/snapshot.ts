/**
 * @module compiler/model/auth/snapshot
 * Reads Better Auth's own table definitions (base tables and each supported plugin's schema) so
 * compile never has to import better-auth. `npm run gen:auth-schema` writes the result to
 * better-auth-schema.json; a test fails when the installed better-auth disagrees with it.
 */
import { getAuthTables } from 'better-auth/db';
import {
  admin,
  anonymous,
  bearer,
  deviceAuthorization,
  emailOTP,
  jwt,
  magicLink,
  openAPI,
  organization,
  twoFactor,
} from 'better-auth/plugins';
import { apiKey } from '@better-auth/api-key';
import { oauthProvider } from '@better-auth/oauth-provider';
import { passkey } from '@better-auth/passkey';
import type { AuthPlugin } from '../ir.js';
import { normalizeTables, type AuthTables } from './normalize.js';

export interface AuthSchemaData {
  base: AuthTables;
  plugins: Record<AuthPlugin, AuthTables>;
}

type RawTables = Parameters<typeof normalizeTables>[0];

export const pluginFactories: Record<AuthPlugin, () => { id: string; schema?: unknown }> = {
  organization: () => organization(),
  teams: () => organization({ teams: { enabled: true } }),
  apiKey: () => apiKey(),
  admin: () => admin(),
  anonymous: () => anonymous(),
  // Quickback's own endpoint (src/auth/upgrade-anonymous.ts): no tables of its own.
  upgradeAnonymous: () => ({ id: 'upgrade-anonymous' }),
  twoFactor: () => twoFactor(),
  deviceAuthorization: () => deviceAuthorization(),
  magicLink: () => magicLink({ sendMagicLink: async () => undefined }),
  emailOtp: () => emailOTP({ sendVerificationOTP: async () => undefined }),
  passkey: () => passkey(),
  jwt: () => jwt(),
  oauthProvider: () => oauthProvider({ loginPage: '/login', consentPage: '/consent' }),
  bearer: () => bearer(),
  openAPI: () => openAPI(),
};

/** What `getAuthTables` returns for these plugins, normalised (the reference for the drift test). */
export function betterAuthTables(plugins: AuthPlugin[]): AuthTables {
  const options = { plugins: plugins.map((p) => pluginFactories[p]()) } as Parameters<typeof getAuthTables>[0];
  return normalizeTables(getAuthTables(options) as unknown as RawTables);
}

export function snapshotAuthSchema(): AuthSchemaData {
  const plugins = {} as Record<AuthPlugin, AuthTables>;
  for (const name of Object.keys(pluginFactories) as AuthPlugin[]) {
    plugins[name] = normalizeTables((pluginFactories[name]().schema ?? {}) as RawTables);
  }
  return { base: betterAuthTables([]), plugins };
}
