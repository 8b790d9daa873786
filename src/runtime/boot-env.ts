/**
 * @module quickback/boot-env
 * The environment check every request passes first (after /health): a required secret that is
 * missing, a URL setting that is not a URL, an encryption key that is not 32 bytes of hex, or a
 * bearer-token secret under 32 bytes answers 503 MISSING_ENV with what to fix, instead of serving
 * without it (encrypted columns: storing plaintext) or failing deeper with a 500.
 */
import type { Context, MiddlewareHandler } from 'hono';
import { weakSecret, type JwtOptions } from './auth-chain.js';
import { invalidKekEnv } from './encryption.js';
import { apiError } from './errors.js';
import type { QuickbackEnv } from './types.js';

export interface BootSettings {
  env(c: Context): Record<string, string | undefined>;
  requiredEnv: string[];
  urlEnv?: string[];
  jwt?: JwtOptions;
  encryption?: boolean;
  /** Where this runtime's settings go, for MISSING_ENV's hint (default: `.env`; Workers: `.dev.vars` and `wrangler secret put`). */
  settingsHint?: string;
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
    if (missing.length > 0) throw apiError('MISSING_ENV', { details: { missing }, hint: `Set ${missing.join(', ')} (${settings.settingsHint ?? 'in .env for local development'}).` });
    const invalid = (settings.urlEnv ?? []).filter((name) => env[name] && !isHttpUrl(env[name]!));
    if (invalid.length > 0) throw apiError('MISSING_ENV', { details: { missing: [], invalid }, hint: `${invalid.join(', ')} must be absolute URLs, e.g. https://account.example.com` });
    const badKeys = settings.encryption ? invalidKekEnv(env) : [];
    if (badKeys.length > 0) throw apiError('MISSING_ENV', { details: { missing: [], invalid: badKeys }, hint: `${badKeys.join(', ')} must be 32 bytes as 64 hex digits (openssl rand -hex 32); ENCRYPTION_KEK_PREVIOUS may list several, comma-separated.` });
    const weak = weakSecret(settings.jwt, env);
    if (weak) throw apiError('MISSING_ENV', { details: { missing: [], tooShort: [weak] }, hint: `${weak} must be at least 32 bytes: openssl rand -hex 32` });
    await next();
  };
}
