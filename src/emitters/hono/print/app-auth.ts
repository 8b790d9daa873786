/**
 * @module emitters/hono/print/app-auth
 * The bearer-token pieces of the app index: the `jwt` option of createQuickbackApp and the
 * revocation denylist (`auth.jwt.revocationCheck`) it reads, with their imports.
 */
import type { AppModel } from '../../../compiler/model/ir.js';
import { importLine, type RuntimeName } from '../../print-utils.js';

/** ` jwt: {...},` for createQuickbackApp (the bearer-token fast path), or nothing. */
export function jwtOption(model: AppModel): string {
  if (!model.jwt) return '';
  const { revocation, ...jwt } = model.jwt;
  const denylist = revocation
    ? (model.cloudflare ? ' revocation: (c) => revocationFor(c.env as Bindings),' : ' revocation: () => revocation,')
    : '';
  return ` jwt: { ${Object.entries(jwt).map(([k, v]) => `${k}: ${JSON.stringify(v)}`).join(', ')} },${denylist}`;
}

/**
 * The store of defineStorage and the revocation denylist (auth.jwt.revocationCheck) that reads it:
 * KV per request on Workers; on Node and Bun one store per process (Redis or memory), which Better
 * Auth also gets as its secondary storage.
 */
export function storeLines(model: AppModel): (string | false)[] {
  const jwt = model.jwt;
  const ttl = jwt?.revocation ? `ttlSeconds: ${jwt.expiresIn + 60}` : '';
  if (model.cloudflare)
    return jwt?.revocation
      ? [
        `  const revocationFor = (bindings: Bindings): Revocation => ({ store: kvStore(bindings.${
          model.cloudflare.kv?.binding ?? 'KV'
        }, { timeoutMs: dependencyTimeout(bindings) }), ${ttl} });`,
      ]
      : [];
  const storage = model.storage;
  if (!storage) return [];
  return [
    ...(storage.kind === 'memory'
      ? [
        '  // defineStorage("memory"): this process only, lost on restart (development).',
        '  const store = memoryStore();',
      ]
      : [
        '  // Commands fail fast while Redis is away (no offline queue) and wait at most QUICKBACK_DEPENDENCY_TIMEOUT_MS on a stalled one:',
        '  // signed-in requests and sign-ins answer 503 STORAGE_UNAVAILABLE, the denylist fails closed.',
        '  const timeoutMs = dependencyTimeout(env);',
        `  const redis = createClient({ url: env.REDIS_URL ?? ${
          JSON.stringify(storage.url)
        }, disableOfflineQueue: true, socket: { connectTimeout: timeoutMs } });`,
        '  redis.on("error", (err: Error) => log.error("redis:", err));',
        '  const store = redisStore(redis, redis.connect().catch(() => undefined), timeoutMs);',
      ]),
    jwt?.revocation ? `  const revocation: Revocation = { store, ${ttl} };` : false,
  ];
}

/** Node and Bun with Redis: the device-code throttle counts in it, so every server process shares one budget. */
export function sharedCountersOption(model: AppModel): string {
  return !model.cloudflare && model.storage?.kind === 'redis' && model.auth.plugins.includes('deviceAuthorization')
    ? ' sharedCounters: () => store,'
    : '';
}

const storeOf = (model: AppModel) =>
  model.cloudflare ? (model.jwt?.revocation ? 'kv' : undefined) : model.storage?.kind;

export function storeImports(model: AppModel): (string | false)[] {
  return [storeOf(model) === 'redis' ? importLine(['createClient'], '@redis/client') : false];
}

/** The runtime names of storeLines: the store, and the denylist's type. */
export function storeRuntime(model: AppModel): RuntimeName[] {
  const store = storeOf(model);
  return [
    store && `${store}Store`,
    store === 'redis' && 'log',
    (store === 'redis' || store === 'kv') && 'dependencyTimeout',
    model.jwt?.revocation && 'type Revocation',
  ];
}

/** Seed 002's documented paths where Better Auth serves another one (runtime/auth-aliases.ts). */
const ALIASES: { plugin: AppModel['auth']['plugins'][number]; from: [string, string]; to: [string, string] }[] = [
  { plugin: 'magicLink', from: ['POST', '/magic-link/send'], to: ['POST', '/sign-in/magic-link'] },
  { plugin: 'emailOtp', from: ['POST', '/email-otp/verify-otp'], to: ['POST', '/sign-in/email-otp'] },
  { plugin: 'passkey', from: ['POST', '/passkey/register/options'], to: ['GET', '/passkey/generate-register-options'] },
  { plugin: 'passkey', from: ['POST', '/passkey/register/verify'], to: ['POST', '/passkey/verify-registration'] },
  {
    plugin: 'passkey',
    from: ['POST', '/passkey/authenticate/options'],
    to: ['GET', '/passkey/generate-authenticate-options'],
  },
  { plugin: 'passkey', from: ['POST', '/passkey/authenticate/verify'], to: ['POST', '/passkey/verify-authentication'] },
  { plugin: 'jwt', from: ['POST', '/token'], to: ['GET', '/token'] },
  // The JWKS where Neon Authorize (and any JWT verifier) expects it (seed 001); Better Auth serves /jwks.
  { plugin: 'jwt', from: ['GET', '/.well-known/jwks.json'], to: ['GET', '/jwks'] },
];

/** ` wellKnown: true,` (oauthProvider) and ` authAliases: [...],` for createQuickbackApp, or nothing. */
export function authAliasesOption(model: AppModel): string {
  const aliases = ALIASES.filter((a) => model.auth.plugins.includes(a.plugin))
    .map((a) => `{ method: "${a.from[0]}", path: "${a.from[1]}", to: { method: "${a.to[0]}", path: "${a.to[1]}" } }`);
  const discovery = model.auth.plugins.includes('oauthProvider') ? ' wellKnown: true,' : '';
  return aliases.length > 0
    ? `${discovery}\n    authAliases: [\n      ${aliases.join(',\n      ')},\n    ],`
    : discovery;
}

/** ` email: ...,` (GET /api/v1/system/email-status): the transport of src/auth/email.ts, or none. */
export function emailOption(model: AppModel): string {
  if (model.auth.provider !== 'better-auth') return '';
  if (!model.email) return ' email: () => undefined,';
  return model.cloudflare ? ' email: (c) => mailerFor(envOf(c), c.env as Bindings),' : ' email: () => mailer,';
}

/** Better Auth input the app checks first: each social provider's settings (`socialEnv`), passkey verify bodies (`passkey`). */
export function authChecksOption(model: AppModel): string {
  if (model.auth.provider !== 'better-auth') return '';
  const social = model.auth.socialProviders.map((p) =>
    `${p.id}: [${JSON.stringify(p.clientIdEnv)}, ${JSON.stringify(p.clientSecretEnv)}]`
  );
  return `${social.length > 0 ? ` socialEnv: { ${social.join(', ')} },` : ''}${
    model.auth.plugins.includes('passkey') ? ' passkey: true,' : ''
  }`;
}
