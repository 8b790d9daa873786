/**
 * @module emitters/better-auth/print/plugins
 * The `plugins: [...]` of Better Auth and their imports: each plugin called with its config
 * options (JSON) after the options the app wires from its own code and env (email senders,
 * the passkey relying party, the oauthProvider pages), plus the email guard.
 */
import type { AppModel, AuthModel, AuthPlugin } from '../../../compiler/model/ir.js';
import { importLine, indentTail, literal } from '../../print-utils.js';
import { OAUTH_SEED_KEYS, oauthProviderOptions } from './oauth.js';

const BUILTIN_ORG_ROLES = ['owner', 'admin', 'member'];

/** Roles of auth.roleHierarchy beyond Better Auth's organization roles (registered with access control). */
export function customRoles(auth: AuthModel): string[] {
  return auth.roleHierarchy.filter((r) => !BUILTIN_ORG_ROLES.includes(r));
}

export function pluginCalls(model: AppModel): string[] {
  const { auth } = model;
  const creator = auth.roleHierarchy[auth.roleHierarchy.length - 1];
  const orgOptions: string[] = [];
  if (customRoles(auth).length > 0) orgOptions.push('ac', 'roles: organizationRoles');
  if (creator && creator !== 'owner') orgOptions.push(`creatorRole: ${JSON.stringify(creator)}`);
  if (auth.plugins.includes('teams')) orgOptions.push('teams: { enabled: true }');
  // apiKey: metadata on, so a key can carry the organization it acts in (metadata.organizationId).
  const call = (plugin: AuthPlugin) => {
    if (plugin === 'organization') return `organization(${orgOptions.length ? `{ ${orgOptions.join(', ')} }` : ''})`;
    const options = plugin === 'apiKey'
      ? { enableMetadata: true, ...auth.pluginOptions.apiKey }
      : auth.pluginOptions[plugin];
    const passed = Object.entries(options ?? {}).filter(([k]) => plugin !== 'oauthProvider' || !OAUTH_SEED_KEYS.has(k));
    const wired = wiredOptions(model, plugin).filter((entry) => !passed.some(([k]) => entry.startsWith(`${k}: `)));
    if (wired.length > 0)
      return `${IMPORT_NAME[plugin] ?? plugin}({ ${
        [...wired, ...passed.map(([k, v]) => `${JSON.stringify(k)}: ${JSON.stringify(v)}`)].join(', ')
      } })`;
    return `${IMPORT_NAME[plugin] ?? plugin}(${options ? indentTail(literal(options), 4) : ''})`;
  };
  const calls = auth.plugins.filter((p) => p !== 'teams').map(call);
  // RFC 7009 §2.1: a client revokes only its own tokens (runtime oauth-revoke.ts).
  if (auth.plugins.includes('oauthProvider')) calls.push('oauthRevokeGuard()');
  return auth.plugins.some((p) => SENDERS[p]) ? [...calls, 'emailGuard(mailer)'] : calls;
}

/** Better Auth's export name where it differs from the config's plugin name. */
const IMPORT_NAME: Partial<Record<AuthPlugin, string>> = { emailOtp: 'emailOTP' };
/** The email callbacks of src/auth/email.ts each sending plugin gets. */
export const SENDERS: Partial<Record<AuthPlugin, string>> = {
  magicLink: 'sendMagicLink',
  emailOtp: 'sendVerificationOTP',
};

/** Options the app wires from its own code and env, as `key: code`; a config JSON option of the same key replaces one. */
function wiredOptions(model: AppModel, plugin: AuthPlugin): string[] {
  const sender = SENDERS[plugin];
  if (sender) return [`${sender}: ${sender}(mailer)`];
  // WebAuthn's relying party is the account UI the browser shows (ACCOUNT_URL), else the API's own origin.
  if (plugin === 'passkey')
    return [`rpName: ${JSON.stringify(model.name)}`, 'rpID: account.hostname', 'origin: account.origin'];
  if (plugin === 'oauthProvider') return oauthProviderOptions(model);
  return [];
}

/** Plugins not in better-auth/plugins: their own packages, or Quickback's files. */
const OWN_IMPORT: Partial<Record<AuthPlugin, string>> = {
  apiKey: '@better-auth/api-key',
  passkey: '@better-auth/passkey',
  oauthProvider: '@better-auth/oauth-provider',
  upgradeAnonymous: './upgrade-anonymous.js',
};

/** Imports of the plugins: better-auth/plugins, their own packages, Quickback's files. */
export function pluginImports(model: AppModel): string[] {
  const plugins = model.auth.plugins.filter((p) => p !== 'teams');
  const builtIn = plugins.filter((p) => !OWN_IMPORT[p]).map((p) => IMPORT_NAME[p] ?? p);
  return [
    ...(builtIn.length > 0 ? [importLine(builtIn, 'better-auth/plugins')] : []),
    ...plugins.filter((p) => OWN_IMPORT[p]).map((p) => importLine([p], OWN_IMPORT[p]!)),
  ];
}
