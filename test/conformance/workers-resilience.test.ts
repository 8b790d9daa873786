/**
 * Issue #31 on a running Worker (workerd via miniflare; D1; Better Auth's sessions and the bearer
 * token denylist in Workers KV):
 * - Idempotency-Key: a retry replays the first response (Idempotent-Replayed: true, one row),
 *   another body is 409 IDEMPOTENCY_KEY_REUSED, a keyed batch replays, a bad key is 400.
 * - Dependency deadlines (QUICKBACK_DEPENDENCY_TIMEOUT_MS, 300 ms here): the same Worker booted
 *   again over the same persisted D1 and KV, its DB, AUTH_DB and KV bindings wrapped so that we
 *   can make each stall (test/helpers/stalled-bindings.ts: the call is held by a service that
 *   never answers). Signed-in requests and sign-in answer the coded 503 (DATABASE_UNAVAILABLE,
 *   STORAGE_UNAVAILABLE) in about the bound, not a hang and not a 500; the next request once the
 *   binding answers works, no restart.
 * One compile; the healthy Worker signs the caller in, the stalling one reuses its session cookies.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCaller, type Caller } from '../helpers/client.js';
import { createOrg, signUpAll, type User } from '../helpers/orgs.js';
import { copyFixture } from '../helpers/project.js';
import { stalledBindings, type StalledBindings } from '../helpers/stalled-bindings.js';
import type { ConformanceTarget } from '../helpers/target.js';
import { CLOUDFLARE, readWrangler, startWorker, workerTarget } from '../helpers/worker.js';

const BOUND_MS = 300;
const ENV = { QUICKBACK_DEPENDENCY_TIMEOUT_MS: String(BOUND_MS) };
/** A feature with a unique code, so D1 itself (not a check before it) refuses a batch item (as in idempotency.test.ts). */
const CODES_FEATURE = `import { feature, q } from "@quickback/compiler";
export default feature("codes", {
  columns: { id: q.id(), code: q.text().required(), organizationId: q.scope("organization") },
  unique: [{ columns: ["code"] }],
  read: { access: { roles: ["member+"] } },
  create: { access: { roles: ["member+"] } },
});
`;
const KV_SESSIONS: [string, string] = [
  'defineAuth("better-auth", {',
  'defineAuth("better-auth", {\n      kvId: "0123456789abcdef0123456789abcdef",',
];
const KV_DENYLIST: [string, string] = [
  'auth: { roleHierarchy',
  'auth: { jwt: { revocationCheck: "kv" }, roleHierarchy',
];

let root: string;
let t: ConformanceTarget;
let alice: User;
let closed: Promise<void> | undefined;
const closeHealthy = () => (closed ??= t?.close());
beforeAll(async () => {
  root = copyFixture('helpdesk', 'cf-resilience', {
    files: { 'quickback/features/codes/codes.ts': CODES_FEATURE },
    config: [...CLOUDFLARE, KV_SESSIONS, KV_DENYLIST],
  });
  t = await workerTarget(root, { bindings: ENV });
  [alice] = await signUpAll(t.fetch, t.baseURL, ['Alice']);
  await createOrg(alice, 'Acme');
}, 120_000);
afterAll(closeHealthy);

describe('Idempotency-Key on a Worker (D1)', () => {
  it('replays the first response to a retry, once, and refuses the key for another body', async () => {
    const [count, keys] = [t.countRows('tickets'), t.countRows('idempotency_keys')];
    const key = { 'idempotency-key': 'cf-create-1' };
    const first = await alice.api('POST', '/api/v1/tickets', { title: 'Once' }, key);
    expect({ status: first.status, replayed: first.headers.get('idempotent-replayed') }).toEqual({
      status: 201,
      replayed: null,
    });
    const again = await alice.api('POST', '/api/v1/tickets', { title: 'Once' }, key);
    expect({
      status: again.status,
      body: again.body,
      replayed: again.headers.get('idempotent-replayed'),
      type: again.headers.get('content-type'),
    })
      .toEqual({ status: 201, body: first.body, replayed: 'true', type: first.headers.get('content-type') });
    expect(t.countRows('tickets')).toBe(count + 1);
    const other = await alice.api('POST', '/api/v1/tickets', { title: 'Twice' }, key);
    expect({ status: other.status, code: other.body.code }).toEqual({ status: 409, code: 'IDEMPOTENCY_KEY_REUSED' });
    expect([t.countRows('tickets'), t.countRows('idempotency_keys')]).toEqual([count + 1, keys + 1]);
  });

  it('replays a keyed batch (one D1 batch: the refused item by index, the rest written once)', async () => {
    const count = t.countRows('codes');
    const batch = { records: [{ code: 'A' }, { code: 'B' }, { code: 'A' }] };
    const key = { 'idempotency-key': 'cf-batch-1' };
    const first = await alice.api('POST', '/api/v1/codes/batch', batch, key);
    expect(first.status).toBe(207);
    expect(first.body.errors).toMatchObject([{ index: 2, error: { code: 'UNIQUE_VIOLATION' } }]);
    expect(t.countRows('codes')).toBe(count + 2);
    const again = await alice.api('POST', '/api/v1/codes/batch', batch, key);
    expect({ status: again.status, body: again.body, replayed: again.headers.get('idempotent-replayed') }).toEqual({
      status: 207,
      body: first.body,
      replayed: 'true',
    });
    expect(t.countRows('codes')).toBe(count + 2);
  });

  it('answers 400 IDEMPOTENCY_KEY_INVALID for a bad key, writing nothing', async () => {
    const count = t.countRows('tickets');
    for (const bad of ['x'.repeat(256), 'has space', 'a/b']) {
      const res = await alice.api('POST', '/api/v1/tickets', { title: 'Bad key' }, { 'idempotency-key': bad });
      expect({ bad, status: res.status, code: res.body.code }).toEqual({
        bad,
        status: 400,
        code: 'IDEMPOTENCY_KEY_INVALID',
      });
    }
    expect(t.countRows('tickets')).toBe(count);
  });
});

