/**
 * @module emitters/better-auth/print/oauth
 * The `oauthProvider` plugin (seed 002): its options (pages on the account UI, dynamic client
 * registration, audiences, scopes) and `src/auth/oauth.ts`, which serves the discovery documents
 * at the root of the API, where OAuth and MCP clients look for them:
 * `/.well-known/oauth-authorization-server`, `/.well-known/openid-configuration` (both also in
 * their RFC 8414 form with the issuer's path) and `/.well-known/oauth-protected-resource`; and
 * the plugin that makes `oauth2/revoke` follow RFC 7009 (runtime oauth-revoke.ts).
 */
import type { AppModel } from '../../../compiler/model/ir.js';
import { withBanner } from '../../banner.js';
import { importLine, lines, runtimeImport, type RuntimeName } from '../../print-utils.js';

export const OAUTH_FILE = 'src/auth/oauth.ts';

/** Seed keys translated here; every other option goes to the plugin as JSON. */
export const OAUTH_SEED_KEYS = new Set(['loginPage', 'consentPage', 'validAudiences']);

/** What src/auth/index.ts imports for the plugin: the discovery handler and the cross-client revoke guard. */
export function oauthImports(model: AppModel): string[] {
  if (!model.auth.plugins.includes('oauthProvider')) return [];
  return [importLine(['oauthDiscovery', 'oauthRevokeGuard'], './oauth.js')];
}

/** The runtime name src/auth/index.ts uses for the plugin: the redirect function, unless loginPage is given. */
export function oauthRuntime(model: AppModel): RuntimeName[] {
  if (!model.auth.plugins.includes('oauthProvider')) return [];
  return [typeof model.auth.pluginOptions.oauthProvider?.loginPage !== 'string' && 'loginRedirect'];
}

/** The plugin's options, as code: `loginPage` and `consentPage` are paths on ACCOUNT_URL; audiences default to BETTER_AUTH_URL. */
export function oauthProviderOptions(model: AppModel): string[] {
  const options = model.auth.pluginOptions.oauthProvider ?? {};
  const audiences = Array.isArray(options.validAudiences) ? JSON.stringify(options.validAudiences) : '[baseURL]';
  const login = typeof options.loginPage === 'string'
    ? `new URL(${JSON.stringify(options.loginPage)}, account).href`
    : `loginRedirect({ ${
      model.redirects.loginUrl ? `loginUrl: ${JSON.stringify(model.redirects.loginUrl)}, ` : ''
    }accountUrl: env.ACCOUNT_URL })`;
  return [
    `loginPage: ${login}`,
    `consentPage: new URL(${
      JSON.stringify(typeof options.consentPage === 'string' ? options.consentPage : '/consent')
    }, account).href`,
    'allowDynamicClientRegistration: true',
    'allowUnauthenticatedClientRegistration: true',
    `resources: ${audiences}`,
    `clientRegistrationDefaultResources: ${audiences}`,
  ];
}

export function printOAuthDiscovery(model: AppModel): string {
  return withBanner(
    'ts',
    model.configFile,
    lines(
      'import { oauthProviderAuthServerMetadata, oauthProviderOpenIdConfigMetadata } from "@better-auth/oauth-provider";',
      'import { oauthProviderResourceClient } from "@better-auth/oauth-provider/resource-client";',
      'import type { BetterAuthPlugin } from "better-auth";',
      'import { APIError, createAuthMiddleware } from "better-auth/api";',
      runtimeImport(['CROSS_CLIENT', 'foreignToken', 'invalidTokenAnswer']),
      'import type { createAuth } from "./index.js";',
      '',
      'type Auth = ReturnType<typeof createAuth>;',
      '',
      '/** GET /.well-known/*: the discovery documents of the authorization server (issuer: BETTER_AUTH_URL + /auth/v1) and of the API as a protected resource. */',
      'export function oauthDiscovery(auth: Auth, baseURL: string, resource: string): (request: Request) => Promise<Response | null> {',
      '  const authServer = oauthProviderAuthServerMetadata(auth);',
      '  const openId = oauthProviderOpenIdConfigMetadata(auth);',
      '  const resourceClient = oauthProviderResourceClient(auth).getActions();',
      '  const issuer = new URL("/auth/v1", baseURL).href;',
      '  return async (request) => {',
      '    const path = new URL(request.url).pathname.replace(/\\/+$/, "");',
      '    if (path === "/.well-known/oauth-authorization-server" || path === "/.well-known/oauth-authorization-server/auth/v1") return authServer(request);',
      '    if (path === "/.well-known/openid-configuration" || path === "/.well-known/openid-configuration/auth/v1") return openId(request);',
      '    if (path === "/.well-known/oauth-protected-resource" || path.startsWith("/.well-known/oauth-protected-resource/")) {',
      '      // The helper defaults authorization_servers to the bare origin; the issuer has the /auth/v1 path.',
      '      return Response.json(await resourceClient.getProtectedResourceMetadata({ resource, authorization_servers: [issuer], bearer_methods_supported: ["header"] }));',
      '    }',
      '    return null;',
      '  };',
      '}',
      '',
      "/** POST /auth/v1/oauth2/revoke as RFC 7009 says: another client's token is refused (400 unauthorized_client), an invalid token answers 200. */",
      'export function oauthRevokeGuard(): BetterAuthPlugin {',
      '  const revoke = (ctx: { path?: string }) => ctx.path === "/oauth2/revoke";',
      '  return {',
      '    id: "quickback-oauth-revoke",',
      '    hooks: {',
      '      before: [{ matcher: revoke, handler: createAuthMiddleware(async (ctx) => {',
      '        const find = (model: string, value: string) => ctx.context.adapter.findOne<{ clientId?: string | null }>({ model, where: [{ field: "token", value }] });',
      '        if (await foreignToken(ctx.body, ctx.headers?.get("authorization"), find)) throw new APIError("BAD_REQUEST", CROSS_CLIENT);',
      '      }) }],',
      '      after: [{ matcher: revoke, handler: createAuthMiddleware(async (ctx) => invalidTokenAnswer(ctx.context.returned) ?? undefined) }],',
      '    },',
      '  };',
      '}',
    ),
  );
}
