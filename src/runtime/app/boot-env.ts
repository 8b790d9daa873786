/**
 * @module quickback/boot-env
 * The environment check every request passes first (after /health): a required secret that is
 * missing, a URL setting that is not a URL, an encryption key that is not 32 bytes of hex, or a
 * bearer-token secret under 32 bytes answers 503 MISSING_ENV with what to fix, instead of serving
 * without it (encrypted columns: storing plaintext) or failing deeper with a 500. Social sign-in
 * (`socialEnvCheck`) answers the same 503 for a provider whose client id or secret is not set.
 */
import type { Context, MiddlewareHandler } from 'hono';
import { weakSecret, type JwtOptions } from '../auth/auth-chain.js';
import { invalidKekEnv } from '../crypto/encryption.js';
import { apiError } from '../core/errors.js';
import type { QuickbackEnv } from '../core/types.js';

export interface BootSettings {
  env(c: Context): Record<string, string | undefined>;
  requiredEnv: string[];
  urlEnv?: string[];
  jwt?: JwtOptions;
  encryption?: boolean;
  /** Where this runtime's settings go, for MISSING_ENV's hint (default: `.env`; Workers: `.dev.vars` and `wrangler secret put`). */
  settingsHint?: string;
}

/** Social providers by id (`github`) with the settings each needs (`GITHUB_CLIENT_ID`, `GITHUB_CLIENT_SECRET`). */
export type SocialEnv = Record<string, string[]>;

/** Where a Better Auth route names its social provider: the JSON body of sign-in/link, the path of the OAuth callback. */
async function socialProviderOf(c: Context, base: string): Promise<unknown> {
  const path = c.req.path.slice(base.length);
  if (path.startsWith('/callback/')) return path.slice('/callback/'.length);
  if (c.req.method !== 'POST' || (path !== '/sign-in/social' && path !== '/link-social')) return undefined;
  try {
    return ((await c.req.raw.clone().json()) as { provider?: unknown } | null)?.provider;
  } catch {
    return undefined; // Better Auth answers a malformed body itself
  }
}

/** 503 MISSING_ENV naming the client id/secret of the requested social provider when they are not set (Better Auth would fail with a 500). */
export function socialEnvCheck(
  env: BootSettings['env'],
  providers: SocialEnv,
  base: string,
  settingsHint = 'in .env for local development',
): MiddlewareHandler<QuickbackEnv> {
  return async (c, next) => {
    const provider = await socialProviderOf(c, base);
    const needed = typeof provider === 'string' && Object.prototype.hasOwnProperty.call(providers, provider)
      ? providers[provider]
      : [];
    const values = env(c);
    const missing = needed.filter((name) => !values[name]);
    if (missing.length > 0)
      throw apiError('MISSING_ENV', {
        details: { missing },
        hint: `Sign-in with ${provider} needs ${missing.join(' and ')} (${settingsHint}).`,
      });
    await next();
  };
}

function isHttpUrl(value: string): boolean {
  try {
    return ['http:', 'https:'].includes(new URL(value).protocol);
  } catch {
    return false;
  }
}

export function bootCheck(settings: BootSettings): MiddlewareHandler<QuickbackEnv> {
  return async (c, next) => {
    const env = settings.env(c);
    const missing = settings.requiredEnv.filter((name) => !env[name]);
    if (missing.length > 0)
      throw apiError('MISSING_ENV', {
        details: { missing },
        hint: `Set ${missing.join(', ')} (${settings.settingsHint ?? 'in .env for local development'}).`,
      });
    const invalid = (settings.urlEnv ?? []).filter((name) => env[name] && !isHttpUrl(env[name]!));
    if (invalid.length > 0)
      throw apiError('MISSING_ENV', {
        details: { missing: [], invalid },
        hint: `${invalid.join(', ')} must be absolute URLs, e.g. https://account.example.com`,
      });
    const badKeys = settings.encryption ? invalidKekEnv(env) : [];
    if (badKeys.length > 0)
      throw apiError('MISSING_ENV', {
        details: { missing: [], invalid: badKeys },
        hint: `${
          badKeys.join(', ')
        } must be 32 bytes as 64 hex digits (openssl rand -hex 32); ENCRYPTION_KEK_PREVIOUS may list several, comma-separated.`,
      });
    const weak = weakSecret(settings.jwt, env);
    if (weak)
      throw apiError('MISSING_ENV', {
        details: { missing: [], tooShort: [weak] },
        hint: `${weak} must be at least 32 bytes: openssl rand -hex 32`,
      });
    await next();
  };
}
