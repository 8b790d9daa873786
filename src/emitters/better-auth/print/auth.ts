/**
 * @module emitters/better-auth/print/auth
 * `src/auth/index.ts`: Better Auth at /auth/v1 on the auth database, with the configured options
 * and plugins, plus the membership lookup the request context uses.
 */
import type { AppModel, AuthModel, AuthPlugin } from '../../../compiler/model/ir.js';
import { withBanner } from '../../banner.js';
import { importLine, indentTail, lines, literal } from '../../print-utils.js';
import { memberLookup, teamLookup } from './lookups.js';
import { revocationHooks } from './revocation.js';

const BUILTIN_ORG_ROLES = ['owner', 'admin', 'member'];

function customRoles(auth: AuthModel): string[] {
  return auth.roleHierarchy.filter((r) => !BUILTIN_ORG_ROLES.includes(r));
}

function pluginCalls(auth: AuthModel): string[] {
  const creator = auth.roleHierarchy[auth.roleHierarchy.length - 1];
  const orgOptions: string[] = [];
  if (customRoles(auth).length > 0) orgOptions.push('ac', 'roles: organizationRoles');
  if (creator && creator !== 'owner') orgOptions.push(`creatorRole: ${JSON.stringify(creator)}`);
  if (auth.plugins.includes('teams')) orgOptions.push('teams: { enabled: true }');
  // apiKey: metadata on, so a key can carry the organization it acts in (metadata.organizationId).
  const call = (plugin: AuthPlugin) => {
    if (plugin === 'organization') return `organization(${orgOptions.length ? `{ ${orgOptions.join(', ')} }` : ''})`;
    const options = plugin === 'apiKey' ? { enableMetadata: true, ...auth.pluginOptions.apiKey } : auth.pluginOptions[plugin];
    return `${plugin}(${options ? indentTail(literal(options), 4) : ''})`;
  };
  return auth.plugins.filter((p) => p !== 'teams').map(call);
}

function options(model: AppModel): string[] {
  const { auth, database } = model;
  const out = [
    `appName: ${JSON.stringify(model.name)},`,
    'baseURL: env.BETTER_AUTH_URL ?? `http://127.0.0.1:${env.PORT ?? ' + model.runtime.port + '}`,',
    'basePath: "/auth/v1",',
    'secret: env.BETTER_AUTH_SECRET,',
    `database: drizzleAdapter(db, { provider: "sqlite", schema: authSchema, usePlural: ${database.usePlurals} }),`,
    `emailAndPassword: ${literal(auth.emailAndPassword, 0)},`,
  ];
  if (auth.session) out.push(`session: ${literal(auth.session, 0)},`);
  if (auth.rateLimit) out.push(`rateLimit: ${indentTail(literal(auth.rateLimit), 0)},`);
  if (auth.socialProviders.length > 0) {
    out.push('socialProviders: {');
    for (const p of auth.socialProviders) out.push(`  ${p.id}: { clientId: env.${p.clientIdEnv} ?? "", clientSecret: env.${p.clientSecretEnv} ?? "" },`);
    out.push('},');
  }
  out.push('trustedOrigins: corsOrigins(env),');
  const kv = model.cloudflare?.kv;
  if (kv) out.push(`secondaryStorage: kvStorage(bindings.${kv.binding}),`);
  if (auth.debugLogs) out.push('logger: { level: "debug" },');
  if (model.jwt?.revocation) out.push(...revocationHooks());
  out.push(`plugins: [${pluginCalls(auth).join(', ')}],`, 'telemetry: { enabled: false },');
  return out;
}

/** Better Auth's secondary storage (sessions, rate limits) on Workers KV; KV expirations are at least 60 s. */
const KV_STORAGE = [
  'function kvStorage(kv: KVNamespace) {',
  '  return {',
  '    get: (key: string) => kv.get(key),',
  '    set: (key: string, value: string, ttl?: number) => kv.put(key, value, ttl ? { expirationTtl: Math.max(60, Math.ceil(ttl)) } : undefined),',
  '    delete: (key: string) => kv.delete(key),',
  '  };',
  '}',
  '',
];

