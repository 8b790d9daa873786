/**
 * createQuickbackApp's Better Auth route with a stand-in for Better Auth, which swallows a failing
 * secondary storage into an empty 500: that request answers 503 STORAGE_UNAVAILABLE, and a
 * concurrent request whose own 500 has another cause does not (the failures are counted per
 * request: kv-store.ts `countStorageFailures`), and the body deadline's setting is read once.
 */
import { Hono } from 'hono';
import { describe, expect, it, vi } from 'vitest';
import { createQuickbackApp, type AppOptions } from './app.js';
import { kvStore } from '../auth/kv-store.js';
import type { AuthLike } from '../auth/session.js';
import type { QuickbackEnv } from '../core/types.js';

const later = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function appWith(auth: AuthLike, env: Record<string, string | undefined> = {}, extra: Partial<AppOptions> = {}) {
  return createQuickbackApp({
    services: () => ({ db: {} as never, auth }),
    env: () => env,
    requiredEnv: [],
    routes: [] as { path: string; app: Hono<QuickbackEnv> }[],
    corsOrigins: [],
    securityHeaders: {},
    etag: false,
    transactions: 'async',
    ...extra,
  });
}

describe('the Better Auth route', () => {
  it('answers 503 STORAGE_UNAVAILABLE only to the request whose store call failed, not to a concurrent one failing otherwise', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    vi.spyOn(console, 'warn').mockImplementation(() => {});
    const store = kvStore({
      get: async () => {
        await later(20);
        throw new Error('KV GET failed: 500');
      },
      put: async () => {},
      delete: async () => {},
    });
    const auth: AuthLike = {
      api: { getSession: async () => null },
      async handler(request) {
        if (new URL(request.url).pathname.endsWith('/get-session')) {
          await store.get('session').catch(() => undefined); // swallowed, as Better Auth does
        } else {
          await later(60); // its own failure, while the other request's store call fails
        }
        return new Response(null, { status: 500 });
      },
    };
    const app = appWith(auth);
    const [storage, other] = await Promise.all([
      app.request('http://api.test/auth/v1/get-session'),
      app.request('http://api.test/auth/v1/sign-in/email', {
        method: 'POST',
        body: '{}',
        headers: { 'content-type': 'application/json' },
      }),
    ]);
    expect([storage.status, (await storage.json()).code]).toEqual([503, 'STORAGE_UNAVAILABLE']);
    expect([other.status, (await other.json()).code]).toEqual([500, 'INTERNAL_SERVER_ERROR']);
  });

  it('reads QUICKBACK_BODY_TIMEOUT_MS once, not on every request', async () => {
    let reads = 0;
    const env = new Proxy({} as Record<string, string | undefined>, {
      get: (_t, name) => (name === 'QUICKBACK_BODY_TIMEOUT_MS' ? (reads++, '5000') : undefined),
    });
    const auth: AuthLike = {
      api: { getSession: async () => null },
      handler: async (request) => new Response(await request.text()),
    };
    const app = appWith(auth, env, { bodyDeadline: true });
    for (const body of ['{"a":1}', '{"b":2}', '{"c":3}']) {
      const res = await app.request('http://api.test/auth/v1/sign-in/email', {
        method: 'POST',
        body,
        headers: { 'content-type': 'application/json' },
      });
      expect(await res.text()).toBe(body);
    }
    expect(reads).toBe(1);
  });
});
