/**
 * @module compiler/validate/schema/providers
 * Zod schemas of the provider descriptors' options, mirroring src/dsl/providers.ts exactly.
 * Every option the DSL types declare is accepted here; whether the selected target supports it
 * is the capability rule's decision (QB_VALIDATE_NOT_SUPPORTED), never the schema's.
 */
import * as z from 'zod';

export const runtimeKinds = ['cloudflare', 'node', 'bun'] as const;
export const databaseKinds = ['cloudflare-d1', 'better-sqlite3', 'libsql', 'neon', 'supabase'] as const;
export const authKinds = ['better-auth', 'supabase-auth', 'external'] as const;
export const storageKinds = ['kv', 'r2', 'memory', 'redis'] as const;
export const fileStorageKinds = ['r2', 'cloudflare-r2'] as const;
export const authPluginNames = [
  'organization',
  'admin',
  'apiKey',
  'anonymous',
  'upgradeAnonymous',
  'twoFactor',
  'passkey',
  'magicLink',
  'emailOtp',
  'deviceAuthorization',
  'jwt',
  'openAPI',
  'bearer',
  'oauthProvider',
] as const;

const rate = z.number().min(0).max(1);
const channel = {
  enabled: z.boolean().optional(),
  destinations: z.array(z.string()).optional(),
  headSamplingRate: rate.optional(),
  persist: z.boolean().optional(),
};

export const runtimeOptionsSchema = z.strictObject({
  compatibilityDate: z.string().optional(),
  placement: z.strictObject({ mode: z.enum(['smart', 'standard']) }).optional(),
  observability: z.strictObject({
    enabled: z.boolean().optional(),
    headSamplingRate: rate.optional(),
    logs: z.strictObject({ ...channel, invocationLogs: z.boolean().optional() }).optional(),
    traces: z.strictObject(channel).optional(),
  }).optional(),
  routes: z.array(z.strictObject({ pattern: z.string(), custom_domain: z.boolean().optional() })).optional(),
});

const optionalString = z.string().optional();
const remoteFlags = z.strictObject({
  auth: z.boolean().optional(),
  features: z.boolean().optional(),
  audit: z.boolean().optional(),
  webhooks: z.boolean().optional(),
  files: z.boolean().optional(),
});
const wsTicket = z.strictObject({ role: z.string(), requestField: z.string(), scopeTable: z.string() });

export const databaseOptionsSchema = z.strictObject({
  generateId: z.literal(['uuid', 'cuid', 'nanoid', 'short', 'prefixed', 'serial', false]).optional(),
  namingConvention: z.enum(['camelCase', 'snake_case']).optional(),
  usePlurals: z.boolean().optional(),
  splitDatabases: z.boolean().optional(),
  authBinding: optionalString,
  featuresBinding: optionalString,
  webhooksBinding: optionalString,
  auditBinding: optionalString,
  databaseId: optionalString,
  authDatabaseId: optionalString,
  featuresDatabaseId: optionalString,
  filesDatabaseId: optionalString,
  webhooksDatabaseId: optionalString,
  auditDatabaseName: optionalString,
  auditDatabaseId: optionalString,
  kvNamespaceId: optionalString,
  experimentalRemote: remoteFlags.optional(),
  realtime: z.union([z.boolean(), z.strictObject({ enabled: z.boolean().optional(), wsTicket: wsTicket.optional() })])
    .optional(),
  webhookAdminRoles: z.array(z.string()).optional(),
  vars: z.record(z.string(), z.string()).optional(),
  connectionMode: z.enum(['http', 'websocket', 'auto']).optional(),
  pooled: z.boolean().optional(),
});

const socialProvider = z.union([
  z.boolean(),
  z.strictObject({ clientId: optionalString, clientSecret: optionalString, enabled: z.boolean().optional() }),
]).optional();
const pluginToggle = z.union([z.boolean(), z.record(z.string(), z.unknown())]).optional();

export const authOptionsSchema = z.strictObject({
  emailAndPassword: z.union([
    z.boolean(),
    z.strictObject({
      enabled: z.boolean().optional(),
      requireEmailVerification: z.boolean().optional(),
      minPasswordLength: z.number().int().positive().optional(),
      maxPasswordLength: z.number().int().positive().optional(),
      autoSignIn: z.boolean().optional(),
    }),
  ]).optional(),
  session: z.strictObject({
    expiresInDays: z.number().positive().optional(),
    updateAgeInDays: z.number().min(0).optional(),
  }).optional(),
  rateLimit: z.strictObject({
    enabled: z.boolean().optional(),
    window: z.number().int().positive().optional(),
    max: z.number().int().positive().optional(),
    customRules: z.record(
      z.string(),
      z.strictObject({ window: z.number().int().positive(), max: z.number().int().positive() }),
    ).optional(),
  }).optional(),
  socialProviders: z.strictObject({ google: socialProvider, github: socialProvider, discord: socialProvider })
    .optional(),
  debugLogs: z.boolean().optional(),
  plugins: z.union([
    z.array(z.enum(authPluginNames)),
    z.strictObject(
      Object.fromEntries(authPluginNames.map((name) => [name, pluginToggle])) as Record<
        (typeof authPluginNames)[number],
        typeof pluginToggle
      >,
    ),
  ]).optional(),
  trustedOrigins: z.array(z.string()).optional(),
  kvId: optionalString,
  service: optionalString,
  binding: optionalString,
  basePath: optionalString,
  proxy: z.boolean().optional(),
});

export const storageOptionsSchema = z.strictObject({
  binding: optionalString,
  namespaceId: optionalString,
  url: optionalString,
});

export const fileStorageOptionsSchema = z.strictObject({
  binding: optionalString,
  bucketName: optionalString,
  managed: z.boolean().optional(),
  maxFileSize: optionalString,
  allowedTypes: z.array(z.string()).optional(),
  publicDomain: optionalString,
  userScopedBuckets: z.boolean().optional(),
});

/** A provider descriptor `{ provider, kind, options }` as made by `defineRuntime(...)` and friends. */
export function descriptorSchema<S extends string, O extends z.ZodType>(
  slot: S,
  kinds: readonly [string, ...string[]],
  options: O,
) {
  return z.strictObject({ provider: z.literal(slot), kind: z.enum(kinds), options });
}
