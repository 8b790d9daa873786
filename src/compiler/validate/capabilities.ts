/**
 * @module compiler/validate/capabilities
 * The one table of what this edition builds. The schemas accept every documented option; an
 * option or target marked `built: false` here is reported as QB_VALIDATE_NOT_SUPPORTED when it
 * is set, never ignored. Building something means flipping its entry to `built: true`.
 */

export interface CapabilityEntry {
  /** Dotted path as written (`auth.jwt`, `providers.database.realtime`, `read.views`). */
  path: string;
  built: boolean;
  /** What it is, for the message. */
  what: string;
  /** Only this value is meant (e.g. `template: "nextjs"`); otherwise any value that is set. */
  value?: unknown;
  /** Provider options: the kinds of the slot this option belongs to (all kinds when absent). */
  appliesTo?: readonly string[];
  hint?: string;
}

/** Provider slots and their kinds. A slot marked false is rejected as a whole. */
export const providerCapabilities = {
  runtime: { built: true, kinds: { node: true, bun: true, cloudflare: true } },
  database: {
    built: true,
    kinds: { 'better-sqlite3': true, libsql: true, 'cloudflare-d1': true, neon: true, supabase: true },
  },
  auth: { built: true, kinds: { 'better-auth': true, 'supabase-auth': true, external: true } },
  storage: { built: true, kinds: { kv: true, r2: false, memory: true, redis: true } },
  fileStorage: { built: true, kinds: { r2: true, 'cloudflare-r2': true } },
} as const satisfies Record<string, { built: boolean; kinds: Record<string, boolean> }>;

const CF = ['cloudflare'] as const;
const D1 = ['cloudflare-d1'] as const;
const BETTER_AUTH = ['better-auth'] as const;
const ON_AUTH_WORKER =
  'With defineAuth("external") the auth Worker owns users and sessions: set it on that Worker\'s Better Auth.';
const cf = (path: string, what: string, appliesTo: readonly string[] = CF): CapabilityEntry => ({
  path,
  built: true,
  what,
  appliesTo,
});

/** Provider options (paths without the word `options`). */
export const providerOptionCapabilities: readonly CapabilityEntry[] = [
  cf('providers.runtime.compatibilityDate', 'The Cloudflare compatibility date'),
  cf('providers.runtime.placement', 'Cloudflare smart placement'),
  cf('providers.runtime.observability', 'Cloudflare Workers observability'),
  cf('providers.runtime.routes', 'Cloudflare Worker routes'),
  ...['generateId', 'namingConvention', 'usePlurals', 'splitDatabases', 'vars'].map((o) => ({
    path: `providers.database.${o}`,
    built: true,
    what: o,
  })),
  // webhooksBinding is also the switch `quickback enable webhooks` writes: webhooks on, on every database.
  { path: 'providers.database.webhooksBinding', built: true, what: 'Webhooks (`webhooksBinding`)' },
  ...[
    'authBinding',
    'featuresBinding',
    'auditBinding',
    'databaseId',
    'authDatabaseId',
    'featuresDatabaseId',
    'filesDatabaseId',
    'webhooksDatabaseId',
    'auditDatabaseName',
    'auditDatabaseId',
    'kvNamespaceId',
    'experimentalRemote',
  ].map((o) => cf(`providers.database.${o}`, `The D1 option \`${o}\``, D1)),
  { path: 'providers.database.realtime', built: true, what: 'Realtime broadcasting (`realtime`)' },
  { path: 'providers.database.webhookAdminRoles', built: true, what: 'Webhooks (`webhookAdminRoles`)' },
  {
    path: 'providers.database.connectionMode',
    built: true,
    what: 'The Neon option `connectionMode`',
    appliesTo: ['neon'],
  },
  { path: 'providers.database.pooled', built: true, what: 'The Neon option `pooled`', appliesTo: ['neon'] },
  ...['emailAndPassword', 'session', 'rateLimit', 'socialProviders', 'debugLogs', 'plugins'].map((o) => ({
    path: `providers.auth.${o}`,
    built: true,
    what: `The Better Auth option \`${o}\``,
    appliesTo: BETTER_AUTH,
    hint: ON_AUTH_WORKER,
  })),
  { path: 'providers.auth.trustedOrigins', built: true, what: 'trustedOrigins' },
  {
    path: 'providers.auth.kvId',
    built: true,
    what: 'A Cloudflare KV namespace for auth sessions (`kvId`)',
    appliesTo: BETTER_AUTH,
    hint: ON_AUTH_WORKER,
  },
  ...['service', 'binding', 'basePath', 'proxy'].map((o) =>
    cf(`providers.auth.${o}`, `The external auth option \`${o}\``, ['external'])
  ),
];

