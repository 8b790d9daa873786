/**
 * @module compiler/validate/schema/config
 * The zod schema of `defineConfig({...})`, mirroring QuickbackConfigInput (src/dsl/config.ts).
 * Strict objects everywhere: an unknown key is reported with the nearest valid key.
 */
import * as z from 'zod';
import {
  authKinds,
  authOptionsSchema,
  databaseKinds,
  databaseOptionsSchema,
  descriptorSchema,
  fileStorageKinds,
  fileStorageOptionsSchema,
  runtimeKinds,
  runtimeOptionsSchema,
  storageKinds,
  storageOptionsSchema,
} from './providers.js';

export const providerSlots = {
  runtime: { define: 'defineRuntime', kinds: runtimeKinds, options: runtimeOptionsSchema },
  database: { define: 'defineDatabase', kinds: databaseKinds, options: databaseOptionsSchema },
  auth: { define: 'defineAuth', kinds: authKinds, options: authOptionsSchema },
  storage: { define: 'defineStorage', kinds: storageKinds, options: storageOptionsSchema },
  fileStorage: { define: 'defineFileStorage', kinds: fileStorageKinds, options: fileStorageOptionsSchema },
} as const;
export type ProviderSlot = keyof typeof providerSlots;

export const jwtSchema = z.strictObject({
  expiresIn: z.number().int().positive().optional(),
  issuer: z.string().optional(),
  audience: z.string().optional(),
  secretEnv: z.string().optional(),
  algorithm: z.enum(['HS256', 'RS256', 'EdDSA']).optional(),
  revocationCheck: z.enum(['none', 'kv']).optional(),
});

const strings = z.record(z.string(), z.string());
const flag = z.boolean().optional();
const toggleOrObject = z.union([z.boolean(), z.record(z.string(), z.unknown())]).optional();
const falseOrObject = z.union([z.literal(false), z.record(z.string(), z.unknown())]).optional();

export const providersSchema = z.strictObject({
  runtime: descriptorSchema('runtime', runtimeKinds, runtimeOptionsSchema),
  database: descriptorSchema('database', databaseKinds, databaseOptionsSchema),
  auth: descriptorSchema('auth', authKinds, authOptionsSchema).optional(),
  storage: descriptorSchema('storage', storageKinds, storageOptionsSchema).optional(),
  fileStorage: descriptorSchema('fileStorage', fileStorageKinds, fileStorageOptionsSchema).optional(),
});

const sources = z.array(z.string());
const securitySchema = z.union([
  z.literal(false),
  z.strictObject({
    csp: z.union([z.literal(false), z.record(z.string().regex(/^[a-z][A-Za-z]*$/), sources)]).optional(),
    coop: z.literal([false, 'same-origin', 'same-origin-allow-popups', 'unsafe-none']).optional(),
    coep: z.literal([false, 'require-corp', 'credentialless', 'unsafe-none']).optional(),
    corp: z.literal([false, 'same-origin', 'same-site', 'cross-origin']).optional(),
    referrerPolicy: z.union([z.literal(false), z.string()]).optional(),
    permissionsPolicy: z.union([z.literal(false), z.record(z.string().regex(/^[a-z][A-Za-z]*$/), sources)]).optional(),
    hsts: z.union([
      z.literal(false),
      z.strictObject({ maxAge: z.number().int().min(0).optional(), includeSubDomains: flag, preload: flag }),
    ]).optional(),
    frameOptions: z.literal([false, 'DENY', 'SAMEORIGIN']).optional(),
  }),
]).optional();

export const configSchema = z.strictObject({
  name: z.string().min(1),
  template: z.enum(['hono', 'nextjs']).optional(),
  providers: providersSchema,
  features: z.union([
    z.array(z.literal('organizations')),
    z.strictObject({ organizations: flag, pinnedOrganizationId: z.string().optional() }),
  ]).optional(),
  auth: z.strictObject({
    roleHierarchy: z.array(z.string()).optional(),
    jwt: jwtSchema.optional(),
    loginUrl: z.string().optional(),
    profileUrl: z.string().optional(),
  }).optional(),
  trustedOrigins: z.array(z.string()).optional(),
  domain: z.string().optional(),
  dev: z.strictObject({ port: z.number().int().min(1).max(65535).optional() }).optional(),
  build: z.strictObject({
    outputDir: z.string().optional(),
    packageManager: z.enum(['npm', 'pnpm', 'yarn', 'bun']).optional(),
    dependencies: strings.optional(),
  }).optional(),
  compiler: z.strictObject({
    migrations: z.strictObject({
      renames: z.strictObject({ tables: strings.optional(), columns: strings.optional() }).optional(),
    }).optional(),
    securityContracts: z.record(z.string(), z.unknown()).optional(),
  }).optional(),
  email: z.strictObject({
    provider: z.enum(['aws-ses', 'cloudflare']).optional(),
    from: z.string().optional(),
    fromName: z.string().optional(),
  }).optional(),
  cms: toggleOrObject,
  account: toggleOrObject,
  openapi: z.strictObject({ generate: flag, publish: flag, docs: z.literal([false, 'scalar', 'swagger']).optional() })
    .optional(),
  schemaRegistry: z.strictObject({ generate: flag }).optional(),
  etag: z.strictObject({ enabled: flag }).optional(),
  security: securitySchema,
  agents: falseOrObject,
  webhooks: z.strictObject({ allowInsecure: flag }).optional(),
  authz: z.strictObject({ roles: z.record(z.string(), z.strictObject({ via: z.string() })).optional() }).optional(),
});
