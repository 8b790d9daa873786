/**
 * @module quickback/kv-store
 * The key-value store of `defineStorage` (seed 000): Better Auth's secondary storage (sessions,
 * rate-limit counters) and the bearer-token denylist (revocation.ts) share it. Workers KV on
 * Cloudflare; Redis (`redis`, or `kv` off Cloudflare) or this process's memory (`memory`, for
 * development) on Node and Bun. TTLs are seconds; a missing TTL keeps the entry. The shape is
 * Better Auth's `SecondaryStorage`, whose rate limiter needs `increment` and whose one-time
 * verification values need `getAndDelete`.
 *
 * Redis and KV calls are bounded (QUICKBACK_DEPENDENCY_TIMEOUT_MS, deadline.ts): a store that
 * refuses, fails or stalls answers 503 STORAGE_UNAVAILABLE within the bound, and the next call
 * after it is back works. Workers have `node:async_hooks` through nodejs_compat (wrangler.toml), as Better Auth needs too.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { DEFAULT_DEPENDENCY_TIMEOUT_MS, withDeadline } from '../core/deadline.js';
import { apiError } from '../core/errors.js';

export interface KeyValueStore {
  get(key: string): Promise<string | null>;
  set(key: string, value: string, ttlSeconds?: number): Promise<void>;
  delete(key: string): Promise<void>;
  /** Reads and removes the value (atomic on Redis and memory). */
  getAndDelete(key: string): Promise<string | null>;
  /** Adds one and answers the new count; a new counter lives `ttlSeconds` from its first increment (atomic on Redis and memory). */
  increment(key: string, ttlSeconds: number): Promise<number>;
}

/** One request's count of failed store calls. */
interface Failures {
  count: number;
}
const requestFailures = new AsyncLocalStorage<Failures>();

/**
 * Runs `work` (one request's call into Better Auth) and counts the store calls that failed within
 * it, and only those: Better Auth swallows a failing secondary storage into an empty 500, so its
 * route asks this afterwards (app.ts). The store is shared by the requests in flight and Better
 * Auth calls it with a key only, so the request is told apart by its async context, not by a
 * counter of the whole process (a concurrent request's failure is not this one's).
 */
export async function countStorageFailures<T>(work: () => Promise<T>): Promise<{ result: T; failures: number }> {
  const failures: Failures = { count: 0 };
  const result = await requestFailures.run(failures, work);
  return { result, failures: failures.count };
}

/** Each call bounded by `ms`; a failure or a timeout is 503 STORAGE_UNAVAILABLE (with `hint`). */
function guarded(store: KeyValueStore, ms: number, what: string, hint: string): KeyValueStore {
  const guard = <A extends unknown[], R>(call: (...args: A) => Promise<R>) => async (...args: A): Promise<R> => {
    try {
      return await withDeadline(call(...args), ms, what);
    } catch (err) {
      const failures = requestFailures.getStore();
      if (failures) failures.count++;
      // The cause stays in the server's log lines (revocation.ts), not in the response.
      throw Object.assign(apiError('STORAGE_UNAVAILABLE', { hint }), {
        cause: new Error(`${what}: ${(err as Error).message}`),
      });
    }
  };
  return {
    get: guard(store.get),
    set: guard(store.set),
    delete: guard(store.delete),
    getAndDelete: guard(store.getAndDelete),
    increment: guard(store.increment),
  };
}

/** The slice of a Workers KV namespace used here. */
export interface KvNamespaceLike {
  get(key: string): Promise<string | null>;
  put(key: string, value: string, options?: { expirationTtl?: number }): Promise<void>;
  delete(key: string): Promise<void>;
}

/**
 * Workers KV. Expirations are at least 60 s, and KV has no atomic read-modify-write and is
 * eventually consistent across locations: `increment` and `getAndDelete` are a read then a write
 * (a rate limit may let a few extra requests through under bursts; a one-time value may be read
 * twice in a race). A counter keeps the expiry of its first write, stored beside the count.
 */
