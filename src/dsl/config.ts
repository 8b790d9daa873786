/**
 * @module dsl/config
 * `defineConfig`: the project configuration in quickback/quickback.config.ts.
 * @example
 * export default defineConfig({
 *   name: "my-app",
 *   providers: {
 *     runtime: defineRuntime("node"),
 *     database: defineDatabase("better-sqlite3"),
 *     auth: defineAuth("better-auth"),
 *   },
 *   features: { organizations: true },
 *   auth: { roleHierarchy: ["member", "admin", "owner"] },
 * });
 */
import { brand, type Branded } from './kind.js';
import type {
  AuthProvider,
  DatabaseProvider,
  FileStorageProvider,
  RuntimeProvider,
  StorageProvider,
} from './providers.js';

export interface JwtOptions {
  /** TTL in seconds (default 180). */
  expiresIn?: number;
  issuer?: string;
  audience?: string;
  /** Env var holding the signing secret (default BETTER_AUTH_SECRET). */
  secretEnv?: string;
  /** Only HS256 is built; RS256 and EdDSA are refused at compile time (QB_VALIDATE_NOT_SUPPORTED). */
  algorithm?: 'HS256' | 'RS256' | 'EdDSA';
  revocationCheck?: 'none' | 'kv';
}

export interface AppAuthOptions {
  /** Lowest-to-highest privilege; enables `"role+"` in access rules. Default member, admin, owner. */
  roleHierarchy?: string[];
  jwt?: JwtOptions;
  loginUrl?: string;
  profileUrl?: string;
}

export interface MigrationRenames {
  /** `{ oldTable: "newTable" }` (SQL table names). */
  tables?: Record<string, string>;
  /** `{ "table.oldColumn": "newColumn" }` (SQL names). */
  columns?: Record<string, string>;
}

/** Response security headers (reference §2.4); `false` on a field drops that header. */
export interface SecurityOptions {
  /** CSP directives in camelCase (`defaultSrc`, `imgSrc`, ...); sources like `@self` or `https://cdn.example.com`. */
  csp?: false | Record<string, string[]>;
  coop?: false | 'same-origin' | 'same-origin-allow-popups' | 'unsafe-none';
  coep?: false | 'require-corp' | 'credentialless' | 'unsafe-none';
  corp?: false | 'same-origin' | 'same-site' | 'cross-origin';
  referrerPolicy?: false | string;
  /** `{ camera: [], geolocation: ["@self"] }` → `camera=(), geolocation=(self)`. */
  permissionsPolicy?: false | Record<string, string[]>;
  hsts?: false | { maxAge?: number; includeSubDomains?: boolean; preload?: boolean };
  frameOptions?: false | 'DENY' | 'SAMEORIGIN';
}

export interface QuickbackConfigInput {
  name: string;
  template?: 'hono' | 'nextjs';
  providers: {
    runtime: RuntimeProvider;
    database: DatabaseProvider;
    auth?: AuthProvider;
    storage?: StorageProvider;
    fileStorage?: FileStorageProvider;
  };
  features?: string[] | { organizations?: boolean; pinnedOrganizationId?: string };
  auth?: AppAuthOptions;
  trustedOrigins?: string[];
  domain?: string;
  dev?: { port?: number };
  build?: {
    outputDir?: string;
    packageManager?: 'npm' | 'pnpm' | 'yarn' | 'bun';
    dependencies?: Record<string, string>;
  };
  compiler?: { migrations?: { renames?: MigrationRenames }; securityContracts?: Record<string, unknown> };
  email?: { provider?: 'aws-ses' | 'cloudflare'; from?: string; fromName?: string };
  cms?: boolean | Record<string, unknown>;
  account?: boolean | Record<string, unknown>;
  openapi?: { generate?: boolean; publish?: boolean; docs?: false | 'scalar' | 'swagger' };
  schemaRegistry?: { generate?: boolean };
  etag?: { enabled?: boolean };
  security?: false | SecurityOptions;
  agents?: false | Record<string, unknown>;
  webhooks?: { allowInsecure?: boolean };
  /** Relationship roles (seed 000, `realtime.wsTicket`): a caller holds `<role>` on a row of the scope table when a row of `via` links them to it. */
  authz?: { roles?: Record<string, { via: string }> };
}

export type QuickbackConfig = Branded<'config', QuickbackConfigInput>;

/** Declares the project configuration (identity function plus a brand the compiler recognises). */
export function defineConfig(config: QuickbackConfigInput): QuickbackConfig {
  return brand('config', { ...config });
}
