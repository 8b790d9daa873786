import { describe, expect, it, vi } from 'vitest';
import { isRevoked, kvStore, memoryStore, redisStore, revokeTokens, type RedisLike } from './revocation.js';

describe('the token denylist', () => {
  it('refuses tokens issued up to the revocation second, not after', async () => {
    const revocation = { store: memoryStore(), ttlSeconds: 240 };
    await revokeTokens(revocation, 'u1', 1_000_000_500);
    expect(await isRevoked(revocation, 'u1', 1_000_000)).toBe(true);
    expect(await isRevoked(revocation, 'u1', 999_000)).toBe(true);
    expect(await isRevoked(revocation, 'u1', 1_000_001)).toBe(false);
    expect(await isRevoked(revocation, 'u2', 1_000_000)).toBe(false);
  });

  it('memory entries expire with their TTL', async () => {
    let now = 0;
    const store = memoryStore(() => now);
    await store.set('k', 'v', 10);
    expect(await store.get('k')).toBe('v');
    now = 10_001;
    expect(await store.get('k')).toBeNull();
  });

  it('KV writes use an expiration of at least 60 s', async () => {
    const put = vi.fn(async () => {});
    await kvStore({ get: async () => null, put }).set('k', 'v', 5);
    expect(put).toHaveBeenCalledWith('k', 'v', { expirationTtl: 60 });
  });

  it('an unreachable Redis fails closed: the token counts as revoked (the session decides), never a crash', async () => {
    const client: RedisLike = { isReady: false, get: vi.fn(), set: vi.fn() };
    const revocation = { store: redisStore(client, Promise.resolve()), ttlSeconds: 240 };
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    expect(await isRevoked(revocation, 'u1', 1)).toBe(true);
    expect(client.get).not.toHaveBeenCalled();
    expect(error).toHaveBeenCalledWith(expect.stringContaining('revocation list could not be read'), 'Redis is not reachable');
    error.mockRestore();
    await expect(revocation.store.set('k', 'v', 1)).rejects.toThrow('Redis is not reachable');
  });

  it('a ready Redis client gets GET and SET with EX', async () => {
    const client: RedisLike = { isReady: true, get: vi.fn(async () => '7'), set: vi.fn(async () => 'OK') };
    const store = redisStore(client, Promise.resolve());
    expect(await store.get('k')).toBe('7');
    await store.set('k', 'v', 240);
    expect(client.set).toHaveBeenCalledWith('k', 'v', { EX: 240 });
  });
});