export function printAuth(model: AppModel): string {
  const { auth } = model;
  const orgOn = auth.plugins.includes('organization');
  const custom = customRoles(auth);
  const betterAuthPlugins = auth.plugins.filter((p) => p !== 'apiKey' && p !== 'teams' && p !== 'upgradeAnonymous');
  const workers = model.cloudflare !== undefined;
  const userTable = auth.tables.find((t) => t.name === 'user')?.exportName ?? 'user';
  const revocation = model.jwt?.revocation !== undefined;
  const params = `${workers ? ', bindings: Bindings' : ''}${revocation ? ', revocation?: Revocation' : ''}`;
  const args = `${workers ? ', bindings' : ''}${revocation ? ', revocation' : ''}`;
  return withBanner('ts', model.configFile, lines(
    importLine(['betterAuth'], 'better-auth'),
    importLine(['drizzleAdapter'], 'better-auth/adapters/drizzle'),
    revocation ? importLine(['createAuthMiddleware', 'getSessionFromCtx', 'isAPIError'], 'better-auth/api') : false,
    betterAuthPlugins.length > 0 ? importLine(betterAuthPlugins, 'better-auth/plugins') : false,
    custom.length > 0 ? importLine(['createAccessControl'], 'better-auth/plugins/access') : false,
    custom.length > 0 ? importLine(['adminAc', 'defaultStatements', 'memberAc', 'ownerAc'], 'better-auth/plugins/organization/access') : false,
    auth.plugins.includes('apiKey') ? importLine(['apiKey'], '@better-auth/api-key') : false,
    auth.plugins.includes('upgradeAnonymous') ? importLine(['upgradeAnonymous'], './upgrade-anonymous.js') : false,
    orgOn || auth.plugins.includes('apiKey') ? importLine(orgOn ? ['and', 'eq'] : ['eq'], 'drizzle-orm') : false,
    'import * as authSchema from "../db/auth-schema.js";',
    importLine(['AuthDatabase'], '../db/index.js', true),
    importLine(['corsOrigins'], '../env.js'),
    importLine(workers ? ['Bindings', 'Env'] : ['Env'], '../env.js', true),
    importLine(['AuthLike', 'MemberRoles', 'TeamMembership'], '../lib/quickback/session.js', true),
    revocation ? importLine(['revokeTokens'], '../lib/quickback/revocation.js') : false,
    revocation ? importLine(['Revocation'], '../lib/quickback/revocation.js', true) : false,
    auth.plugins.includes('apiKey') ? importLine(['ApiKeys', 'ApiKeyVerdict'], '../lib/quickback/api-key.js', true) : false,
    orgOn ? importLine(['splitRoles'], '../lib/quickback/session.js') : false,
    custom.length > 0 ? [
      '',
      '/** Custom roles of auth.roleHierarchy, registered with the organization plugin (member-level permissions in Better Auth). */',
      'const ac = createAccessControl(defaultStatements);',
      'const organizationRoles = {',
      '  owner: ac.newRole(ownerAc.statements),', '  admin: ac.newRole(adminAc.statements),', '  member: ac.newRole(memberAc.statements),',
      ...custom.map((r) => `  ${JSON.stringify(r)}: ac.newRole(memberAc.statements),`),
      '};',
    ].join('\n') : false,
    '',
    ...(model.cloudflare?.kv ? KV_STORAGE : []),
    '/** Better Auth, mounted at /auth/v1. */',
    `export function createAuth(db: AuthDatabase, env: Env${params}) {`,
    '  return betterAuth({',
    ...options(model).map((line) => `    ${line}`),
    '  });',
    '}',
    '',
    '/** The slice of Better Auth the request pipeline uses. */',
    `export function authForApp(db: AuthDatabase, env: Env${params}): AuthLike {`,
    ...(auth.plugins.includes('apiKey') ? [
      `  const auth = createAuth(db, env${args});`,
      '  const apiKeys: ApiKeys = {',
      '    verify: async (key) => (await auth.api.verifyApiKey({ body: { key } })) as ApiKeyVerdict,',
      '    userById: async (id) => {',
      `      const [row] = await db.select({ id: authSchema.${userTable}.id, email: authSchema.${userTable}.email, name: authSchema.${userTable}.name${auth.plugins.includes('admin') ? `, role: authSchema.${userTable}.role` : ''} })`,
      `        .from(authSchema.${userTable}).where(eq(authSchema.${userTable}.id, id)).limit(1);`,
      '      return row ?? null;',
      '    },',
      '  };',
      '  return { handler: (request) => auth.handler(request), api: auth.api as unknown as AuthLike["api"], apiKeys };',
    ] : [`  return createAuth(db, env${args}) as unknown as AuthLike;`]),
    '}',
    '',
    ...memberLookup(model),
    '',
    ...teamLookup(model),
  ));
}
