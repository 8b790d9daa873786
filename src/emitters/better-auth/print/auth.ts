/**
 * @module emitters/better-auth/print/auth
 * `src/auth/index.ts`: Better Auth at /auth/v1 on the auth database, with the configured options
 * and plugins, plus the membership lookup the request context uses.
 */
import type { AppModel } from '../../../compiler/model/ir.js';
import { withBanner } from '../../banner.js';
import { importLine, importPath, indentTail, lines, literal, runtimeImport } from '../../print-utils.js';
import { authSchemaPath } from '../../drizzle-sqlite/print/schemas.js';
import { memberLookup, teamLookup } from './lookups.js';
import { accessChangedFunction, announcesAccess, authStateLines, revocationHooks } from './revocation.js';
import { customRoles, pluginCalls, pluginImports, SENDERS } from './plugins.js';
import { oauthImports, oauthRuntime } from './oauth.js';
import { mirrorSessionFunction, userSessionHooks } from './user-sessions.js';

/** Plugins whose pages live on the account UI (ACCOUNT_URL). */
function usesAccountUrl(model: AppModel): boolean {
  return model.auth.plugins.includes('passkey') || model.auth.plugins.includes('oauthProvider');
}

/** BETTER_AUTH_URL, else the local server's own address. */
function baseUrlExpression(model: AppModel): string {
  return `env.BETTER_AUTH_URL ?? \`http://127.0.0.1:\${env.PORT ?? ${model.runtime.port}}\``;
}

