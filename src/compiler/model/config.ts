/**
 * @module compiler/model/config
 * Applies the config defaults once: runtime, database, auth (plugins, session seconds, social
 * providers from env), env vars, build and migration options.
 */
import type { QuickbackConfigInput } from '../../dsl/config.js';
import type { AuthOptions, AuthPluginName } from '../../dsl/providers.js';
import type { AppModel, AuthModel, AuthPlugin, DatabaseModel } from './ir.js';
import { AUTH_PLUGIN_ORDER } from './auth/tables.js';
import { DEFAULT_BINDINGS } from './cloudflare.js';

/** `wrangler dev`'s port (wrangler.toml [dev]) unless `dev.port` says otherwise. */
export const WRANGLER_DEV_PORT = 8787;
export const DEFAULT_ROLE_HIERARCHY = ['member', 'admin', 'owner'];
const DAY = 86_400;

export function organizationsEnabled(config: QuickbackConfigInput): boolean {
  const features = config.features;
  if (Array.isArray(features)) return features.includes('organizations');
  return features?.organizations === true;
}

export function databaseModel(config: QuickbackConfigInput): DatabaseModel {
  const { kind, options } = config.providers.database;
  // External or Supabase auth: no auth database, so nothing to split off.
  const external = config.providers.auth?.kind === 'external' || config.providers.auth?.kind === 'supabase-auth';
  const postgres = kind === 'neon' || kind === 'supabase';
  return {
    kind: kind as DatabaseModel['kind'],
    dialect: postgres ? 'postgresql' : 'sqlite',
    generateId: options.generateId ?? 'prefixed',
    namingConvention: options.namingConvention ?? 'snake_case',
    usePlurals: options.usePlurals ?? false,
    // PostgreSQL: one database, so RLS helpers can read Better Auth's members and sessions.
    splitDatabases: !external && !postgres && (options.splitDatabases ?? true),
    ...(kind === 'neon'
      ? {
        neon: neonModel(
          options.connectionMode ?? 'auto',
          options.pooled ?? true,
          config.providers.runtime.kind === 'cloudflare',
        ),
      }
      : {}),
  };
}

/** `auto`: HTTP on Workers (a fetch per query, no socket to hold), WebSocket on Node and Bun. */
function neonModel(
  connectionMode: 'http' | 'websocket' | 'auto',
  pooled: boolean,
  workers: boolean,
): NonNullable<DatabaseModel['neon']> {
  return {
    connectionMode,
    pooled,
    transport: connectionMode === 'http' || (connectionMode === 'auto' && workers) ? 'http' : 'websocket',
  };
}

function enabledPlugins(options: AuthOptions, organizations: boolean, neon: boolean): AuthPlugin[] {
  const named = new Set<AuthPluginName>();
  if (Array.isArray(options.plugins)) options.plugins.forEach((p) => named.add(p));
  else for (const [name, on] of Object.entries(options.plugins ?? {})) if (on) named.add(name as AuthPluginName);
  if (organizations) {
    named.add('organization');
    named.add('apiKey');
  }
  if (named.has('upgradeAnonymous')) named.add('anonymous');
  // @better-auth/oauth-provider signs its access tokens with Better Auth's jwt plugin (seed 002);
  // Neon Authorize verifies the same tokens against its JWKS (seed 001: /auth/v1/.well-known/jwks.json).
  if (named.has('oauthProvider') || neon) named.add('jwt');
  return AUTH_PLUGIN_ORDER.filter((p) => p !== 'teams' && named.has(p));
}

/** Object-form plugin options (`{ apiKey: { rateLimit: {...} } }`), sorted by plugin name. */
function pluginOptions(options: AuthOptions): AuthModel['pluginOptions'] {
  if (Array.isArray(options.plugins) || !options.plugins) return {};
  return Object.fromEntries(
    Object.entries(options.plugins)
      .filter((entry): entry is [string, Record<string, unknown>] =>
        typeof entry[1] === 'object' && entry[1] !== null && Object.keys(entry[1]).length > 0
      )
      .sort(([a], [b]) => (a < b ? -1 : 1)),
  );
}

function emailAndPassword(value: AuthOptions['emailAndPassword']): AuthModel['emailAndPassword'] {
  if (value === undefined || value === true) return { enabled: true };
  if (value === false) return { enabled: false };
  return { ...value, enabled: value.enabled ?? true };
}

/** Better Auth's base path in every Quickback app (and the external provider's default). */
export const AUTH_BASE_PATH = '/auth/v1';

function externalAuth(config: QuickbackConfigInput): AuthModel['external'] {
  const auth = config.providers.auth;
  if (auth?.kind !== 'external') return undefined;
  const { binding, service, basePath, proxy } = auth.options ?? {};
  return {
    binding: binding ?? DEFAULT_BINDINGS.authService,
    service: service ?? '',
    basePath: basePath ?? AUTH_BASE_PATH,
    proxy: proxy ?? true,
  };
}