async function timed<T>(work: () => Promise<T>): Promise<{ result: T; ms: number }> {
  const start = Date.now();
  const result = await work();
  return { result, ms: Date.now() - start };
}

describe(`stalled bindings on a Worker answer 503 within the bound (QUICKBACK_DEPENDENCY_TIMEOUT_MS=${BOUND_MS})`, () => {
  let gates: StalledBindings;
  let worker: Awaited<ReturnType<typeof startWorker>>;
  let ada: Caller;
  const list = () => timed(() => ada.api('GET', '/api/v1/tickets'));
  const signIn = () =>
    timed(() =>
      createCaller(fetch, worker.baseURL).api('POST', '/auth/v1/sign-in/email', {
        email: alice.email,
        password: 'correct-horse-battery',
      })
    );
  beforeAll(async () => {
    await closeHealthy(); // the same persisted D1 and KV, behind bindings that can stall
    gates = stalledBindings(readWrangler(root), ['DB', 'AUTH_DB', 'KV']);
    worker = await startWorker(root, { bindings: ENV, extra: gates.extra, workers: [gates.worker], migrate: false });
    ada = createCaller(fetch, worker.baseURL);
    for (const [name, value] of alice.jar) ada.jar.set(name, value);
  }, 60_000);
  afterAll(async () => {
    gates?.stall();
    await worker?.mf.dispose();
  });

  const expect503 = (
    label: string,
    { result, ms }: { result: { status: number; body: any }; ms: number },
    code: string,
  ) => {
    console.log(`${label}: ${result.status} ${result.body?.code} in ${ms} ms`);
    expect({ label, status: result.status, body: result.body }).toMatchObject({
      label,
      status: 503,
      body: { code, error: expect.any(String), layer: expect.any(String), hint: expect.any(String) },
    });
    expect(ms).toBeGreaterThanOrEqual(BOUND_MS - 20);
    expect(ms).toBeLessThan(BOUND_MS + 2_500);
  };

  it(
    'features D1: stalled from the first request (the migration check) and later (the list, a keyed write) is 503 DATABASE_UNAVAILABLE; once it answers, the same key writes',
    async () => {
      gates.stall('DB');
      expect503('D1 stalled, cold', await list(), 'DATABASE_UNAVAILABLE');
      gates.stall();
      expect((await list()).result.status).toBe(200);
      gates.stall('DB');
      const [key, count] = [{ 'idempotency-key': 'cf-stalled-1' }, t.countRows('tickets')];
      expect503('D1 stalled, list', await list(), 'DATABASE_UNAVAILABLE');
      expect503(
        'D1 stalled, keyed write',
        await timed(() => ada.api('POST', '/api/v1/tickets', { title: 'Stalled' }, key)),
        'DATABASE_UNAVAILABLE',
      );
      gates.stall();
      expect((await list()).result.status).toBe(200);
      const retry = await ada.api('POST', '/api/v1/tickets', { title: 'Stalled' }, key);
      expect({ status: retry.status, replayed: retry.headers.get('idempotent-replayed') }).toEqual({
        status: 201,
        replayed: null,
      });
      expect(t.countRows('tickets')).toBe(count + 1);
    },
    20_000,
  );

  it('auth D1 stalled: sign-in and a signed-in list are 503 DATABASE_UNAVAILABLE', async () => {
    gates.stall('AUTH_DB');
    expect503('auth D1 stalled, sign-in', await signIn(), 'DATABASE_UNAVAILABLE');
    expect503('auth D1 stalled, list', await list(), 'DATABASE_UNAVAILABLE');
    gates.stall();
    expect((await signIn()).result.status).toBe(200);
  }, 20_000);

  it(
    "KV (Better Auth's sessions, the token denylist) stalled: a signed-in list, a bearer-token list and sign-in are 503 STORAGE_UNAVAILABLE",
    async () => {
      const token = (await ada.api('POST', '/api/v1/token')).body.token as string;
      const bearer = () =>
        timed(() =>
          createCaller(fetch, worker.baseURL).api('GET', '/api/v1/tickets', undefined, {
            authorization: `Bearer ${token}`,
          })
        );
      expect((await bearer()).result.status).toBe(200);
      gates.stall('KV');
      expect503('KV stalled, list', await list(), 'STORAGE_UNAVAILABLE');
      expect503('KV stalled, bearer token (denylist)', await bearer(), 'STORAGE_UNAVAILABLE');
      expect503('KV stalled, sign-in', await signIn(), 'STORAGE_UNAVAILABLE');
      gates.stall();
      expect([(await list()).result.status, (await bearer()).result.status]).toEqual([200, 200]);
    },
    20_000,
  );
});