/** Better Auth plugins (array form, or object form where `false` means off). */
export const authPluginCapabilities: Record<string, boolean> = {
  organization: true,
  apiKey: true,
  admin: true,
  anonymous: true,
  jwt: true,
  openAPI: true,
  bearer: true,
  twoFactor: true,
  upgradeAnonymous: true,
  passkey: true,
  magicLink: true,
  emailOtp: true,
  deviceAuthorization: true,
  oauthProvider: true,
};

const off = (path: string, what: string, extra: Partial<CapabilityEntry> = {}): CapabilityEntry => ({
  path,
  built: false,
  what,
  ...extra,
});
const on = (path: string): CapabilityEntry => ({ path, built: true, what: path });

/** Top-level config keys. */
export const configCapabilities: readonly CapabilityEntry[] = [
  ...[
    'name',
    'providers',
    'features.organizations',
    'auth.roleHierarchy',
    'trustedOrigins',
    'dev.port',
    'build.outputDir',
    'build.packageManager',
    'build.dependencies',
    'compiler.migrations.renames',
  ].map(on),
  off('template', 'The Next.js template (`template: "nextjs"`)', {
    value: 'nextjs',
    hint: 'Use template: "hono" or leave it out.',
  }),
  off('features.pinnedOrganizationId', 'Single-tenant pinning (`features.pinnedOrganizationId`)'),
  on('auth.jwt'),
  on('auth.jwt.revocationCheck'),
  ...(['RS256', 'EdDSA'] as const).map((alg) =>
    off('auth.jwt.algorithm', `Asymmetric bearer tokens (\`auth.jwt.algorithm: "${alg}"\`)`, {
      value: alg,
      hint: 'Use "HS256" (the default): the API signs and verifies its own tokens with the shared secret.',
    })
  ),
  on('auth.loginUrl'),
  on('auth.profileUrl'),
  off('domain', 'A custom domain (`domain`)'),
  on('email'),
  off('cms', 'The CMS (`cms`)'),
  off('account', 'The Account UI (`account`)'),
  on('openapi.generate'),
  on('openapi.publish'),
  on('schemaRegistry'),
  ...(['scalar', 'swagger'] as const).map((ui) =>
    off('openapi.docs', `The ${ui} API reference page (\`openapi.docs: "${ui}"\`)`, {
      value: ui,
      hint: 'Point a viewer of your choice at /openapi.json; the page is not built.',
    })
  ),
  on('etag'),
  on('security'),
  off('agents', 'Agent discovery files (`agents`)'),
  on('webhooks'),
  on('authz'),
  off('compiler.securityContracts', 'Security contracts (`compiler.securityContracts`)'),
];

/** Keys of a resource's config (feature() / defineTable()). */
export const resourceCapabilities: readonly CapabilityEntry[] = [
  ...[
    'unique',
    'firewall',
    'firewallErrorMode',
    'read.access',
    'crud.create',
    'crud.update',
    'crud.delete',
    'create',
    'update',
    'delete',
    'internal',
    'guards',
    'masking',
    'read.views',
    'read.defaultView',
  ].map(on),
  on('realtime'),
  on('webhooks'),
  off('embeddings', 'Embeddings (`embeddings`)'),
  off('references', 'The CMS reference label map (`references`)', {
    hint: 'Foreign keys are declared on the column: q.text().references("customers").',
  }),
  off('displayColumn', 'CMS metadata (`displayColumn`)'),
  off('defaultSort', 'CMS metadata (`defaultSort`)'),
  off('inputHints', 'CMS metadata (`inputHints`)'),
  off('layouts', 'CMS layouts (`layouts`)'),
  off('validation', 'Custom validation (`validation`)'),
];

/** `crud` toggles besides create/update/delete. */
export const crudToggleCapabilities: Record<string, boolean> = {
  put: true,
  batchCreate: true,
  batchUpdate: true,
  batchDelete: true,
  batchUpsert: true,
};

/** Everything else that is a single switch. */
export const featureCapabilities = {
  /** `access: (ctx, record) => boolean`. */
  functionAccess: false,
} as const;

/** The message every NOT_SUPPORTED diagnostic uses. */
export function notSupported(what: string, target: string): string {
  return `${what} is not supported yet for ${target}`;
}
