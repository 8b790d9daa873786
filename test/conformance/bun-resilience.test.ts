/**
 * Issue #31 parts 5 and 6 on a real Bun server (bun:sqlite), over HTTP: Idempotency-Key replays
 * (one row), refuses the key for another body (409 IDEMPOTENCY_KEY_REUSED) and while the first
 * request still runs (409 IDEMPOTENCY_KEY_IN_PROGRESS), and survives a SIGKILL between the write
 * and the response (restart, retry: never a second row); If-Match / If-None-Match with racing
 * writers that hold one ETag: exactly one wins, the rest 412, nothing else changed. One compiled
 * project (client ids, the `note` action of preconditions.suite.ts, slow on request) and one
 * server for the file; the crash case starts its own processes on the same database.
 */
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyFixture } from '../helpers/project.js';
import { hasBun, startServer } from '../helpers/server.js';
import { compileAndMigrate, databaseFiles, dbReader, type ConformanceTarget } from '../helpers/target.js';
import { desk, NOTE_ACTION, racePatches, ticket, type Desk } from './preconditions.suite.js';

const HANDLER = 'quickback/features/tickets/handlers/note.ts';
/** The note action sleeps 2 s for a body starting with "slow" (a request still running). */
const files = {
  ...NOTE_ACTION,
  [HANDLER]: NOTE_ACTION[HANDLER].replace(
    '  if (input.body === "fail")',
    '  if (input.body.startsWith("slow")) await new Promise((r) => setTimeout(r, 2000));\n  if (input.body === "fail")',
  ),
};
const config: [string, string][] = [
  ['defineRuntime("node")', 'defineRuntime("bun")'],
  ['generateId: "prefixed"', 'generateId: false'],
];
const PAUSE = { QUICKBACK_TEST_IDEMPOTENCY_PAUSE_MS: '120000' };
const newId = () => `tk-${Math.random().toString(36).slice(2, 10)}`;

async function waitFor(check: () => boolean, ms: number): Promise<boolean> {
  const until = Date.now() + ms;
  while (!check()) {
    if (Date.now() > until) return false;
    await new Promise((r) => setTimeout(r, 25));
  }
  return true;
}

