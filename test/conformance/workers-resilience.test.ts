/**
 * Issue #31 on a running Worker (workerd via miniflare; D1, Better Auth's sessions in Workers KV):
 * Idempotency-Key: a retry replays the first response (Idempotent-Replayed: true, one row),
 * another body is 409 IDEMPOTENCY_KEY_REUSED, a keyed batch replays, a bad key is 400.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrg, signUpAll, type User } from '../helpers/orgs.js';
import { copyFixture } from '../helpers/project.js';
import type { ConformanceTarget } from '../helpers/target.js';
import { CLOUDFLARE, workerTarget } from '../helpers/worker.js';

/** A feature with a unique code, so D1 itself (not a check before it) refuses a batch item (as in idempotency.test.ts). */
const CODES_FEATURE = `import { feature, q } from "@quickback/compiler";
export default feature("codes", {
  columns: { id: q.id(), code: q.text().required(), organizationId: q.scope("organization") },
  unique: [{ columns: ["code"] }],
  read: { access: { roles: ["member+"] } },
  create: { access: { roles: ["member+"] } },
});
`;
const KV_SESSIONS: [string, string] = ['defineAuth("better-auth", {', 'defineAuth("better-auth", {\n      kvId: "0123456789abcdef0123456789abcdef",'];

let root: string;
let t: ConformanceTarget;
let alice: User;
beforeAll(async () => {
  root = copyFixture('helpdesk', 'cf-resilience', { files: { 'quickback/features/codes/codes.ts': CODES_FEATURE }, config: [...CLOUDFLARE, KV_SESSIONS] });
  t = await workerTarget(root);
  [alice] = await signUpAll(t.fetch, t.baseURL, ['Alice']);
  await createOrg(alice, 'Acme');
}, 120_000);
afterAll(async () => t?.close());

describe('Idempotency-Key on a Worker (D1)', () => {
  it('replays the first response to a retry, once, and refuses the key for another body', async () => {
    const [count, keys] = [t.countRows('tickets'), t.countRows('idempotency_keys')];
    const key = { 'idempotency-key': 'cf-create-1' };
    const first = await alice.api('POST', '/api/v1/tickets', { title: 'Once' }, key);
    expect({ status: first.status, replayed: first.headers.get('idempotent-replayed') }).toEqual({ status: 201, replayed: null });
    const again = await alice.api('POST', '/api/v1/tickets', { title: 'Once' }, key);
    expect({ status: again.status, body: again.body, replayed: again.headers.get('idempotent-replayed'), type: again.headers.get('content-type') })
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
    expect({ status: again.status, body: again.body, replayed: again.headers.get('idempotent-replayed') }).toEqual({ status: 207, body: first.body, replayed: 'true' });
    expect(t.countRows('codes')).toBe(count + 2);
  });

  it('answers 400 IDEMPOTENCY_KEY_INVALID for a bad key, writing nothing', async () => {
    const count = t.countRows('tickets');
    for (const bad of ['x'.repeat(256), 'has space', 'a/b']) {
      const res = await alice.api('POST', '/api/v1/tickets', { title: 'Bad key' }, { 'idempotency-key': bad });
      expect({ bad, status: res.status, code: res.body.code }).toEqual({ bad, status: 400, code: 'IDEMPOTENCY_KEY_INVALID' });
    }
    expect(t.countRows('tickets')).toBe(count);
  });
});
