/**
 * @module quickback/revocation
 * `auth.jwt.revocationCheck: "kv"` (seed 004; built here, deferred by the public product): a
 * denylist of users whose bearer tokens must stop working now. Revoking a user stores the time;
 * the fast path then refuses every token of that user issued at or before it (one store read,
 * still no database query), while tokens minted afterwards (the next session call) work. Entries
 * live as long as a token can: TTL + clock skew.
 *
 * The store is Workers KV on Cloudflare, or the storage provider on Node/Bun (`memory`: this
 * process only; `redis`: shared).
 */
export interface KeyValueStore {
  get(key: string): Promise<string | null>;
  set(key: string, value: string, ttlSeconds: number): Promise<void>;
}

const PREFIX = 'quickback:jwt-revoked:';

/** Workers KV (expirations are at least 60 s). */
export function kvStore(kv: { get(key: string): Promise<string | null>; put(key: string, value: string, options?: { expirationTtl?: number }): Promise<void> }): KeyValueStore {
  return { get: (key) => kv.get(key), set: (key, value, ttl) => kv.put(key, value, { expirationTtl: Math.max(60, Math.ceil(ttl)) }) };
}

/** An in-process store with expiry (one server process; use KV or Redis across instances). */
export function memoryStore(now: () => number = Date.now): KeyValueStore {
  const entries = new Map<string, { value: string; until: number }>();
  return {
    async get(key) {
      const entry = entries.get(key);
      if (entry && entry.until > now()) return entry.value;
      entries.delete(key);
      return null;
    },
    async set(key, value, ttl) {
      entries.set(key, { value, until: now() + ttl * 1000 });
    },
  };
}

/** The slice of a node-redis client used here (`@redis/client`'s `createClient()`). */
export interface RedisLike {
  readonly isReady: boolean;
  get(key: string): Promise<string | null>;
  set(key: string, value: string, options: { EX: number }): Promise<unknown>;
}

/**
 * Redis (shared by every server process). Commands fail fast while Redis is unreachable (the
 * client is created with the offline queue off); the first use waits up to a second for the
 * initial connection.
 */
export function redisStore(client: RedisLike, connected: Promise<unknown>): KeyValueStore {
  const ready = async () => {
    if (!client.isReady) await Promise.race([connected, new Promise((resolve) => setTimeout(resolve, 1000))]);
    if (!client.isReady) throw new Error('Redis is not reachable');
  };
  return {
    get: async (key) => { await ready(); return client.get(key); },
    set: async (key, value, ttl) => { await ready(); await client.set(key, value, { EX: Math.max(1, Math.ceil(ttl)) }); },
  };
}

export interface Revocation { store: KeyValueStore; ttlSeconds: number }

/** Every token of `userId` issued up to now stops working. */
export async function revokeTokens(revocation: Revocation, userId: string, now = Date.now()): Promise<void> {
  await revocation.store.set(PREFIX + userId, String(Math.floor(now / 1000)), revocation.ttlSeconds);
}

/**
 * Whether a token of `sub` issued at `iat` (seconds) was revoked. A store that cannot be read
 * counts as "revoked" (fail closed): the request falls back to its session.
 */
export async function isRevoked(revocation: Revocation, sub: string, iat: number): Promise<boolean> {
  let at: string | null;
  try {
    at = await revocation.store.get(PREFIX + sub);
  } catch (err) {
    console.error('[quickback] the token revocation list could not be read; bearer tokens fall back to sessions:', (err as Error).message);
    return true;
  }
  return at !== null && iat <= Number(at);
}
