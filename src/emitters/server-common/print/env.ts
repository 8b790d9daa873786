/**
 * @module emitters/server-common/print/env
 * `src/env.ts` for Node and Bun: typed env from process.env (plus `.env` outside production),
 * the `vars` defaults, the required secrets, and the CORS allowlist.
 */
import type { AppModel } from '../../../compiler/model/ir.js';
import { withBanner } from '../../banner.js';
import { indentTail, lines, literal } from '../../print-utils.js';

/**
 * The development marker: `quickback dev` sets it, and so do the local settings files the
 * scaffolder writes (`.env`; on Workers `.dev.vars`, which only `wrangler dev` reads). Without it
 * the app runs with production settings, whatever NODE_ENV says (wrangler.toml sets none).
 */
export const DEV_MARKER = 'QUICKBACK_DEV';

/** The bound on each call to a dependency (runtime deadline.ts). */
const DEPENDENCY_TIMEOUT = 'QUICKBACK_DEPENDENCY_TIMEOUT_MS';

/** The dependencies DEPENDENCY_TIMEOUT bounds, as .env.example names them. */
function dependencies(model: AppModel): string {
  if (model.runtime.kind === 'cloudflare')
    return model.database.dialect === 'postgresql' ? 'Workers KV' : 'D1 and Workers KV';
  return [model.storage?.kind === 'redis' ? 'Redis' : '', model.database.dialect === 'postgresql' ? 'PostgreSQL' : '']
    .filter(Boolean).join(' and ');
}

/** Secrets the API refuses to serve without (503 MISSING_ENV); with external auth the auth Worker holds Better Auth's. */
export function requiredEnv(model: AppModel): string[] {
  const secrets = [
    ...(model.auth.provider === 'better-auth'
      ? ['BETTER_AUTH_SECRET']
      : model.auth.provider === 'supabase-auth'
      ? ['SUPABASE_URL']
      : []),
    ...(model.jwt ? [model.jwt.secretEnv] : []),
    ...(model.encryption ? ['ENCRYPTION_KEK'] : []),
    // PostgreSQL has no embedded default: the server's URL is required.
    ...(model.database.dialect === 'postgresql' ? ['DATABASE_URL'] : []),
  ];
  return [...new Set(secrets)];
}

/** Settings of Better Auth's emails and of the plugins whose pages live on the account UI. */
function pluginKeys(model: AppModel): string[] {
  const email = model.email;
  const keys = email ? ['APP_NAME', 'APP_URL', 'EMAIL_FROM', 'EMAIL_FROM_NAME', 'EMAIL_REPLY_TO'] : [];
  if (email?.transport === 'aws-ses')
    keys.push('AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SES_REGION', 'AWS_SESSION_TOKEN', 'AWS_SES_ENDPOINT');
  if (email?.transport === 'outbox') keys.push('EMAIL_OUTBOX_DIR');
  if (model.auth.plugins.includes('passkey') || model.auth.plugins.includes('oauthProvider')) keys.push('ACCOUNT_URL');
  return keys;
}

/** String settings of the app: secrets, URLs, social provider keys and `vars` (on Workers, databases are bindings instead). */
export function envKeys(model: AppModel): string[] {
  if (model.runtime.kind === 'cloudflare') {
    return [
      ...new Set([
        ...requiredEnv(model),
        ...apiLoginKeys(model),
        'ENCRYPTION_KEK',
        ...kekKeys(model),
        'BETTER_AUTH_URL',
        'PORT',
        'NODE_ENV',
        DEV_MARKER,
        ...(model.database.kind === 'neon' ? [neonLocalKey(model)] : []),
        ...(model.auditLog && model.database.dialect === 'postgresql' ? ['AUDIT_DATABASE_URL'] : []),
        ...(model.webhooks ? ['QUICKBACK_WEBHOOKS_ALLOW_PRIVATE'] : []),
        DEPENDENCY_TIMEOUT,
        ...socialKeys(model),
        ...pluginKeys(model),
        ...Object.keys(model.vars),
      ]),
    ];
  }
  const keys = [
    ...requiredEnv(model),
    'ENCRYPTION_KEK',
    ...kekKeys(model),
    'BETTER_AUTH_URL',
    'DATABASE_URL',
    ...apiLoginKeys(model),
    'PORT',
    'HOST',
    'NODE_ENV',
    DEV_MARKER,
  ];
  if (model.database.splitDatabases) keys.push('AUTH_DATABASE_URL');
  if (model.auditLog) keys.push('AUDIT_DATABASE_URL');
  if (model.storage?.kind === 'redis') keys.push('REDIS_URL');
  if (model.storage?.kind === 'redis' || model.database.dialect === 'postgresql') keys.push(DEPENDENCY_TIMEOUT);
  if (model.files?.store.kind === 'fs')
    keys.push(
      'FILES_DIR',
      'FILES_S3_BUCKET',
      'FILES_S3_ENDPOINT',
      'FILES_S3_REGION',
      'FILES_S3_ACCESS_KEY_ID',
      'FILES_S3_SECRET_ACCESS_KEY',
    );
  if (model.webhooks) keys.push('QUICKBACK_WEBHOOKS_ALLOW_PRIVATE', 'QUICKBACK_WEBHOOK_LEASE_SECONDS');
  keys.push('QUICKBACK_SHUTDOWN_TIMEOUT_MS', 'QUICKBACK_BODY_TIMEOUT_MS');
  if (model.database.kind === 'libsql')
    keys.push('DATABASE_AUTH_TOKEN', ...(model.database.splitDatabases ? ['AUTH_DATABASE_AUTH_TOKEN'] : []));
  if (model.database.kind === 'neon') keys.push(neonLocalKey(model));
  if (model.auth.provider === 'supabase-auth') keys.push('SUPABASE_JWT_SECRET');
  keys.push(...socialKeys(model), ...pluginKeys(model), ...Object.keys(model.vars));
  return [...new Set(keys)];
}

