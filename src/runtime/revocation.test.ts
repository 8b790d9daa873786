import { describe, expect, it, vi } from 'vitest';
import { memoryStore, redisStore, type RedisLike } from './kv-store.js';
import { isRevoked, revokeTokens } from './revocation.js';

describe('the token denylist', () => {
  it('refuses tokens issued up to the revocation second, not after', async () => {
    const revocation = { store: memoryStore(), ttlSeconds: 240 };
    await revokeTokens(revocation, 'u1', 1_000_000_500);
    expect(await isRevoked(revocation, 'u1', 1_000_000)).toBe(true);
    expect(await isRevoked(revocation, 'u1', 999_000)).toBe(true);
    expect(await isRevoked(revocation, 'u1', 1_000_001)).toBe(false);
    expect(await isRevoked(revocation, 'u2', 1_000_000)).toBe(false);
  });

  it('an unreachable Redis fails closed: the token counts as revoked (the session decides), never a crash', async () => {
    const client: RedisLike = { isReady: false, get: vi.fn(), set: vi.fn(), del: vi.fn(), getDel: vi.fn(), eval: vi.fn() };
    const revocation = { store: redisStore(client, Promise.resolve()), ttlSeconds: 240 };
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    expect(await isRevoked(revocation, 'u1', 1)).toBe(true);
    expect(client.get).not.toHaveBeenCalled();
    expect(error).toHaveBeenCalledWith(expect.stringMatching(/revocation list could not be read.*Redis is not reachable/));
    error.mockRestore();
    await expect(revocation.store.set('k', 'v', 1)).rejects.toMatchObject({ code: 'STORAGE_UNAVAILABLE', status: 503 });
  });
});
