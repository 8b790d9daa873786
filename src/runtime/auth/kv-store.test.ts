/**
 * One contract for the three key-value stores of defineStorage: Workers KV (under miniflare),
 * Redis (the local server at 127.0.0.1:6379) and memory. Each gets the same get/set/delete/TTL
 * checks; how an expiry is observed differs (KV's minimum TTL is 60 s: its recorded expiration is
 * read back; Redis: a 1 s TTL runs out; memory: its clock moves).
 */
import { randomBytes } from 'node:crypto';
import { createClient } from '@redis/client';
import { Miniflare } from 'miniflare';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  countStorageFailures,
  kvStore,
  memoryStore,
  redisStore,
  type KeyValueStore,
  type RedisLike,
} from './kv-store.js';

interface Backend {
  store: KeyValueStore;
  /** Proves `key`, written with `ttl` seconds, expires (or will, for KV). */
  expires(key: string, ttl: number): Promise<void>;
  close(): Promise<void>;
}

let clock = 0;
const backends: Record<string, () => Promise<Backend>> = {
  memory: async () => {
    const store = memoryStore(() => clock);
    return {
      store,
      expires: async (key, ttl) => {
        clock += ttl * 1000 - 1;
        expect(await store.get(key)).not.toBeNull();
        clock += 1;
        expect(await store.get(key)).toBeNull();
      },
      close: async () => {},
    };
  },
  redis: async () => {
    const client = createClient({ url: 'redis://127.0.0.1:6379', disableOfflineQueue: true });
    const store = redisStore(client, client.connect());
    return {
      store,
      expires: async (key) => {
        await new Promise((r) => setTimeout(r, 1100));
        expect(await store.get(key)).toBeNull();
      },
      close: async () => {
        client.destroy();
      },
    };
  },
  kv: async () => {
    const mf = new Miniflare({
      modules: true,
      script: 'export default { fetch: () => new Response("") }',
      kvNamespaces: ['KV'],
    });
    const kv = await mf.getKVNamespace('KV');
    let skew = 0; // KV's own expiry (≥ 60 s) cannot be waited for; the counter's recorded expiry follows this clock
    return {
      store: kvStore(kv, { clock: () => Date.now() + skew }),
      expires: async (key, ttl) => {
        skew += Math.max(60, ttl) * 1000;
        const { keys } = await kv.list({ prefix: key });
        const expiresIn = keys[0].expiration! - Date.now() / 1000;
        expect(expiresIn).toBeGreaterThan(Math.max(60, ttl) - 5);
        expect(expiresIn).toBeLessThanOrEqual(Math.max(60, ttl) + 1);
      },
      close: () => mf.dispose(),
    };
  },
};

describe.each(Object.keys(backends))('the %s key-value store', (name) => {
  let backend: Backend;
  const prefix = `qb-test:${randomBytes(4).toString('hex')}:`;
  beforeAll(async () => {
    backend = await backends[name]();
  }, 30_000);
  afterAll(() => backend.close());

  it('reads null for a key never written, then what was written last', async () => {
    const { store } = backend;
    expect(await store.get(`${prefix}a`)).toBeNull();
    await store.set(`${prefix}a`, 'one');
    expect(await store.get(`${prefix}a`)).toBe('one');
    await store.set(`${prefix}a`, '{"two":2}', 3600);
    expect(await store.get(`${prefix}a`)).toBe('{"two":2}');
  });

  it('deletes a key (and deleting a missing key is no error)', async () => {
    const { store } = backend;
    await store.set(`${prefix}b`, 'x', 3600);
    await store.delete(`${prefix}b`);
    expect(await store.get(`${prefix}b`)).toBeNull();
    await expect(store.delete(`${prefix}missing`)).resolves.toBeUndefined();
  });

  it('an entry written with a TTL expires', async () => {
    await backend.store.set(`${prefix}c`, 'short', 1);
    await backend.expires(`${prefix}c`, 1);
  });

  it('getAndDelete answers the value once', async () => {
    const { store } = backend;
    await store.set(`${prefix}e`, 'once', 60);
    expect(await store.getAndDelete(`${prefix}e`)).toBe('once');
    expect(await store.getAndDelete(`${prefix}e`)).toBeNull();
    expect(await store.get(`${prefix}e`)).toBeNull();
  });

  it('increment counts from 1 and the counter expires with the TTL of its first increment (detached calls work)', async () => {
    const { increment } = backend.store;
    expect(await increment(`${prefix}f`, 1)).toBe(1);
    expect(await increment(`${prefix}f`, 1)).toBe(2);
    expect(await increment(`${prefix}f`, 3600)).toBe(3);
    await backend.expires(`${prefix}f`, 1);
    expect(await increment(`${prefix}f`, 1)).toBe(1);
  });

  it('keys are independent', async () => {
    const { store } = backend;
    await Promise.all([store.set(`${prefix}d1`, '1', 60), store.set(`${prefix}d2`, '2', 60)]);
    expect([await store.get(`${prefix}d1`), await store.get(`${prefix}d2`)]).toEqual(['1', '2']);
  });
});