/** PostgreSQL: the login the API uses instead of DATABASE_URL's owner (runtime pg-login.ts). */
function apiLoginKeys(model: AppModel): string[] {
  return model.database.dialect === 'postgresql' ? ['API_DATABASE_URL'] : [];
}

/** How a neon app reaches a local server: a WebSocket proxy, or an endpoint speaking Neon's SQL over HTTP. */
function neonLocalKey(model: AppModel): string {
  return model.database.neon?.transport === 'http' ? 'NEON_HTTP_ENDPOINT' : 'NEON_WS_PROXY';
}

/** KEK rotation: the previous KEK(s), comma-separated, still open the data keys they wrapped. */
function kekKeys(model: AppModel): string[] {
  return model.encryption ? ['ENCRYPTION_KEK_PREVIOUS'] : [];
}

function socialKeys(model: AppModel): string[] {
  return model.auth.socialProviders.flatMap((p) => [p.clientIdEnv, p.clientSecretEnv]);
}

/** Front ends the API's emails and plugin pages send people to: their origins are trusted (magic-link callbacks, passkeys, consent); when set, they must be URLs (503 MISSING_ENV otherwise). */
export function frontEndKeys(model: AppModel): string[] {
  return pluginKeys(model).filter((k) => k === 'APP_URL' || k === 'ACCOUNT_URL');
}

/** `isDevelopment(env)`: development origins and relaxed limits apply only with the development marker. */
export function isDevelopmentFunction(): string[] {
  return [
    '/**',
    ` * Development: \`quickback dev\` sets ${DEV_MARKER}=1, as do the local settings files (.env, .dev.vars).`,
    " * Anything else is production: no local origins, Better Auth's rate limit on.",
    ' */',
    'export function isDevelopment(env: Env): boolean {',
    `  return env.${DEV_MARKER} === "1";`,
    '}',
  ];
}

/** `corsOrigins(env)`: the configured origins, BETTER_AUTH_URL's, the front ends' (APP_URL, ACCOUNT_URL), and local dev origins in development only. */
export function corsOriginsFunction(model: AppModel): string[] {
  const origins = [...new Set([...model.trustedOrigins, ...model.auth.trustedOrigins])].sort();
  return [
    '/** Origins allowed to call the API with credentials (CORS) and to post to Better Auth. */',
    'export function corsOrigins(env: Env): string[] {',
    `  const port = env.PORT ?? "${model.runtime.port}";`,
    `  const configured: string[] = ${JSON.stringify(origins)};`,
    '  const local = [`http://127.0.0.1:${port}`, `http://localhost:${port}`, "http://localhost:5173", "http://127.0.0.1:5173"];',
    ...(frontEndKeys(model).length > 0
      ? [
        `  const frontEnds = [${
          frontEndKeys(model).map((k) => `env.${k}`).join(', ')
        }].flatMap((url) => {\n    try { return url ? [new URL(url).origin] : []; } catch { return []; } // not a URL: not trusted\n  });`,
      ]
      : []),
    `  return [...new Set([...configured, ...(env.BETTER_AUTH_URL ? [new URL(env.BETTER_AUTH_URL).origin] : [])${
      frontEndKeys(model).length > 0 ? ', ...frontEnds' : ''
    }, ...(isDevelopment(env) ? local : [])])];`,
    '}',
  ];
}

