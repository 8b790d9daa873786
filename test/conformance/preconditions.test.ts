/**
 * If-Match / If-None-Match (runtime/preconditions.ts) on the helpdesk with client ids (PUT):
 * every rule in-process on better-sqlite3, then racing writers on libsql (async driver), a real
 * Node server, PostgreSQL (neon through node-postgres, row level security on) and a Worker on D1.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pgInProcessTarget } from '../helpers/pg-target.js';
import { copyFixture } from '../helpers/project.js';
import { startServer } from '../helpers/server.js';
import { inProcessTarget, type ConformanceTarget } from '../helpers/target.js';
import { CLOUDFLARE, workerTarget } from '../helpers/worker.js';
import { desk, NOTE_ACTION, racePatches, ticket, type Desk } from './preconditions.suite.js';

const CLIENT_IDS: [string, string] = ['generateId: "prefixed"', 'generateId: false'];
const LIBSQL: [string, string] = ['defineDatabase("better-sqlite3"', 'defineDatabase("libsql"'];
const NEON: [string, string] = ['defineDatabase("better-sqlite3"', 'defineDatabase("neon"'];
const project = (label: string, extra: [string, string][] = []) =>
  copyFixture('helpdesk', label, { files: NOTE_ACTION, config: [CLIENT_IDS, ...extra] });

/** 20 racing PATCHes, then 10 racing DELETEs of one record with one If-Match: one DELETE wins; answers the deleted record's id. */
async function racePatchesAndDeletes(t: ConformanceTarget): Promise<string> {
  const d = await desk(t);
  await racePatches(t, d.owner, 20);
  const { id, etag } = await ticket(d.owner);
  const deletes = await Promise.all(
    Array.from({ length: 10 }, () => d.owner.api('DELETE', `/api/v1/tickets/${id}`, undefined, { 'if-match': etag })),
  );
  // The losers re-read: the record is gone (answered as on any deleted record) or changed (412).
  expect(deletes.filter((r) => r.status === 200)).toHaveLength(1);
  expect(
    deletes.filter((r) => r.status !== 200).map((r) => r.body.code).filter((code) =>
      code !== 'PRECONDITION_FAILED' && code !== 'FIREWALL_NOT_FOUND'
    ),
  ).toEqual([]);
  return id;
}