describe.runIf(hasBun())('bun server + bun:sqlite: Idempotency-Key and If-Match', () => {
  let root: string;
  let server: Awaited<ReturnType<typeof startServer>>;
  let t: ConformanceTarget;
  let d: Desk;
  beforeAll(async () => {
    root = copyFixture('helpdesk', 'bun-resilience', { config, files });
    expect(NOTE_ACTION[HANDLER]).not.toBe(files[HANDLER]);
    await compileAndMigrate(root, 'better-sqlite3');
    server = await startServer(root, 'bun');
    t = {
      name: 'bun server',
      fetch: (request) => fetch(request),
      baseURL: server.baseURL,
      ...dbReader(databaseFiles(root).features),
      close: server.stop,
    };
    d = await desk(t);
  }, 120_000);
  afterAll(async () => server?.stop());

  it('Idempotency-Key: a retry replays the response (one row), another body or path is 409 IDEMPOTENCY_KEY_REUSED', async () => {
    const count = t.countRows('tickets');
    const key = { 'idempotency-key': 'bun-create-1' };
    const body = { id: newId(), title: 'Once' };
    const first = await d.owner.api('POST', '/api/v1/tickets', body, key);
    expect([first.status, first.headers.get('idempotent-replayed')]).toEqual([201, null]);
    const again = await d.owner.api('POST', '/api/v1/tickets', body, key);
    expect({
      status: again.status,
      body: again.body,
      replayed: again.headers.get('idempotent-replayed'),
      type: again.headers.get('content-type'),
    })
      .toEqual({ status: 201, body: first.body, replayed: 'true', type: first.headers.get('content-type') });
    expect(t.countRows('tickets')).toBe(count + 1);
    const other = await d.owner.api('POST', '/api/v1/tickets', { ...body, title: 'Twice' }, key);
    expect([other.status, other.body.code]).toEqual([409, 'IDEMPOTENCY_KEY_REUSED']);
    const otherPath = await d.owner.api('PATCH', `/api/v1/tickets/${body.id}`, body, key);
    expect([otherPath.status, otherPath.body.code]).toEqual([409, 'IDEMPOTENCY_KEY_REUSED']);
    expect(t.readRow('tickets', body.id)).toMatchObject({ title: 'Once' });
    // Racing retries of a new key: one runs, the others are refused or replay; one row.
    const racing = { id: newId(), title: 'Raced' };
    const raced = await Promise.all(
      Array.from(
        { length: 6 },
        () => d.owner.api('POST', '/api/v1/tickets', racing, { 'idempotency-key': 'bun-race-1' }),
      ),
    );
    expect(raced.filter((r) => r.status === 201 && r.headers.get('idempotent-replayed') === null)).toHaveLength(1);
    for (const r of raced.filter((r) => r.status !== 201))
      expect([r.status, r.body.code]).toEqual([409, 'IDEMPOTENCY_KEY_IN_PROGRESS']);
    expect(t.countRows('tickets')).toBe(count + 2);
  });

  it('Idempotency-Key: 409 IDEMPOTENCY_KEY_IN_PROGRESS while the first request runs, then the replay; the handler ran once', async () => {
    const { id } = await ticket(d.owner);
    const key = { 'idempotency-key': 'bun-slow-1' };
    const note = () => d.owner.api('POST', `/api/v1/tickets/${id}/note`, { body: 'slow note' }, key);
    const first = note();
    // The first has reserved the key (no response yet) and sleeps in its handler.
    expect(
      await waitFor(
        () => query<{ n: number }>('SELECT count(*) AS n FROM idempotency_keys WHERE status IS NULL')!.n === 1,
        1_500,
      ),
    ).toBe(true);
    const during = await note();
    expect([during.status, during.body.code]).toEqual([409, 'IDEMPOTENCY_KEY_IN_PROGRESS']);
    const done = await first;
    expect([done.status, done.headers.get('idempotent-replayed')]).toEqual([200, null]);
    const after = await note();
    expect({ status: after.status, body: after.body, replayed: after.headers.get('idempotent-replayed') }).toEqual({
      status: 200,
      body: done.body,
      replayed: 'true',
    });
    expect((await d.owner.api('GET', `/api/v1/ticket-comments?ticketId=${id}`)).body.data).toHaveLength(1);
  });

  it('If-Match: a stale tag is 412 and changes nothing, writes answer the next ETag, PUT with If-None-Match: * only creates', async () => {
    const { id, etag } = await ticket(d.owner);
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
    const bad = await d.owner.api('PATCH', `/api/v1/tickets/${id}`, { title: 'x' }, { 'if-match': 'abc' });
    expect(bad).toMatchObject({ status: 400, body: { code: 'VALIDATION_FAILED', details: { header: 'If-Match' } } });
    const ok = await d.owner.api('PATCH', `/api/v1/tickets/${id}`, { title: 'one' }, { 'if-match': etag });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('etag')).toBe((await d.owner.api('GET', `/api/v1/tickets/${id}`)).headers.get('etag'));
    const put = (body: string, headers: Record<string, string>) =>
      d.owner.api('PUT', `/api/v1/notes/${id}`, { body }, headers);
    const racers = await Promise.all(
      Array.from({ length: 8 }, (_, i) => put(`creator ${i}`, { 'if-none-match': '*' })),
    );
    expect(racers.map((r) => r.status).sort()).toEqual([201, ...Array(7).fill(412)]);
    expect(t.readRow('notes', id)).toMatchObject({ body: racers.find((r) => r.status === 201)!.body.body });
  });

  it('racing writers with one If-Match: 20 PATCHes, 10 notes, 10 DELETEs — exactly one 2xx each, the rest 412 (or, once deleted, not found)', async () => {
    await racePatches(t, d.owner, 20);
    const { id, etag } = await ticket(d.owner);
    const notes = await Promise.all(
      Array.from(
        { length: 10 },
        (_, i) => d.owner.api('POST', `/api/v1/tickets/${id}/note`, { body: `note ${i}` }, { 'if-match': etag }),
      ),
    );
    expect(notes.map((r) => r.status).sort()).toEqual([200, ...Array(9).fill(412)]);
    expect((await d.owner.api('GET', `/api/v1/ticket-comments?ticketId=${id}`)).body.data).toHaveLength(1);
    const current = (await d.owner.api('GET', `/api/v1/tickets/${id}`)).headers.get('etag')!;
    const deletes = await Promise.all(
      Array.from(
        { length: 10 },
        () => d.owner.api('DELETE', `/api/v1/tickets/${id}`, undefined, { 'if-match': current }),
      ),
    );
    // The losers re-read: the record is gone (answered as any deleted record is) or changed (412).
    expect(deletes.filter((r) => r.status === 200)).toHaveLength(1);
    expect(
      deletes.filter((r) => r.status !== 200).map((r) => r.body.code).filter((code) =>
        code !== 'PRECONDITION_FAILED' && code !== 'FIREWALL_NOT_FOUND'
      ),
    ).toEqual([]);
    expect(t.readRow('tickets', id)?.deleted_at).not.toBeNull();
  });

  it(
    'Idempotency-Key survives SIGKILL between the write and the response: restarted, the retry never writes a second row',
    async () => {
      // The note action inserts a comment with a server-made id: a second run would be a second row.
      const { id } = await ticket(d.owner);
      const paused = await startServer(root, 'bun', true, { env: PAUSE });
      const note = (base: string) =>
        d.owner.api(
          'POST',
          new URL(`/api/v1/tickets/${id}/note`, base).href,
          { body: 'exactly once' },
          { 'idempotency-key': 'bun-crash-1' },
        );
      const pending = note(paused.baseURL).then(() => 'answered', () => 'cut');
      expect(await waitFor(() => commentsOf(id) === 1, 20_000)).toBe(true);
      await waitFor(() => storedStatus() !== null, 2_000); // and its response, where the runtime stores it before the pause
      paused.child.kill('SIGKILL');
      expect(await pending).toBe('cut');
      const restarted = await startServer(root, 'bun');
      try {
        const retry = await note(restarted.baseURL);
        // The response was stored before the kill (the default crash point): the retry replays it.
        expect({ status: retry.status, replayed: retry.headers.get('idempotent-replayed'), body: retry.body }).toEqual({
          status: 200,
          replayed: 'true',
          body: { noted: id },
        });
        const again = await note(restarted.baseURL);
        expect([again.status, again.body]).toEqual([retry.status, retry.body]);
        expect(commentsOf(id)).toBe(1);
      } finally {
        await restarted.stop();
      }
    },
    60_000,
  );

  /** Straight from the database file (the server may be dead). */
  function query<T>(sql: string, ...params: unknown[]): T | undefined {
    const db = new Database(databaseFiles(root).features, { readonly: true, fileMustExist: true });
    try {
      return db.prepare(sql).get(...params) as T | undefined;
    } finally {
      db.close();
    }
  }
  const commentsOf = (ticketId: string) =>
    query<{ n: number }>('SELECT count(*) AS n FROM ticket_comments WHERE ticket_id = ?', ticketId)!.n;
  /** The status stored for the newest key, the crash case's (null while its request runs). */
  const storedStatus = () =>
    query<{ status: number | null }>('SELECT status FROM idempotency_keys ORDER BY expires_at DESC LIMIT 1')?.status;
});
