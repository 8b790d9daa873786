/**
 * Idempotency-Key (issue #31 part 5), in-process on better-sqlite3 and PostgreSQL for breadth: a retry replays
 * the stored response (exactly one row), another body is 409 IDEMPOTENCY_KEY_REUSED, keys are per
 * caller and per organization, bad keys are 400, batches and actions replay too; and a plain batch
 * writes the items the database accepts in one atomic unit, reporting the refused one by index.
 */
import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { copyFixture } from '../helpers/project.js';
import { pgInProcessTarget, psql } from '../helpers/pg-target.js';
import { databaseFiles, inProcessTarget, type ConformanceTarget } from '../helpers/target.js';
import { useCast } from './pipeline-cast.js';

/** A feature with a unique code, so the database (not a check before it) refuses an item. */
export const CODES_FEATURE = `import { feature, q } from "@quickback/compiler";
export default feature("codes", {
  columns: { id: q.id(), code: q.text().required(), organizationId: q.scope("organization") },
  unique: [{ columns: ["code"] }],
  read: { access: { roles: ["member+"] } },
  create: { access: { roles: ["member+"] } },
});
`;

const files = { 'quickback/features/codes/codes.ts': CODES_FEATURE };
let sqliteRoot = '';

/** The row id and fingerprint runtime/idempotency.ts computes for a session caller (no API key). */
function keyRow(userId: string, org: string, key: string, method: string, path: string, body: string) {
  const hash = (...parts: string[]) =>
    parts.reduce((h, p) => h.update(p).update('\n'), createHash('sha256')).digest('hex');
  return { id: hash(JSON.stringify([userId, null, org]), key), fingerprint: hash(method, path, body) };
}
const targets: [string, () => Promise<ConformanceTarget>][] = [
  ['better-sqlite3', () => inProcessTarget(sqliteRoot = copyFixture('helpdesk', 'idem', { files }), 'better-sqlite3')],
  // PostgreSQL: the key, the write and the response in the request's transaction (under RLS, as the caller).
  [
    'neon (PostgreSQL, RLS)',
    () =>
      pgInProcessTarget(
        copyFixture('helpdesk', 'idem-pg', {
          files,
          config: [['defineDatabase("better-sqlite3"', 'defineDatabase("neon"']],
        }),
        'idem',
      ),
  ],
];