describe('If-Match / If-None-Match, in-process better-sqlite3', () => {
  let t: ConformanceTarget;
  let d: Desk;
  beforeAll(async () => {
    t = await inProcessTarget(project('ifmatch-bsq'), 'better-sqlite3');
    d = await desk(t);
  }, 120_000);
  afterAll(async () => t?.close());

  it('PATCH: a stale or unknown If-Match is 412 and changes nothing; the current one applies and answers the next ETag', async () => {
    const { id, etag } = await ticket(d.owner, { id: 'tk-patch' });
    const stale = await d.owner.api(
      'PATCH',
      `/api/v1/tickets/${id}`,
      { title: 'lost' },
      { 'if-match': 'W/"0000000000000000"' },
    );
    expect(stale).toMatchObject({
      status: 412,
      body: { code: 'PRECONDITION_FAILED', layer: 'validation', details: { header: 'If-Match' } },
    });
    expect(t.readRow('tickets', id)).toMatchObject({ title: 'Printer on fire' });
    // Several tags, strong or weak spelling: the opaque tag is compared (weak comparison).
    const first = await d.owner.api(
      'PATCH',
      `/api/v1/tickets/${id}`,
      { title: 'one' },
      { 'if-match': `"ffffffffffffffff", ${etag.slice(2)}` },
    );
    expect(first.status).toBe(200);
    const next = first.headers.get('etag')!;
    expect(next).not.toBe(etag);
    expect((await d.owner.api('PATCH', `/api/v1/tickets/${id}`, { title: 'two' }, { 'if-match': etag })).status).toBe(
      412,
    );
    const second = await d.owner.api('PATCH', `/api/v1/tickets/${id}`, { title: 'two' }, { 'if-match': next });
    expect(second.status).toBe(200);
    expect((await d.owner.api('GET', `/api/v1/tickets/${id}`)).headers.get('etag')).toBe(second.headers.get('etag'));
    expect((await d.owner.api('PATCH', `/api/v1/tickets/${id}`, { title: 'three' }, { 'if-match': '*' })).status).toBe(
      200,
    );
    expect(t.readRow('tickets', id)).toMatchObject({ title: 'three' });
  });

  it('refuses a malformed header with 400, and checks access (404, 403) before preconditions and preconditions before the body', async () => {
    const { id } = await ticket(d.owner, { id: 'tk-order' });
    const bad = await d.owner.api('PATCH', `/api/v1/tickets/${id}`, { title: 'x' }, { 'if-match': 'abc' });
    expect(bad).toMatchObject({ status: 400, body: { code: 'VALIDATION_FAILED', details: { header: 'If-Match' } } });
    const missing = await d.owner.api('PATCH', '/api/v1/tickets/tk-missing', { title: 'x' });
    expect(await d.owner.api('PATCH', '/api/v1/tickets/tk-missing', { title: 'x' }, { 'if-match': '*' })).toMatchObject(
      { status: missing.status, body: missing.body },
    );
    expect(
      (await d.member.api('PATCH', `/api/v1/tickets/${id}`, { title: 'x' }, { 'if-match': 'W/"0000000000000000"' }))
        .body.code,
    ).toBe('ACCESS_CONDITION_FAILED');
    expect(
      (await d.owner.api('PATCH', `/api/v1/tickets/${id}`, { nope: 1 }, { 'if-match': 'W/"0000000000000000"' })).status,
    ).toBe(412);
    expect(t.readRow('tickets', id)).toMatchObject({ title: 'Printer on fire' });
  });

  it('compares the ETag the caller reads: masking gives a member another tag than an admin', async () => {
    const { id, etag: ownerTag } = await ticket(d.owner, {
      id: 'tk-mask',
      customerEmail: 'jane@example.com',
      assigneeId: d.member.userId,
    });
    const read = await d.member.api('GET', `/api/v1/tickets/${id}`);
    expect(read.body.customerEmail).not.toBe('jane@example.com');
    const memberTag = read.headers.get('etag')!;
    expect(memberTag).not.toBe(ownerTag);
    expect((await d.member.api('PATCH', `/api/v1/tickets/${id}`, { title: 'mine' }, { 'if-match': ownerTag })).status)
      .toBe(412);
    const ok = await d.member.api('PATCH', `/api/v1/tickets/${id}`, { title: 'mine' }, { 'if-match': memberTag });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('etag')).toBe((await d.member.api('GET', `/api/v1/tickets/${id}`)).headers.get('etag'));
  });

  it('DELETE: a stale If-Match keeps the record; the current one deletes it', async () => {
    const { id, etag } = await ticket(d.owner, { id: 'tk-delete' });
    await d.owner.api('PATCH', `/api/v1/tickets/${id}`, { title: 'moved on' });
    const stale = await d.owner.api('DELETE', `/api/v1/tickets/${id}`, undefined, { 'if-match': etag });
    expect(stale.status).toBe(412);
    expect(t.readRow('tickets', id)).toMatchObject({ deleted_at: null });
    const current = (await d.owner.api('GET', `/api/v1/tickets/${id}`)).headers.get('etag')!;
    expect((await d.owner.api('DELETE', `/api/v1/tickets/${id}`, undefined, { 'if-match': current })).status).toBe(200);
    expect(t.readRow('tickets', id)?.deleted_at).not.toBeNull();
    expect((await d.owner.api('DELETE', `/api/v1/tickets/${id}`, undefined, { 'if-match': '*' })).body.code).toBe(
      'FIREWALL_NOT_FOUND',
    );
  });

  it('PUT: If-None-Match: * only creates, If-Match only replaces what exists', async () => {
    const put = (id: string, body: string, headers: Record<string, string>) =>
      d.owner.api('PUT', `/api/v1/notes/${id}`, { body }, headers);
    const nope = await put('tk-put', 'nope', { 'if-match': '*' });
    expect(nope.body).toMatchObject({ code: 'PRECONDITION_FAILED', hint: expect.stringContaining('does not exist') });
    expect(t.readRow('notes', 'tk-put')).toBeUndefined();
    const created = await put('tk-put', 'made', { 'if-none-match': '*' });
    expect(created.status).toBe(201);
    expect(created.headers.get('etag')).toBe((await d.owner.api('GET', '/api/v1/notes/tk-put')).headers.get('etag'));
    expect((await put('tk-put', 'again', { 'if-none-match': '*' })).body).toMatchObject({
      code: 'PRECONDITION_FAILED',
      details: { header: 'If-None-Match' },
    });
    expect((await put('tk-put', 'stale', { 'if-match': 'W/"0000000000000000"' })).status).toBe(412);
    expect((await put('tk-put', 'replaced', { 'if-match': created.headers.get('etag')! })).status).toBe(200);
    expect(t.readRow('notes', 'tk-put')).toMatchObject({ body: 'replaced' });
    // Racing creators with If-None-Match: * — one creates, the others see it exists.
    const racers = await Promise.all(
      Array.from({ length: 8 }, (_, i) => put('tk-race-put', `creator ${i}`, { 'if-none-match': '*' })),
    );
    expect(racers.map((r) => r.status).sort()).toEqual([201, ...Array(7).fill(412)]);
  });

  it('record actions: a stale If-Match is 412 before the handler; racing callers with one ETag run the handler once', async () => {
    const { id, etag } = await ticket(d.owner, { id: 'tk-escalate' });
    await d.owner.api('PATCH', `/api/v1/tickets/${id}`, { title: 'edited' });
    expect(
      (await d.owner.api('POST', `/api/v1/tickets/${id}/escalate`, { reason: 'too slow' }, { 'if-match': etag }))
        .status,
    ).toBe(412);
    expect(t.readRow('tickets', id)).toMatchObject({ priority: 'normal' });
    const { id: noted, etag: noteTag } = await ticket(d.owner, { id: 'tk-note' });
    const notes = await Promise.all(
      Array.from(
        { length: 10 },
        (_, i) => d.owner.api('POST', `/api/v1/tickets/${noted}/note`, { body: `note ${i}` }, { 'if-match': noteTag }),
      ),
    );
    expect(notes.map((r) => r.status).sort()).toEqual([200, ...Array(9).fill(412)]);
    const comments = await d.owner.api('GET', `/api/v1/ticket-comments?ticketId=${noted}`);
    expect(comments.body.data).toHaveLength(1);
    // A failing handler undoes the claim: the ETag the caller holds still applies.
    const current = (await d.owner.api('GET', `/api/v1/tickets/${noted}`)).headers.get('etag')!;
    expect(
      (await d.owner.api('POST', `/api/v1/tickets/${noted}/note`, { body: 'fail' }, { 'if-match': current })).status,
    ).toBe(500);
    expect((await d.owner.api('GET', `/api/v1/tickets/${noted}`)).headers.get('etag')).toBe(current);
  });

  it('20 racing PATCHes with one If-Match: exactly one 200, the rest 412', async () => {
    await racePatches(t, d.owner, 20);
  });
});