describe('store details', () => {
  it('KV writes use an expiration of at least 60 s, and none without a TTL', async () => {
    const put = vi.fn(async () => {});
    const store = kvStore({ get: async () => null, put, delete: async () => {} });
    await store.set('k', 'v', 5);
    await store.set('k', 'v');
    expect(put.mock.calls).toEqual([['k', 'v', { expirationTtl: 60 }], ['k', 'v', undefined]]);
  });

  it('an unreachable Redis fails every command fast with a clear error', async () => {
    const client: RedisLike = {
      isReady: false,
      get: vi.fn(),
      set: vi.fn(),
      del: vi.fn(),
      getDel: vi.fn(),
      eval: vi.fn(),
    };
    const store = redisStore(client, Promise.resolve());
    await expect(store.get('k')).rejects.toMatchObject({
      code: 'STORAGE_UNAVAILABLE',
      cause: { message: 'Redis: Redis is not reachable' },
    });
    await expect(store.set('k', 'v', 1)).rejects.toMatchObject({ code: 'STORAGE_UNAVAILABLE' });
    expect(client.get).not.toHaveBeenCalled();
  });

  it('a store that fails or stalls is 503 STORAGE_UNAVAILABLE within its bound, and counted', async () => {
    const never = () => new Promise<never>(() => {});
    const stalled: RedisLike = { isReady: true, get: never, set: never, del: never, getDel: never, eval: never };
    const { failures } = await countStorageFailures(async () => {
      const redis = redisStore(stalled, Promise.resolve(), 50);
      await expect(redis.increment('k', 60)).rejects.toMatchObject({
        code: 'STORAGE_UNAVAILABLE',
        status: 503,
        hint: expect.stringContaining('REDIS_URL'),
      });
      const kv = kvStore(
        {
          get: never,
          put: never,
          delete: async () => {
            throw new Error('KV GET failed: 500');
          },
        },
        { timeoutMs: 50 },
      );
      await expect(kv.get('k')).rejects.toMatchObject({
        code: 'STORAGE_UNAVAILABLE',
        cause: { message: expect.stringContaining('did not answer within 50 ms') },
      });
      await expect(kv.delete('k')).rejects.toMatchObject({
        code: 'STORAGE_UNAVAILABLE',
        cause: { message: 'Workers KV: KV GET failed: 500' },
      });
    });
    expect(failures).toBe(3);
  });

  it('memory sweeps expired entries as it is written to', async () => {
    let now = 0;
    const store = memoryStore(() => now);
    for (let i = 0; i < 999; i++) await store.set(`k${i}`, 'v', 1);
    now = 2000;
    await store.set('last', 'v'); // the 1000th write sweeps
    for (let i = 0; i < 999; i += 111) expect(await store.get(`k${i}`)).toBeNull();
    expect(await store.get('last')).toBe('v');
  });
});