/** Better Auth's rate limit: as configured, on by default except in development (Better Auth's own default reads NODE_ENV, which Workers lack). */
function rateLimit(config: AppModel['auth']['rateLimit']): string {
  if (config?.enabled !== undefined) return indentTail(literal(config), 0);
  const rest = literal(config ?? {});
  return rest === '{}'
    ? '{ enabled: !isDevelopment(env) }'
    : rest.replace(/^\{\n/, '{\n  enabled: !isDevelopment(env),\n');
}

function options(model: AppModel): string[] {
  const { auth, database } = model;
  const out = [
    `appName: ${JSON.stringify(model.name)},`,
    'baseURL,',
    'basePath: "/auth/v1",',
    'secret: env.BETTER_AUTH_SECRET,',
    `database: drizzleAdapter(db, { provider: ${
      JSON.stringify(database.dialect === 'postgresql' ? 'pg' : 'sqlite')
    }, schema: authSchema, usePlural: ${database.usePlurals} }),`,
    `emailAndPassword: ${literal(auth.emailAndPassword, 0)},`,
  ];
  if (auth.session) out.push(`session: ${literal(auth.session, 0)},`);
  out.push(`rateLimit: ${rateLimit(auth.rateLimit)},`);
  if (auth.socialProviders.length > 0) {
    out.push('socialProviders: {');
    for (const p of auth.socialProviders)
      out.push(`  ${p.id}: { clientId: env.${p.clientIdEnv} ?? "", clientSecret: env.${p.clientSecretEnv} ?? "" },`);
    out.push('},');
  }
  out.push('trustedOrigins: corsOrigins(env),');
  // Sessions and rate-limit counters: KV on Workers, the store of defineStorage on Node and Bun.
  const kv = model.cloudflare?.kv;
  if (kv) out.push(`secondaryStorage: kvStore(bindings.${kv.binding}, { timeoutMs: dependencyTimeout(env) }),`);
  else if (model.storage) out.push('secondaryStorage: store,');
  // Rate limits per client: on Workers the address Cloudflare sets (clients cannot forge it); x-forwarded-for elsewhere.
  if (model.cloudflare) out.push('advanced: { ipAddress: { ipAddressHeaders: ["cf-connecting-ip"] } },');
  // Better Auth's messages through the app's redacting logger; route failures thrown to the app's error handler (a coded
  // answer, logged there), never printed by better-call's own `# SERVER_ERROR` line with the query's parameters.
  out.push(`logger: betterAuthLogger(${auth.debugLogs ? 'true' : ''}),`, 'onAPIError: { throw: true },');
  out.push(...revocationHooks(model));
  out.push(...userSessionHooks(model));
  out.push(`plugins: [${pluginCalls(model).join(', ')}],`, 'telemetry: { enabled: false },');
  return out;
}

export function printAuth(model: AppModel): string {
  const { auth } = model;
  const orgOn = auth.plugins.includes('organization');
  const custom = customRoles(auth);
  const emailPlugins = auth.plugins.filter((p) => SENDERS[p]);
  const oauth = auth.plugins.includes('oauthProvider');
  const workers = model.cloudflare !== undefined;
  const userTable = auth.tables.find((t) => t.name === 'user')?.exportName ?? 'user';
  const revocation = model.jwt?.revocation !== undefined;
  const store = !workers && model.storage !== null;
  const realtime = model.realtime !== null;
  const params = `${workers ? ', bindings: Bindings' : ''}${store ? ', store?: KeyValueStore' : ''}${
    revocation ? ', revocation?: Revocation' : ''
  }${realtime ? ', onAuthChange?: (userId: string) => Promise<void>' : ''}`;
  const args = `${workers ? ', bindings' : ''}${store ? ', store' : ''}${revocation ? ', revocation' : ''}${
    realtime ? ', onAuthChange' : ''
  }`;
  return withBanner(
    'ts',
    model.configFile,
    lines(
      importLine(['betterAuth'], 'better-auth'),
      importLine(['drizzleAdapter'], 'better-auth/adapters/drizzle'),
      announcesAccess(model)
        ? importLine(['createAuthMiddleware', 'getSessionFromCtx', 'isAPIError'], 'better-auth/api')
        : false,
      ...pluginImports(model),
      custom.length > 0 ? importLine(['createAccessControl'], 'better-auth/plugins/access') : false,
      custom.length > 0
        ? importLine(['adminAc', 'defaultStatements', 'memberAc', 'ownerAc'], 'better-auth/plugins/organization/access')
        : false,
      ...oauthImports(model),
      emailPlugins.length > 0
        ? importLine(['emailGuard', 'mailerFor', ...emailPlugins.map((p) => SENDERS[p]!)], './email.js')
        : false,
      orgOn || auth.plugins.includes('apiKey') ? importLine(orgOn ? ['and', 'eq'] : ['eq'], 'drizzle-orm') : false,
      `import * as authSchema from ${JSON.stringify(importPath('src/auth/index.ts', authSchemaPath(model)))};`,
      model.rlsSupport ? importLine([model.rlsSupport.table.exportName], '../db/rls-support.schema.js') : false,
      importLine(['AuthDatabase'], '../db/index.js', true),
      importLine(['corsOrigins', 'isDevelopment', 'type Env', ...(workers ? ['type Bindings'] : [])], '../env.js'),
      runtimeImport([
        'type AuthLike',
        'type MemberRoles',
        'type TeamMembership',
        model.cloudflare?.kv && 'kvStore',
        model.cloudflare?.kv && 'dependencyTimeout',
        store && 'type KeyValueStore',
        revocation && 'revokeTokens',
        revocation && 'type Revocation',
        auth.plugins.includes('apiKey') && 'type ApiKeys',
        auth.plugins.includes('apiKey') && 'type ApiKeyVerdict',
        realtime && 'type AuthState',
        orgOn && 'splitRoles',
        'betterAuthLogger',
        ...oauthRuntime(model),
      ]),
      custom.length > 0
        ? [
          '',
          '/** Custom roles of auth.roleHierarchy, registered with the organization plugin (member-level permissions in Better Auth). */',
          'const ac = createAccessControl(defaultStatements);',
          'const organizationRoles = {',
          '  owner: ac.newRole(ownerAc.statements),',
          '  admin: ac.newRole(adminAc.statements),',
          '  member: ac.newRole(memberAc.statements),',
          ...custom.map((r) => `  ${JSON.stringify(r)}: ac.newRole(memberAc.statements),`),
          '};',
        ].join('\n')
        : false,
      '',
      '/** Better Auth, mounted at /auth/v1. */',
      `export function createAuth(db: AuthDatabase, env: Env${params}) {`,
      `  const baseURL = ${baseUrlExpression(model)};`,
      usesAccountUrl(model) ? '  const account = new URL(env.ACCOUNT_URL ?? baseURL);' : false,
      emailPlugins.length > 0 ? `  const mailer = mailerFor(env${workers ? ', bindings' : ''});` : false,
      ...mirrorSessionFunction(model),
      ...accessChangedFunction(model),
      '  return betterAuth({',
      ...options(model).map((line) => `    ${line}`),
      '  });',
      '}',
      '',
      '/** The slice of Better Auth the request pipeline uses. */',
      `export function authForApp(db: AuthDatabase, env: Env${params}): AuthLike {`,
      `  const auth = createAuth(db, env${args});`,
      ...(auth.plugins.includes('apiKey')
        ? [
          '  const apiKeys: ApiKeys = {',
          '    verify: async (key) => (await auth.api.verifyApiKey({ body: { key } })) as ApiKeyVerdict,',
          '    userById: async (id) => {',
          `      const [row] = await db.select({ id: authSchema.${userTable}.id, email: authSchema.${userTable}.email, name: authSchema.${userTable}.name${
            auth.plugins.includes('admin') ? `, role: authSchema.${userTable}.role` : ''
          } })`,
          `        .from(authSchema.${userTable}).where(eq(authSchema.${userTable}.id, id)).limit(1);`,
          '      return row ?? null;',
          '    },',
          '  };',
        ]
        : []),
      ...(oauth
        ? [
          `  const baseURL = ${baseUrlExpression(model)};`,
          `  const wellKnown = oauthDiscovery(auth, baseURL, ${
            Array.isArray(auth.pluginOptions.oauthProvider?.validAudiences)
              ? JSON.stringify(auth.pluginOptions.oauthProvider.validAudiences[0])
              : 'baseURL'
          });`,
        ]
        : []),
      ...authStateLines(model),
      `  return { handler: (request) => auth.handler(request), api: auth.api as unknown as AuthLike["api"]${
        auth.plugins.includes('apiKey') ? ', apiKeys' : ''
      }${oauth ? ', wellKnown' : ''}${realtime ? ', state' : ''} };`,
      '}',
      '',
      ...memberLookup(model),
      '',
      ...teamLookup(model),
    ),
  );
}
