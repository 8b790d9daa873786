/**
 * Idempotency-Key end to end (issue #31 part 5): a real Node server is killed with SIGKILL while
 * keyed writes are held at a crash point (QUICKBACK_TEST_IDEMPOTENCY_PAUSE_MS and _AT, honored only
 * with QUICKBACK_DEV=1: runtime/idempotency.ts testPause), restarted, and the client retries with the
 * same key. On SQLite (one project, three boots): killed after the write and before the response
 * was stored, a create and a batch create are replayed, rebuilt from their records (one write
 * each); killed before the write, the retry takes the key over and writes once. On PostgreSQL the
 * kill lands before the request's transaction commits: nothing was written, the retry runs, one row.
 */
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { signUp } from '../helpers/client.js';
import { createOrg } from '../helpers/orgs.js';
import { compileAndMigratePg, pgReader, psql } from '../helpers/pg-target.js';
import { createTestDatabase } from '../helpers/postgres.js';
import { copyFixture } from '../helpers/project.js';
import { startServer } from '../helpers/server.js';
import { compileAndMigrate, databaseFiles, dbReader } from '../helpers/target.js';

const PAUSE = { QUICKBACK_TEST_IDEMPOTENCY_PAUSE_MS: '120000' };
const KEY = { 'idempotency-key': 'crash-create-1' };

