/**
 * Idempotency-Key end to end (issue #31 part 5): a real Node server is killed with SIGKILL while
 * a keyed create is held after its write (QUICKBACK_TEST_IDEMPOTENCY_PAUSE_MS, honored only with
 * QUICKBACK_DEV=1), restarted, and the client retries with the same key. On SQLite the key's
 * response was stored before the kill: the retry replays it, one row. On PostgreSQL the kill
 * lands before the request's transaction commits: nothing was written, the retry runs, one row.
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
  const pending = alice.api('POST', '/api/v1/tickets', { title: 'Exactly once' }, KEY).then(() => 'answered', () => 'cut');
  await waitFor(written, 'the keyed write');
  await new Promise((r) => setTimeout(r, 1000)); // PostgreSQL: past the response's store too (the pause follows it)
  first.child.kill('SIGKILL');
  expect(await pending).toBe('cut');
  await new Promise((r) => first.child.exitCode !== null || first.child.signalCode !== null ? r(null) : first.child.once('exit', r));
  const second = await startServer(root, 'node', split, { env });
  try {
    const retry = await alice.api('POST', `${second.baseURL}/api/v1/tickets`, { title: 'Exactly once' }, KEY);
    const again = await alice.api('POST', `${second.baseURL}/api/v1/tickets`, { title: 'Exactly once' }, KEY);
    return { retry, again };
  } finally {
    await second.stop();
  }
}

describe('Idempotency-Key survives SIGKILL between write and response', () => {
  it('node + better-sqlite3: the retry replays the stored response, one row', async () => {
    const root = copyFixture('helpdesk', 'idem-crash');
    await compileAndMigrate(root, 'better-sqlite3');
    const db = dbReader(databaseFiles(root).features);
    const keyStored = () => db.countRows('tickets') === 1 && storedStatus(databaseFiles(root).features) === 201;
    const { retry, again } = await killAndRetry(root, true, {}, keyStored);
    expect({ status: retry.status, replayed: retry.headers.get('idempotent-replayed'), title: retry.body.title }).toEqual({ status: 201, replayed: 'true', title: 'Exactly once' });
    expect(again.body).toEqual(retry.body);
    expect(db.countRows('tickets')).toBe(1);
  }, 180_000);

  describe('node + PostgreSQL (neon through node-postgres)', () => {
    let drop: (() => Promise<void>) | undefined;
    afterAll(async () => drop?.());
    it('the kill lands before the commit: nothing written, the retry writes once', async () => {
      const root = copyFixture('helpdesk', 'idem-crash-pg', { config: [['defineDatabase("better-sqlite3"', 'defineDatabase("neon"']] });
      const database = await createTestDatabase('idemcrash');
      drop = database.drop;
      await compileAndMigratePg(root, database.url);
      const db = pgReader(database.url);
      // The row is not visible until the commit, which the pause holds back: wait for the held request instead.
      const inFlight = () => psqlActive(database.url);
      const { retry, again } = await killAndRetry(root, false, { DATABASE_URL: database.url }, inFlight);
      expect({ status: retry.status, replayed: retry.headers.get('idempotent-replayed'), title: retry.body.title }).toEqual({ status: 201, replayed: null, title: 'Exactly once' });
      expect({ status: again.status, replayed: again.headers.get('idempotent-replayed'), id: again.body.id }).toEqual({ status: 201, replayed: 'true', id: retry.body.id });
      expect(db.countRows('tickets')).toBe(1);
      expect(db.countRows('idempotency_keys')).toBe(1);
    }, 180_000);
  });
});

/** The status stored for KEY's request (null while it runs). */
function storedStatus(file: string): number | null | undefined {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    return (db.prepare('SELECT status FROM idempotency_keys LIMIT 1').get() as { status: number | null } | undefined)?.status;
  } finally {
    db.close();
  }
}

/** A transaction holding uncommitted writes to tickets and idempotency_keys (the paused keyed request). */
function psqlActive(url: string): boolean {
  return psql(url, "SELECT count(DISTINCT c.relname) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation WHERE c.relname IN ('tickets', 'idempotency_keys') AND l.mode = 'RowExclusiveLock' AND l.granted") === '2';
}