describe('racing If-Match writers, libsql in-process and a real Node server', () => {
  let root: string;
  let t: ConformanceTarget;
  beforeAll(async () => {
    t = await inProcessTarget(root = project('ifmatch-libsql', [LIBSQL]), 'libsql');
  }, 120_000);
  afterAll(async () => t?.close());

  it('20 racing PATCHes: one 200, nineteen 412 (libsql, in-process)', async () => {
    await racePatches(t, (await desk(t)).owner, 20);
  });

  it('20 racing PATCHes: one 200, nineteen 412 (Node server over HTTP)', async () => {
    const server = await startServer(root, 'node');
    const target = { ...t, name: 'node server', fetch: (request: Request) => fetch(request), baseURL: server.baseURL };
    try {
      await racePatches(target, (await desk(target)).owner, 20);
    } finally {
      await server.stop();
    }
  }, 60_000);
});

describe('racing If-Match writers, PostgreSQL (row level security)', () => {
  let t: ConformanceTarget;
  beforeAll(async () => {
    t = await pgInProcessTarget(project('ifmatch-pg', [NEON]), 'ifmatch');
  }, 120_000);
  afterAll(async () => t?.close());

  it('20 racing PATCHes and DELETEs with one If-Match: one wins, the rest 412', async () => {
    await racePatchesAndDeletes(t);
  });
});

describe('racing If-Match writers, Cloudflare Worker + D1 (miniflare)', () => {
  let t: ConformanceTarget;
  beforeAll(async () => {
    t = await workerTarget(project('ifmatch-cf', CLOUDFLARE));
  }, 180_000);
  afterAll(async () => t?.close());

  it('20 racing PATCHes and 10 racing soft DELETEs (one D1 batch each) with one If-Match: one wins', async () => {
    const id = await racePatchesAndDeletes(t);
    expect(t.readRow('tickets', id)?.deleted_at).not.toBeNull();
  }, 60_000);
});