async function waitFor(check: () => boolean, what: string, ms = 30_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Creates a ticket with KEY on a paused server, SIGKILLs it once `written()` holds, restarts it; answers the retry. */
async function killAndRetry(root: string, split: boolean, env: Record<string, string>, written: () => boolean) {
  const first = await startServer(root, 'node', split, { env: { ...env, ...PAUSE } });
  const alice = await signUp((r) => fetch(r), first.baseURL, 'Alice');
  await createOrg(alice, 'Crashco');
  const pending = alice.api('POST', '/api/v1/tickets', { title: 'Exactly once' }, KEY).then(
    () => 'answered',
    () => 'cut',
  );
  await waitFor(written, 'the keyed write');
  await new Promise((r) => setTimeout(r, 1000)); // PostgreSQL: past the response's store too (the pause follows it)
  first.child.kill('SIGKILL');
  expect(await pending).toBe('cut');
  await new Promise((r) =>
    first.child.exitCode !== null || first.child.signalCode !== null ? r(null) : first.child.once('exit', r)
  );
  const second = await startServer(root, 'node', split, { env });
  try {
    const retry = await alice.api('POST', `${second.baseURL}/api/v1/tickets`, { title: 'Exactly once' }, KEY);
    const again = await alice.api('POST', `${second.baseURL}/api/v1/tickets`, { title: 'Exactly once' }, KEY);
    return { retry, again };
  } finally {
    await second.stop();
  }
}

type Server = Awaited<ReturnType<typeof startServer>>;

/** SIGKILL, then wait for the exit (the database file is free again). */
async function kill(server: Server): Promise<void> {
  server.child.kill('SIGKILL');
  await new Promise((r) =>
    server.child.exitCode !== null || server.child.signalCode !== null ? r(null) : server.child.once('exit', r)
  );
}

describe('Idempotency-Key survives SIGKILL between write and response', () => {
  it(
    'node + better-sqlite3: killed after the write, the retry replays the rebuilt response; killed before it, the retry writes once',
    async () => {
      const root = copyFixture('helpdesk', 'idem-crash');
      await compileAndMigrate(root, 'better-sqlite3');
      const file = databaseFiles(root).features;
      const db = dbReader(file);
      const pause = (at: string) => ({ env: { ...PAUSE, QUICKBACK_TEST_IDEMPOTENCY_PAUSE_AT: at } });
      const single = { 'idempotency-key': 'crash-after-write' };
      const batchKey = { 'idempotency-key': 'crash-batch-after-write' };
      const before = { 'idempotency-key': 'crash-before-write' };
      const records = { records: [{ title: 'Batch one' }, { title: 'Batch two' }] };

      // 1. Held after the route answered, before its response is stored: a create and a batch create, written and marked.
      const first = await startServer(root, 'node', true, pause('store'));
      const alice = await signUp((r) => fetch(r), first.baseURL, 'Alice');
      await createOrg(alice, 'Crashco');
      const cut = [
        alice.api('POST', '/api/v1/tickets', { title: 'Exactly once' }, single),
        alice.api('POST', '/api/v1/tickets/batch', records, batchKey),
      ]
        .map((p) => p.then(() => 'answered', () => 'cut'));
      await waitFor(() => keyStates(file).filter((s) => s === 'written').length === 2, 'both keyed writes marked');
      await kill(first);
      expect(await Promise.all(cut)).toEqual(['cut', 'cut']);
      expect(db.countRows('tickets')).toBe(3);
      expireLocks(file); // as if the 60 s lock ran out

      // 2. The retries are rebuilt from the records (and stored); a new keyed create is held before its write.
      const second = await startServer(root, 'node', true, pause('write'));
      const url = (p: string) => `${second.baseURL}${p}`;
      const retry = await alice.api('POST', url('/api/v1/tickets'), { title: 'Exactly once' }, single);
      const get = await alice.api('GET', url(`/api/v1/tickets/${retry.body.id}`));
      expect({ status: retry.status, replayed: retry.headers.get('idempotent-replayed'), body: retry.body }).toEqual({
        status: 201,
        replayed: 'true',
        body: get.body,
      });
      expect(get.body.title).toBe('Exactly once');
      const batch = await alice.api('POST', url('/api/v1/tickets/batch'), records, batchKey);
      expect({
        status: batch.status,
        replayed: batch.headers.get('idempotent-replayed'),
        titles: batch.body.success.map((r: { title: string }) => r.title),
        errors: batch.body.errors,
        meta: batch.body.meta,
      })
        .toEqual({
          status: 201,
          replayed: 'true',
          titles: ['Batch one', 'Batch two'],
          errors: [],
          meta: { total: 2, succeeded: 2, failed: 0, failFast: false, transactional: true },
        });
      expect((await alice.api('POST', url('/api/v1/tickets'), { title: 'Exactly once' }, single)).body).toEqual(
        retry.body,
      );
      const held = alice.api('POST', url('/api/v1/tickets'), { title: 'Never twice' }, before).then(
        () => 'answered',
        () => 'cut',
      );
      await waitFor(() => keyStates(file).includes('running'), 'the keyed create declared');
      await kill(second);
      expect(await held).toBe('cut');
      expect(db.countRows('tickets')).toBe(3);
      expireLocks(file);

      // 3. Nothing was written before the kill: the retry takes the key over and writes once.
      const third = await startServer(root, 'node', true);
      try {
        const rerun = await alice.api('POST', `${third.baseURL}/api/v1/tickets`, { title: 'Never twice' }, before);
        expect({ status: rerun.status, replayed: rerun.headers.get('idempotent-replayed'), title: rerun.body.title })
          .toEqual({ status: 201, replayed: null, title: 'Never twice' });
        const again = await alice.api('POST', `${third.baseURL}/api/v1/tickets`, { title: 'Never twice' }, before);
        expect({ status: again.status, replayed: again.headers.get('idempotent-replayed'), id: again.body.id }).toEqual(
          { status: 201, replayed: 'true', id: rerun.body.id },
        );
        expect(db.countRows('tickets')).toBe(4);
      } finally {
        await third.stop();
      }
    },
    180_000,
  );

  describe('node + PostgreSQL (neon through node-postgres)', () => {
    let drop: (() => Promise<void>) | undefined;
    afterAll(async () => drop?.());
    it('the kill lands before the commit: nothing written, the retry writes once', async () => {
      const root = copyFixture('helpdesk', 'idem-crash-pg', {
        config: [['defineDatabase("better-sqlite3"', 'defineDatabase("neon"']],
      });
      const database = await createTestDatabase('idemcrash');
      drop = database.drop;
      await compileAndMigratePg(root, database.url);
      const db = pgReader(database.url);
      // The row is not visible until the commit, which the pause holds back: wait for the held request instead.
      const inFlight = () => psqlActive(database.url);
      const { retry, again } = await killAndRetry(root, false, { DATABASE_URL: database.url }, inFlight);
      expect({ status: retry.status, replayed: retry.headers.get('idempotent-replayed'), title: retry.body.title })
        .toEqual({ status: 201, replayed: null, title: 'Exactly once' });
      expect({ status: again.status, replayed: again.headers.get('idempotent-replayed'), id: again.body.id }).toEqual({
        status: 201,
        replayed: 'true',
        id: retry.body.id,
      });
      expect(db.countRows('tickets')).toBe(1);
      expect(db.countRows('idempotency_keys')).toBe(1);
    }, 180_000);
  });
});

/** The state of each key without a stored response: `written` (marked), `running` (declared) or null. */
function keyStates(file: string): (string | null)[] {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    return (db.prepare('SELECT headers FROM idempotency_keys WHERE status IS NULL').all() as {
      headers: string | null;
    }[]).map((row) => (row.headers === null ? null : (JSON.parse(row.headers) as { state: string }).state));
  } finally {
    db.close();
  }
}

/** Every key's lock as run out (the process holding it is dead). */
function expireLocks(file: string): void {
  const db = new Database(file, { fileMustExist: true });
  try {
    db.prepare('UPDATE idempotency_keys SET locked_until = locked_until - 120000 WHERE status IS NULL').run();
  } finally {
    db.close();
  }
}

/** A transaction holding uncommitted writes to tickets and idempotency_keys (the paused keyed request). */
function psqlActive(url: string): boolean {
  return psql(
    url,
    "SELECT count(DISTINCT c.relname) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation WHERE c.relname IN ('tickets', 'idempotency_keys') AND l.mode = 'RowExclusiveLock' AND l.granted",
  ) === '2';
}
