/**
 * @module dsl/providers
 * `defineRuntime`, `defineDatabase`, `defineAuth`, `defineStorage`, `defineFileStorage`: the
 * provider descriptors of `providers` in quickback.config.ts, with every option of the
 * Providers page (seed 000). The compiler validates them; options for targets that are not
 * built yet are rejected with QB_VALIDATE_NOT_SUPPORTED, never ignored.
 */
import { brand, type Branded } from './kind.js';

export type RuntimeKind = 'cloudflare' | 'node' | 'bun';
export type DatabaseKind = 'cloudflare-d1' | 'better-sqlite3' | 'libsql' | 'neon' | 'supabase';
export type AuthKind = 'better-auth' | 'supabase-auth' | 'external';
export type StorageKind = 'kv' | 'r2' | 'memory' | 'redis';
export type FileStorageKind = 'r2' | 'cloudflare-r2';

export interface ObservabilityChannel {
  enabled?: boolean;
  destinations?: string[];
  headSamplingRate?: number;
  persist?: boolean;
}
export interface RuntimeOptions {
  compatibilityDate?: string;
  placement?: { mode: 'smart' | 'standard' };
  observability?: {
    enabled?: boolean;
    headSamplingRate?: number;
    logs?: ObservabilityChannel & { invocationLogs?: boolean };
    traces?: ObservabilityChannel;
  };
  routes?: { pattern: string; custom_domain?: boolean }[];
}

export type GenerateId = 'uuid' | 'cuid' | 'nanoid' | 'short' | 'prefixed' | 'serial' | false;
export interface DatabaseOptions {
  generateId?: GenerateId;
  namingConvention?: 'camelCase' | 'snake_case';
  usePlurals?: boolean;
  splitDatabases?: boolean;
  authBinding?: string;
  featuresBinding?: string;
  webhooksBinding?: string;
  auditBinding?: string;
  databaseId?: string;
  authDatabaseId?: string;
  featuresDatabaseId?: string;
  filesDatabaseId?: string;
  webhooksDatabaseId?: string;
  auditDatabaseName?: string;
  auditDatabaseId?: string;
  kvNamespaceId?: string;
  experimentalRemote?: { auth?: boolean; features?: boolean; audit?: boolean; webhooks?: boolean; files?: boolean };
  realtime?: boolean | { enabled?: boolean; wsTicket?: { role: string; requestField: string; scopeTable: string } };
  webhookAdminRoles?: string[];
  /** Non-secret environment values (for Node/Bun they become defaults in src/env.ts). */
  vars?: Record<string, string>;
  /** Neon only. */
  connectionMode?: 'http' | 'websocket' | 'auto';
  pooled?: boolean;
}

export type AuthPluginName =
  | 'organization'
  | 'admin'
  | 'apiKey'
  | 'anonymous'
  | 'upgradeAnonymous'
  | 'twoFactor'
  | 'passkey'
  | 'magicLink'
  | 'emailOtp'
  | 'deviceAuthorization'
  | 'jwt'
  | 'openAPI'
  | 'bearer'
  | 'oauthProvider';
export interface SocialProviderOptions {
  clientId?: string;
  clientSecret?: string;
  enabled?: boolean;
}
export interface AuthOptions {
  emailAndPassword?: boolean | {
    enabled?: boolean;
    requireEmailVerification?: boolean;
    minPasswordLength?: number;
    maxPasswordLength?: number;
    autoSignIn?: boolean;
  };
  session?: { expiresInDays?: number; updateAgeInDays?: number };
  rateLimit?: {
    enabled?: boolean;
    window?: number;
    max?: number;
    customRules?: Record<string, { window: number; max: number }>;
  };
  socialProviders?: {
    google?: SocialProviderOptions | boolean;
    github?: SocialProviderOptions | boolean;
    discord?: SocialProviderOptions | boolean;
  };
  debugLogs?: boolean;
  plugins?: AuthPluginName[] | Partial<Record<AuthPluginName, boolean | Record<string, unknown>>>;
  trustedOrigins?: string[];
  /** Cloudflare KV namespace for auth sessions. */
  kvId?: string;
  /** `external` only: the name of the Worker (a Better Auth server) this API binds as a service. */
  service?: string;
  /** `external` only: the service binding's name in wrangler.toml (default AUTH_SERVICE). */
  binding?: string;
  /** `external` only: where the service serves Better Auth (default "/auth/v1"). */
  basePath?: string;
  /** `external` only: forward this API's /auth/v1/* to the service (default true). */
  proxy?: boolean;
}

export interface StorageOptions {
  binding?: string;
  namespaceId?: string;
  url?: string;
}
export interface FileStorageOptions {
  binding?: string;
  bucketName?: string;
  managed?: boolean;
  maxFileSize?: string;
  allowedTypes?: string[];
  publicDomain?: string;
  userScopedBuckets?: boolean;
}

export type Provider<P extends string, K extends string, O> = Branded<'provider', { provider: P; kind: K; options: O }>;
export type RuntimeProvider = Provider<'runtime', RuntimeKind, RuntimeOptions>;
export type DatabaseProvider = Provider<'database', DatabaseKind, DatabaseOptions>;
export type AuthProvider = Provider<'auth', AuthKind, AuthOptions>;
export type StorageProvider = Provider<'storage', StorageKind, StorageOptions>;
export type FileStorageProvider = Provider<'fileStorage', FileStorageKind, FileStorageOptions>;

/** @example runtime: defineRuntime("node") */
export function defineRuntime(kind: RuntimeKind, options: RuntimeOptions = {}): RuntimeProvider {
  return brand('provider', { provider: 'runtime' as const, kind, options });
}
/** @example database: defineDatabase("better-sqlite3", { generateId: "prefixed" }) */
export function defineDatabase(kind: DatabaseKind, options: DatabaseOptions = {}): DatabaseProvider {
  return brand('provider', { provider: 'database' as const, kind, options });
}
/** @example auth: defineAuth("better-auth", { session: { expiresInDays: 7 } }) */
export function defineAuth(kind: AuthKind, options: AuthOptions = {}): AuthProvider {
  return brand('provider', { provider: 'auth' as const, kind, options });
}
/** @example storage: defineStorage("kv", { binding: "KV_STORE" }) */
export function defineStorage(kind: StorageKind, options: StorageOptions = {}): StorageProvider {
  return brand('provider', { provider: 'storage' as const, kind, options });
}
/** @example fileStorage: defineFileStorage("r2", { binding: "FILES", maxFileSize: "10mb" }) */
export function defineFileStorage(kind: FileStorageKind, options: FileStorageOptions = {}): FileStorageProvider {
  return brand('provider', { provider: 'fileStorage' as const, kind, options });
}
