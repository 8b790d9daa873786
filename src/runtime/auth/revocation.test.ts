import { describe, expect, it, vi } from 'vitest';
import { memoryStore, redisStore, type RedisLike } from './kv-store.js';
import { revokeTokens, tokenStanding } from './revocation.js';

describe('the token denylist', () => {
  it('refuses tokens issued up to the revocation second, not after', async () => {
    const revocation = { store: memoryStore(), ttlSeconds: 240 };
    await revokeTokens(revocation, 'u1', 1_000_000_500);
    expect(await tokenStanding(revocation, 'u1', 1_000_000)).toBe('revoked');
    expect(await tokenStanding(revocation, 'u1', 999_000)).toBe('revoked');
    expect(await tokenStanding(revocation, 'u1', 1_000_001)).toBe('valid');
    expect(await tokenStanding(revocation, 'u2', 1_000_000)).toBe('valid');
  });

  it("an unreachable Redis fails closed: the token's standing is unknown (the session decides, else 503), never a crash", async () => {
    const client: RedisLike = {
      isReady: false,
      get: vi.fn(),
      set: vi.fn(),
      del: vi.fn(),
      getDel: vi.fn(),
      eval: vi.fn(),
    };
    const revocation = { store: redisStore(client, Promise.resolve()), ttlSeconds: 240 };
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    expect(await tokenStanding(revocation, 'u1', 1)).toBe('unknown');
    expect(client.get).not.toHaveBeenCalled();
    expect(error).toHaveBeenCalledWith(
      expect.stringMatching(/revocation list could not be read.*Redis is not reachable/),
    );
    error.mockRestore();
    await expect(revocation.store.set('k', 'v', 1)).rejects.toMatchObject({ code: 'STORAGE_UNAVAILABLE', status: 503 });
  });
});
