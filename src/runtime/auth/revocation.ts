/**
 * @module quickback/revocation
 * `auth.jwt.revocationCheck: "kv"` (seed 004; built here, deferred by the public product): a
 * denylist of users whose bearer tokens must stop working now. Revoking a user stores the time;
 * the fast path then refuses every token of that user issued at or before it (one store read,
 * still no database query), while tokens minted afterwards (the next session call) work. Entries
 * live as long as a token can: TTL + clock skew.
 *
 * The store is the storage provider (kv-store.ts): Workers KV on Cloudflare, Redis or memory on
 * Node/Bun.
 */
import type { KeyValueStore } from './kv-store.js';
import { log } from '../core/log.js';

const PREFIX = 'quickback:jwt-revoked:';

export interface Revocation {
  store: KeyValueStore;
  ttlSeconds: number;
}

/** Every token of `userId` issued up to now stops working. */
export async function revokeTokens(revocation: Revocation, userId: string, now = Date.now()): Promise<void> {
  await revocation.store.set(PREFIX + userId, String(Math.floor(now / 1000)), revocation.ttlSeconds);
}

/** Where a token stands against the denylist; `unknown` when the store cannot be read. */
export type TokenStanding = 'valid' | 'revoked' | 'unknown';

/**
 * Where a token of `sub` issued at `iat` (seconds) stands. A store that cannot be read is
 * `unknown`: the token is not trusted (fail closed) and the request falls back to its session;
 * without one it answers 503 STORAGE_UNAVAILABLE (auth-chain.ts), not a 401 blaming the token.
 */
export async function tokenStanding(revocation: Revocation, sub: string, iat: number): Promise<TokenStanding> {
  let at: string | null;
  try {
    at = await revocation.store.get(PREFIX + sub);
  } catch (err) {
    const cause = (err as { cause?: unknown }).cause; // the store's own failure (kv-store.ts)
    log.error('the token revocation list could not be read; bearer tokens fall back to sessions:', cause ?? err);
    return 'unknown';
  }
  return at !== null && iat <= Number(at) ? 'revoked' : 'valid';
}