export function printEnv(model: AppModel): string {
  return withBanner(
    'ts',
    model.configFile,
    lines(
      '/** Environment of the API. Secrets come from the environment (or `.env` in development), never from code. */',
      'export interface Env {',
      ...envKeys(model).map((key) => `  ${key}?: string;`),
      '  [name: string]: string | undefined;',
      '}',
      '',
      '/** Non-secret defaults from `vars` in quickback.config.ts; the environment wins. */',
      `export const envDefaults: Record<string, string> = ${indentTail(literal(model.vars), 0)};`,
      '',
      `export const requiredEnv: string[] = ${JSON.stringify(requiredEnv(model))};`,
      ...urlEnvLines(model),
      '',
      'export function loadEnv(): Env {',
      '  if (process.env.NODE_ENV !== "production" && typeof process.loadEnvFile === "function") {',
      '    try {',
      '      process.loadEnvFile(".env");',
      '    } catch {',
      '      // no .env file: the environment alone is used',
      '    }',
      '  }',
      '  return { ...envDefaults, ...process.env };',
      '}',
      '',
      ...isDevelopmentFunction(),
      '',
      ...corsOriginsFunction(model),
    ),
  );
}

/** `urlEnv`: settings that must be absolute http(s) URLs when set (the app answers 503 MISSING_ENV instead of failing in Better Auth). */
export function urlEnvLines(model: AppModel): string[] {
  const keys = frontEndKeys(model);
  return keys.length > 0 ? ['', `export const urlEnv: string[] = ${JSON.stringify(keys)};`] : [];
}

/** `.env.example` (Node, Bun) or `.dev.vars.example` (Workers: [vars] are in wrangler.toml, the port in [dev]). */
export function printEnvExample(model: AppModel): string {
  const workers = model.runtime.kind === 'cloudflare';
  const skip = new Set(['NODE_ENV', ...(workers ? ['PORT', ...Object.keys(model.vars)] : [])]);
  const rows = envKeys(model).filter((k) => !skip.has(k)).map((key) => {
    if (key === 'BETTER_AUTH_SECRET') return `# Required: 32 random bytes as hex (openssl rand -hex 32)\n${key}=`;
    if (key === model.jwt?.secretEnv)
      return `# Required: signs the bearer tokens (auth.jwt), at least 32 bytes (openssl rand -hex 32)\n${key}=`;
    if (key === 'ENCRYPTION_KEK')
      return `# ${
        model.encryption ? 'Required: k' : 'K'
      }ey-encryption key for encrypted fields: 32 random bytes as hex (openssl rand -hex 32)\n${key}=`;
    if (key === 'ENCRYPTION_KEK_PREVIOUS')
      return `# While rotating ENCRYPTION_KEK: the previous key(s), comma-separated (quickback keys rotate re-wraps under the new one)\n${key}=`;
    if (key === 'DATABASE_URL' && model.database.dialect === 'postgresql')
      return `# Required: the owner of the tables; migrations run as it. The API logs in as quickback_api instead\n# (this URL with that user, same password; quickback migrate creates it), so RLS holds in its sessions.\n${key}=`;
    if (key === 'API_DATABASE_URL')
      return `# Optional: the API's own login; in production postgres://quickback_api:<its password>@host/db (Quickback's README, PostgreSQL).\n# Unset: DATABASE_URL with its user replaced by quickback_api.\n${key}=`;
    if (key === 'PORT') return `${key}=${model.runtime.port}`;
    if (key === 'HOST') return `${key}=127.0.0.1`;
    if (key === 'REDIS_URL' && model.storage?.kind === 'redis') return `${key}=${model.storage.url}`;
    if (key === DEV_MARKER)
      return `# Development only (local origins trusted, Better Auth's rate limit off). Never set it where the app is deployed.\n${key}=1`;
    if (key === 'QUICKBACK_WEBHOOK_LEASE_SECONDS')
      return `# Seconds a server process holds a claimed webhook delivery (2-300, default 30); another process takes it over after\n${key}=`;
    if (key === DEPENDENCY_TIMEOUT)
      return `# How long a request waits on ${dependencies(model)} before it answers 503 (default 2000 ms)\n${key}=`;
    if (key === 'QUICKBACK_WEBHOOKS_ALLOW_PRIVATE')
      return `# Tests and local receivers only: 1 lets webhook deliveries reach loopback and private addresses\n${key}=`;
    if (key === 'QUICKBACK_SHUTDOWN_TIMEOUT_MS')
      return `# On SIGTERM/SIGINT, requests in flight get this long to finish before the server exits (milliseconds)\n${key}=10000`;
    if (key === 'QUICKBACK_BODY_TIMEOUT_MS')
      return `# A request body must arrive within this long, else 408 REQUEST_TIMEOUT (milliseconds; raise it for large uploads on slow links)\n${key}=30000`;
    if (key === 'FILES_DIR' && model.files?.store.kind === 'fs')
      return `# Uploaded files (defineFileStorage): this folder, unless FILES_S3_BUCKET names an S3-compatible bucket (S3, R2, MinIO)\n${key}=${model.files.store.dir}`;
    if (key === 'FILES_S3_REGION') return `# "auto" for R2\n${key}=`;
    return `${key}=${model.vars[key] ?? ''}`;
  });
  return withBanner(
    'toml',
    model.configFile,
    `# Copy to ${workers ? '.dev.vars (wrangler dev reads it)' : '.env'} and fill in.\n${rows.join('\n')}`,
  );
}