export function authModel(config: QuickbackConfigInput): Omit<AuthModel, 'tables'> {
  const external = externalAuth(config);
  // Supabase Auth: users, sessions and sign-in live in Supabase; this API verifies its tokens.
  const supabase = config.providers.auth?.kind === 'supabase-auth';
  // External auth: the Better Auth options (and plugins) belong to the auth Worker.
  const options: AuthOptions = external ? {} : config.providers.auth?.options ?? {};
  const organizations = organizationsEnabled(config);
  const session = options.session
    ? {
      expiresIn: options.session.expiresInDays === undefined
        ? undefined
        : Math.round(options.session.expiresInDays * DAY),
      updateAge: options.session.updateAgeInDays === undefined
        ? undefined
        : Math.round(options.session.updateAgeInDays * DAY),
    }
    : undefined;
  const socialProviders = (['discord', 'github', 'google'] as const)
    .filter((id) => {
      const p = options.socialProviders?.[id];
      return p === true || (typeof p === 'object' && p !== null && p.enabled !== false);
    })
    .map((id) => ({
      id,
      clientIdEnv: `${id.toUpperCase()}_CLIENT_ID`,
      clientSecretEnv: `${id.toUpperCase()}_CLIENT_SECRET`,
    }));
  return {
    provider: external ? 'external' : supabase ? 'supabase-auth' : 'better-auth',
    ...(external ? { external } : {}),
    emailAndPassword: emailAndPassword(options.emailAndPassword),
    session,
    rateLimit: options.rateLimit,
    socialProviders,
    debugLogs: options.debugLogs ?? false,
    plugins: external || supabase
      ? []
      : enabledPlugins(options, organizations, config.providers.database.kind === 'neon'),
    pluginOptions: external || supabase ? {} : pluginOptions(options),
    organizations,
    roleHierarchy: config.auth?.roleHierarchy ?? DEFAULT_ROLE_HIERARCHY,
    trustedOrigins: [
      ...new Set([...(config.trustedOrigins ?? []), ...(config.providers.auth?.options?.trustedOrigins ?? [])]),
    ].sort(),
  };
}

export function sortedRecord(record: Record<string, string> | undefined): Record<string, string> {
  return Object.fromEntries(Object.entries(record ?? {}).sort(([a], [b]) => (a < b ? -1 : 1)));
}

export function appSettings(
  config: QuickbackConfigInput,
): Pick<AppModel, 'name' | 'runtime' | 'vars' | 'trustedOrigins' | 'build' | 'migrations'> {
  return {
    name: config.name,
    runtime: {
      kind: config.providers.runtime.kind as AppModel['runtime']['kind'],
      port: config.dev?.port ?? (config.providers.runtime.kind === 'cloudflare' ? WRANGLER_DEV_PORT : 3000),
    },
    vars: sortedRecord(config.providers.database.options.vars),
    trustedOrigins: [...new Set(config.trustedOrigins ?? [])].sort(),
    build: {
      outputDir: config.build?.outputDir ?? '.',
      packageManager: config.build?.packageManager ?? 'npm',
      dependencies: sortedRecord(config.build?.dependencies),
    },
    migrations: {
      renames: {
        tables: sortedRecord(config.compiler?.migrations?.renames?.tables),
        columns: sortedRecord(config.compiler?.migrations?.renames?.columns),
      },
    },
  };
}

export const DEFAULT_JWT_TTL = 180;

/** `auth.jwt` with its defaults (seed 004): an empty block equals no block. */
export function jwtModel(config: QuickbackConfigInput): AppModel['jwt'] {
  const jwt = config.auth?.jwt;
  if (config.providers.auth?.kind === 'external' && jwt === undefined) return null;
  // Supabase Auth's access tokens are the bearer tokens; this API mints none.
  if (config.providers.auth?.kind === 'supabase-auth') return null;
  return {
    secretEnv: jwt?.secretEnv ?? 'BETTER_AUTH_SECRET',
    expiresIn: jwt?.expiresIn ?? DEFAULT_JWT_TTL,
    ...(jwt?.issuer !== undefined ? { issuer: jwt.issuer } : {}),
    ...(jwt?.audience !== undefined ? { audience: jwt.audience } : {}),
    // The denylist: Workers KV on Cloudflare, the storage provider (Redis or memory) on Node and Bun.
    ...(jwt?.revocationCheck === 'kv'
      ? {
        revocation: config.providers.runtime.kind === 'cloudflare'
          ? 'kv' as const
          : storageModel(config)?.kind ?? 'memory',
      }
      : {}),
  };
}

export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';

/**
 * The storage provider of a Node or Bun app (KV on Workers is a binding: model.cloudflare.kv).
 * Off Cloudflare, `kv` is Redis (seed 000: "Key-value storage (Cloudflare KV, Redis)"), so a
 * project moves off Workers without touching its storage.
 */
export function storageModel(config: QuickbackConfigInput): AppModel['storage'] {
  const storage = config.providers.storage;
  if (config.providers.runtime.kind === 'cloudflare' || !storage) return null;
  if (storage.kind === 'redis' || storage.kind === 'kv')
    return { kind: 'redis', url: storage.options?.url ?? DEFAULT_REDIS_URL };
  return storage.kind === 'memory' ? { kind: 'memory' } : null;
}

/**
 * The email transport (seed 002) when something sends email (magicLink, emailOtp) or `email` is
 * set: SES when asked for, else Cloudflare Email Sending on Workers and the dev outbox on Node/Bun.
 */
export function emailModel(config: QuickbackConfigInput, plugins: readonly AuthPlugin[]): AppModel['email'] {
  if (config.providers.auth?.kind === 'external' || config.providers.auth?.kind === 'supabase-auth') return null;
  if (config.email === undefined && !plugins.includes('magicLink') && !plugins.includes('emailOtp')) return null;
  const email = config.email ?? {};
  const transport = email.provider ?? (config.providers.runtime.kind === 'cloudflare' ? 'cloudflare' : 'outbox');
  return {
    transport,
    ...(email.from !== undefined ? { from: email.from } : {}),
    ...(email.fromName !== undefined ? { fromName: email.fromName } : {}),
  };
}