describe.each(targets)('Idempotency-Key on %s (app.request)', (_label, setup) => {
  const cast = useCast(setup);

  it('replays the first response to a retry, once, and refuses the key for another body', async () => {
    const { t, carol } = cast;
    const count = t.countRows('tickets');
    const key = { 'idempotency-key': 'create-ticket-1' };
    const first = await carol.api('POST', '/api/v1/tickets', { title: 'Once' }, key);
    expect(first.status).toBe(201);
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    const again = await carol.api('POST', '/api/v1/tickets', { title: 'Once' }, key);
    expect({
      status: again.status,
      body: again.body,
      replayed: again.headers.get('idempotent-replayed'),
      type: again.headers.get('content-type'),
    })
      .toEqual({ status: 201, body: first.body, replayed: 'true', type: first.headers.get('content-type') });
    expect(t.countRows('tickets')).toBe(count + 1);
    const other = await carol.api('POST', '/api/v1/tickets', { title: 'Twice' }, key);
    expect({ status: other.status, code: other.body.code }).toEqual({ status: 409, code: 'IDEMPOTENCY_KEY_REUSED' });
    const otherPath = await carol.api('PUT', `/api/v1/tickets/${first.body.id}`, { title: 'Once' }, key);
    expect(otherPath.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(t.countRows('tickets')).toBe(count + 1);
    // Without a key nothing changes: two requests, two rows.
    await carol.api('POST', '/api/v1/tickets', { title: 'Plain' });
    await carol.api('POST', '/api/v1/tickets', { title: 'Plain' });
    expect(t.countRows('tickets')).toBe(count + 3);
  });

  it('keeps keys per caller and per organization', async () => {
    const { t, alice, carol, bob } = cast;
    const key = { 'idempotency-key': 'shared-key' };
    const count = t.countRows('tickets');
    const byCarol = await carol.api('POST', '/api/v1/tickets', { title: 'Mine' }, key);
    const byAlice = await alice.api('POST', '/api/v1/tickets', { title: 'Mine' }, key);
    const byBob = await bob.api('POST', '/api/v1/tickets', { title: 'Mine' }, key);
    expect([byCarol.status, byAlice.status, byBob.status]).toEqual([201, 201, 201]);
    expect(new Set([byCarol.body.id, byAlice.body.id, byBob.body.id]).size).toBe(3);
    expect([byAlice, byBob].map((r) => r.headers.get('idempotent-replayed'))).toEqual([null, null]);
    expect(t.countRows('tickets')).toBe(count + 3);
    // Bob's replay is his own row, never Carol's.
    expect((await bob.api('POST', '/api/v1/tickets', { title: 'Mine' }, key)).body.id).toBe(byBob.body.id);
  });

  it('answers 400 IDEMPOTENCY_KEY_INVALID for bad keys and anonymous callers, writing nothing', async () => {
    const { t, carol, dave } = cast;
    const count = t.countRows('tickets');
    for (const bad of ['', 'x'.repeat(256), 'has space', 'a/b', 'a,b']) {
      const res = await carol.api('POST', '/api/v1/tickets', { title: 'Bad key' }, { 'idempotency-key': bad });
      expect({ bad, status: res.status, code: res.body.code }).toEqual({
        bad,
        status: 400,
        code: 'IDEMPOTENCY_KEY_INVALID',
      });
    }
    const anonymous = await (await import('../helpers/client.js')).createCaller(t.fetch, t.baseURL).api(
      'POST',
      '/api/v1/tickets',
      { title: 'x' },
      { 'idempotency-key': 'anon-1' },
    );
    expect(anonymous.status).toBeGreaterThanOrEqual(400);
    expect(anonymous.status).toBeLessThan(500);
    expect(t.countRows('tickets')).toBe(count);
    // Dave (no organization) gets his own coded refusal, stored and replayed like any 4xx.
    const refused = await dave.api('POST', '/api/v1/tickets', { title: 'x' }, { 'idempotency-key': 'dave-1' });
    const replay = await dave.api('POST', '/api/v1/tickets', { title: 'x' }, { 'idempotency-key': 'dave-1' });
    expect(replay.status).toBe(refused.status);
    expect(refused.status).toBeLessThan(500);
  });

  it('replays batches and actions, and a plain batch writes what the database accepts in one unit', async () => {
    const { t, alice, carol } = cast;
    const count = t.countRows('codes');
    const batch = { records: [{ code: 'A' }, { code: 'B' }, { code: 'A' }, { code: 'C' }] };
    const key = { 'idempotency-key': 'batch-1' };
    const first = await carol.api('POST', '/api/v1/codes/batch', batch, key);
    expect(first.status).toBe(207);
    expect(first.body.errors).toMatchObject([{ index: 2, error: { code: 'UNIQUE_VIOLATION' } }]);
    expect(first.body.success.map((r: { code: string }) => r.code)).toEqual(['A', 'B', 'C']);
    expect(first.body.meta).toEqual({ total: 4, succeeded: 3, failed: 1, failFast: false, transactional: true });
    expect(t.countRows('codes')).toBe(count + 3);
    const again = await carol.api('POST', '/api/v1/codes/batch', batch, key);
    expect({ status: again.status, body: again.body, replayed: again.headers.get('idempotent-replayed') }).toEqual({
      status: 207,
      body: first.body,
      replayed: 'true',
    });
    expect(t.countRows('codes')).toBe(count + 3);

    const ticket = (await carol.api('POST', '/api/v1/tickets', { title: 'Escalate me' })).body;
    const escalate = { 'idempotency-key': 'escalate-1' };
    const action = await alice.api(
      'POST',
      `/api/v1/tickets/${ticket.id}/escalate`,
      { reason: 'customer is waiting' },
      escalate,
    );
    expect(action.status).toBe(200);
    const comments = t.countRows('ticket_comments');
    const replayed = await alice.api(
      'POST',
      `/api/v1/tickets/${ticket.id}/escalate`,
      { reason: 'customer is waiting' },
      escalate,
    );
    expect({ status: replayed.status, body: replayed.body, replayed: replayed.headers.get('idempotent-replayed') })
      .toEqual({ status: 200, body: action.body, replayed: 'true' });
    expect(t.countRows('ticket_comments')).toBe(comments);
  });

  it("after a crash: 409 while the first runs; then a re-run, a rebuilt replay or 409 as the key's marker says", async () => {
    const { t, carol, orgA } = cast;
    const sqlite = _label === 'better-sqlite3';
    const body = JSON.stringify({ title: 'Held' });
    const kept = await carol.api('POST', '/api/v1/tickets', body);
    const written = (ids: unknown[] | null) =>
      JSON.stringify({ state: 'written', kind: 'record', resource: 'tickets', status: 201, ids });
    // Key rows as a process that died would leave them: lock running or expired; undeclared, declared (running), marked written.
    const hold = (key: string, lockedUntil: number, headers: string | null) => {
      const { id, fingerprint } = keyRow(carol.userId, orgA, key, 'POST', '/api/v1/tickets', body);
      const values = {
        id,
        user: carol.userId,
        fingerprint,
        locked: String(lockedUntil),
        expires: String(Date.now() + 60_000),
        headers: headers ?? '',
      };
      if (!sqlite)
        return void psql(
          (t as ConformanceTarget & { url: string }).url,
          "INSERT INTO idempotency_keys (id, user_id, fingerprint, locked_until, expires_at, headers) VALUES (:'id', :'user', :'fingerprint', :'locked', :'expires', NULLIF(:'headers', ''))",
          values,
        );
      const db = new Database(databaseFiles(sqliteRoot).features);
      try {
        db.prepare(
          'INSERT INTO idempotency_keys (id, user_id, fingerprint, locked_until, expires_at, headers) VALUES (?, ?, ?, ?, ?, ?)',
        ).run(id, carol.userId, fingerprint, lockedUntil, Date.now() + 60_000, headers);
      } finally {
        db.close();
      }
    };
    hold('held-1', Date.now() + 60_000, null);
    hold('held-2', Date.now() - 1, null);
    hold('held-3', Date.now() - 1, JSON.stringify({ state: 'running' }));
    hold('held-4', Date.now() - 1, written([kept.body.id]));
    hold('held-5', Date.now() - 1, written(null));
    const count = t.countRows('tickets');
    const send = (key: string) => carol.api('POST', '/api/v1/tickets', body, { 'idempotency-key': key });
    const [running, unknown] = [await send('held-1'), await send('held-2')];
    expect([running.status, running.body.code, unknown.status, unknown.body.code, unknown.body.details]).toEqual([
      409,
      'IDEMPOTENCY_KEY_IN_PROGRESS',
      409,
      'IDEMPOTENCY_KEY_INTERRUPTED',
      undefined,
    ]);
    expect(t.countRows('tickets')).toBe(count);
    const [rerun, rebuilt, opaque] = [await send('held-3'), await send('held-4'), await send('held-5')];
    const seen = (res: typeof rerun) => ({
      status: res.status,
      code: res.body.code,
      details: res.body.details,
      replayed: res.headers.get('idempotent-replayed'),
    });
    if (!sqlite) {
      // PostgreSQL: the key commits with the write, so no such row can be left behind; it is not trusted either.
      for (const res of [rerun, rebuilt, opaque])
        expect(seen(res)).toEqual({
          status: 409,
          code: 'IDEMPOTENCY_KEY_INTERRUPTED',
          details: undefined,
          replayed: null,
        });
      expect(t.countRows('tickets')).toBe(count);
      return;
    }
    // Declared but never marked: nothing was written, the retry ran it (one new row) and its response is stored.
    expect({ ...seen(rerun), title: rerun.body.title }).toEqual({
      status: 201,
      code: undefined,
      details: undefined,
      replayed: null,
      title: 'Held',
    });
    expect(t.countRows('tickets')).toBe(count + 1);
    const again = await send('held-3');
    expect({ ...seen(again), id: again.body.id }).toEqual({
      status: 201,
      code: undefined,
      details: undefined,
      replayed: 'true',
      id: rerun.body.id,
    });
    // Marked: the record as its GET reads it, at the recorded status, stored for the next retry; no write.
    const get = await carol.api('GET', `/api/v1/tickets/${kept.body.id}`);
    expect({ ...seen(rebuilt), body: rebuilt.body }).toEqual({
      status: 201,
      code: undefined,
      details: undefined,
      replayed: 'true',
      body: get.body,
    });
    expect((await send('held-4')).body).toEqual(get.body);
    // Marked without record ids (the database assigns them): written, not rebuilt.
    expect(seen(opaque)).toEqual({
      status: 409,
      code: 'IDEMPOTENCY_KEY_INTERRUPTED',
      details: { written: true },
      replayed: null,
    });
    expect(t.countRows('tickets')).toBe(count + 1);
  });
});
