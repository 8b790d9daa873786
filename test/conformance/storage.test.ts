/**
 * defineStorage on Node (seed 000, issue #12 §2): the store is Better Auth's secondary storage.
 * Sessions live there, not in the auth database; rate-limit counters too. With Redis (the local
 * server at 127.0.0.1:6379) two app instances share sessions and counters, as two server
 * processes would; with memory each instance has its own. `defineStorage("kv")` is Redis off
 * Cloudflare. (Workers KV: workers-env.test.ts; the store contract: src/runtime/kv-store.test.ts.)
 */
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { createClient } from '@redis/client';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCaller, signUp, type FetchLike } from '../helpers/client.js';
import { copyFixture } from '../helpers/project.js';
import { appEnv, databaseFiles, inProcessTarget } from '../helpers/target.js';

const REDIS_URL = 'redis://127.0.0.1:6379';
const BASE = 'http://127.0.0.1:3000';
/** Sign-in limited to 2 attempts a minute; each run its own client address, so runs never share a counter. */
const config = (storage: string): [string, string][] => [
  [
    '    auth: defineAuth("better-auth", {',
    `    storage: ${storage},\n    auth: defineAuth("better-auth", {\n      rateLimit: { enabled: true, window: 60, max: 100, customRules: { "/sign-in/email": { window: 60, max: 2 }, "/sign-up/email": { window: 60, max: 1000 } } },`,
  ],
  ['import { defineAuth,', 'import { defineStorage, defineAuth,'],
];

describe.each(
  [
    ['redis', `defineStorage("redis", { url: "${REDIS_URL}" })`],
    ['kv (Redis off Cloudflare)', 'defineStorage("kv")'],
    ['memory', 'defineStorage("memory")'],
  ] as const,
)('Better Auth secondary storage on Node: %s', (kind, storage) => {
  const shared = kind !== 'memory';
  let root: string;
  let one: FetchLike;
  let two: FetchLike;
  const redis = createClient({ url: REDIS_URL });
  const ip = `10.${[1, 2, 3].map(() => randomBytes(1)[0]).join('.')}`;

  beforeAll(async () => {
    root = copyFixture('helpdesk', `storage-${kind.split(' ')[0]}`, { config: config(storage) });
    one = (await inProcessTarget(root, 'better-sqlite3')).fetch;
    // A second instance of the app over the same databases: a second server process.
    const { createApp } = await import(pathToFileURL(path.join(root, 'src', 'index.ts')).href);
    const app = createApp(appEnv(root, BASE));
    two = async (request) => app.request(request);
    await redis.connect();
  }, 60_000);
  afterAll(() => redis.destroy());

  const sessionRows = () => {
    const db = new Database(databaseFiles(root).auth, { readonly: true });
    try {
      return (db.prepare('SELECT count(*) AS n FROM session').get() as { n: number }).n;
    } finally {
      db.close();
    }
  };

  it('keeps sessions in the store, not in the auth database', async () => {
    const ada = await signUp(one, BASE, 'Ada');
    expect((await ada.api('GET', '/auth/v1/get-session')).body.user.id).toBe(ada.userId);
    expect(sessionRows()).toBe(0);
    const list = await redis.get(`active-sessions-${ada.userId}`);
    if (shared) expect(JSON.parse(list!)).toHaveLength(1);
    else expect(list).toBeNull();
  });

  it(
    shared
      ? 'a session made on one instance works on the other, and signing out ends it on both'
      : 'each instance knows only its own sessions (one process)',
    async () => {
      const ada = await signUp(one, BASE, 'Ada');
      const cookie = [...ada.jar].map(([k, v]) => `${k}=${v}`).join('; ');
      const onTwo = () =>
        two(new Request(`${BASE}/auth/v1/get-session`, { headers: { cookie } })).then((r) => r.json());
      if (!shared) {
        expect(await onTwo()).toBeNull();
        return;
      }
      expect((await onTwo()).user.id).toBe(ada.userId);
      await ada.auth.signOut();
      expect(await onTwo()).toBeNull();
    },
  );

  it(
    shared
      ? 'rate-limit counters are shared: the third sign-in in the window is 429 wherever it lands'
      : 'rate-limit counters are per instance',
    async () => {
      const attempt = (f: FetchLike) =>
        createCaller(f, BASE).api(
          'POST',
          '/auth/v1/sign-in/email',
          { email: 'nobody@example.com', password: 'wrong-password-1' },
          { 'x-forwarded-for': ip },
        );
      expect((await attempt(one)).status).toBe(401);
      expect((await attempt(two)).status).toBe(401);
      const third = await attempt(shared ? one : two);
      if (!shared) {
        expect(third.status).toBe(401);
        expect((await attempt(two)).status).toBe(429);
        return;
      }
      expect(third.status).toBe(429);
      expect(Number(third.headers.get('x-retry-after'))).toBeGreaterThan(0);
      expect((await redis.keys(`${ip}*`)).length).toBe(1);
    },
  );
});