export function kvStore(
  kv: KvNamespaceLike,
  options: { timeoutMs?: number; clock?: () => number } = {},
): KeyValueStore {
  const { timeoutMs = DEFAULT_DEPENDENCY_TIMEOUT_MS, clock = Date.now } = options;
  const ttlOf = (ttl: number) => Math.max(60, Math.ceil(ttl));
  return guarded(
    {
      get: (key) => kv.get(key),
      set: (key, value, ttl) => kv.put(key, value, ttl ? { expirationTtl: ttlOf(ttl) } : undefined),
      delete: (key) => kv.delete(key),
      async getAndDelete(key) {
        const value = await kv.get(key);
        if (value !== null) await kv.delete(key);
        return value;
      },
      async increment(key, ttl) {
        const now = Math.floor(clock() / 1000);
        const [count, until] = ((await kv.get(key)) ?? '').split(':').map(Number);
        const live = count > 0 && until > now;
        const expiresAt = live ? until : now + ttlOf(ttl);
        const next = live ? count + 1 : 1;
        await kv.put(key, `${next}:${expiresAt}`, { expirationTtl: Math.max(60, expiresAt - now) });
        return next;
      },
    },
    timeoutMs,
    'Workers KV',
    'Workers KV did not answer; retry shortly.',
  );
}

/**
 * This process's memory, with expiry (development: one process, lost on restart). Expired entries
 * are dropped when read, and swept every 1000 writes so the map does not grow without bound.
 */
export function memoryStore(now: () => number = Date.now): KeyValueStore {
  const entries = new Map<string, { value: string; until: number }>();
  let writes = 0;
  const sweep = () => {
    const t = now();
    for (const [key, entry] of entries) if (entry.until <= t) entries.delete(key);
  };
  // No `this`: Better Auth calls `increment` detached from the store.
  const get = async (key: string) => {
    const entry = entries.get(key);
    if (entry && entry.until > now()) return entry.value;
    entries.delete(key);
    return null;
  };
  return {
    get,
    async set(key, value, ttl) {
      if (++writes % 1000 === 0) sweep();
      entries.set(key, { value, until: ttl ? now() + ttl * 1000 : Infinity });
    },
    async delete(key) {
      entries.delete(key);
    },
    async getAndDelete(key) {
      const value = await get(key);
      entries.delete(key);
      return value;
    },
    async increment(key, ttl) {
      const entry = entries.get(key);
      if (entry && entry.until > now()) {
        entry.value = String(Number(entry.value) + 1);
        return Number(entry.value);
      }
      entries.set(key, { value: '1', until: now() + ttl * 1000 });
      return 1;
    },
  };
}

/** The slice of a node-redis client used here (`@redis/client`'s `createClient()`). */
export interface RedisLike {
  readonly isReady: boolean;
  get(key: string): Promise<string | null>;
  set(key: string, value: string, options?: { EX: number }): Promise<unknown>;
  del(key: string): Promise<unknown>;
  getDel(key: string): Promise<string | null>;
  eval(script: string, options: { keys: string[]; arguments: string[] }): Promise<unknown>;
}

/** INCR, and the TTL on the counter's first increment, in one atomic step. */
const INCREMENT =
  "local n = redis.call('INCR', KEYS[1]) if n == 1 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end return n";

/**
 * Redis (shared by every server process). Commands fail fast while Redis is unreachable (the
 * client is created with the offline queue off) and wait at most `timeoutMs` for a stalled one;
 * the first use waits up to that long for the initial connection.
 */
export function redisStore(
  client: RedisLike,
  connected: Promise<unknown>,
  timeoutMs = DEFAULT_DEPENDENCY_TIMEOUT_MS,
): KeyValueStore {
  const ready = async () => {
    if (!client.isReady)
      await Promise.race([connected, new Promise((resolve) => setTimeout(resolve, Math.min(1000, timeoutMs)))]);
    if (!client.isReady) throw new Error('Redis is not reachable');
  };
  return guarded(
    {
      get: async (key) => {
        await ready();
        return client.get(key);
      },
      set: async (key, value, ttl) => {
        await ready();
        await (ttl ? client.set(key, value, { EX: Math.max(1, Math.ceil(ttl)) }) : client.set(key, value));
      },
      delete: async (key) => {
        await ready();
        await client.del(key);
      },
      getAndDelete: async (key) => {
        await ready();
        return client.getDel(key);
      },
      increment: async (key, ttl) => {
        await ready();
        return Number(await client.eval(INCREMENT, { keys: [key], arguments: [String(Math.max(1, Math.ceil(ttl)))] }));
      },
    },
    timeoutMs,
    'Redis',
    'Check REDIS_URL and that Redis is up; retry shortly.',
  );
}
