/**
 * The delivery queue's lease with two processes on one database (two `runDue` callers on one
 * SQLite file, a fake clock, a receiver on 127.0.0.1): a lease starts when its row is claimed (not
 * when the run started), the attempt's timeout ends before the lease does, and a holder whose
 * lease has passed cannot overwrite the outcome of the process that took the row over.
 */
import Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { integer, real, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { QueryDatabase } from '../../core/types.js';
import { enqueueEvent, leaseMs, LEASE_MS, runDue } from './webhook-queue.js';

const endpoints = sqliteTable('webhook_endpoints', {
  id: text('id').primaryKey(),
  url: text('url'),
  secret: text('secret'),
  events: text('events', { mode: 'json' }),
  active: integer('active', { mode: 'boolean' }),
  organizationId: text('organization_id'),
  userId: text('user_id'),
});
const deliveries = sqliteTable('webhook_deliveries', {
  id: text('id').primaryKey(),
  endpointId: text('endpoint_id'),
  eventId: text('event_id'),
  eventType: text('event_type'),
  body: text('body'),
  status: text('status'),
  attempts: integer('attempts'),
  nextAttemptAt: real('next_attempt_at'),
  lockedUntil: real('locked_until'),
  lastStatus: integer('last_status'),
  lastError: text('last_error'),
  responseBody: text('response_body'),
  deliveredAt: text('delivered_at'),
});
const tables = { endpoints, deliveries };
const POLICY = { allowInsecure: true, allowPrivate: true };

let sqlite: Database.Database;
let db: QueryDatabase;
let url = '';
/** What the receiver does with each POST (by its X-Webhook-Delivery); it answers 200 unless told otherwise. */
let onPost: (delivery: string, res: ServerResponse) => Promise<void> | void = (_d, res) => {
  res.end('ok');
};
const posts: string[] = [];
const server = createServer((req: IncomingMessage, res) => {
  req.resume().on('end', () => {
    const delivery = String(req.headers['x-webhook-delivery']);
    posts.push(delivery);
    void onPost(delivery, res);
  });
});

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`;
});
afterAll(() =>
  new Promise<void>((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  })
);
beforeEach(() => {
  sqlite = new Database(':memory:');
  sqlite.exec(
    `CREATE TABLE webhook_endpoints (id TEXT PRIMARY KEY, url TEXT, secret TEXT, events TEXT, active INTEGER, organization_id TEXT, user_id TEXT);
    CREATE TABLE webhook_deliveries (id TEXT PRIMARY KEY, endpoint_id TEXT, event_id TEXT, event_type TEXT, body TEXT, status TEXT, attempts INTEGER,
      next_attempt_at REAL, locked_until REAL, last_status INTEGER, last_error TEXT, response_body TEXT, delivered_at TEXT);`,
  );
  db = drizzle(sqlite) as unknown as QueryDatabase;
  sqlite.prepare('INSERT INTO webhook_endpoints VALUES (?, ?, ?, ?, 1, ?, NULL)').run(
    'we_1',
    url,
    'whsec_test',
    '["*"]',
    'org_1',
  );
  posts.length = 0;
  onPost = (_d, res) => {
    res.end('ok');
  };
});

const enqueue = (n: number) =>
  Promise.all(
    Array.from(
      { length: n },
      (_, i) => enqueueEvent(db, tables, { type: 'tickets.created', data: { i }, organizationId: 'org_1' }),
    ),
  ).then((ids) => ids.flat());
const row = (id: string) =>
  sqlite.prepare(
    'SELECT status, attempts, locked_until AS lockedUntil, last_error AS lastError FROM webhook_deliveries WHERE id = ?',
  ).get(id) as Record<string, unknown>;

describe('webhook delivery leases', () => {
  it('QUICKBACK_WEBHOOK_LEASE_SECONDS: 2-300 seconds, anything else the 30 s default', () => {
    expect([leaseMs('5'), leaseMs('300'), leaseMs('2')]).toEqual([5000, 300_000, 2000]);
    for (const bad of [undefined, '', '1', '301', 'abc', '-5']) expect(leaseMs(bad)).toBe(LEASE_MS);
  });

  it('a lease starts at its own claim: a row claimed late in a slow run is not taken over by the other process while it is being sent', async () => {
    const [first, second] = await enqueue(2);
    let now = Date.now();
    const clock = () => now;
    let other = -1;
    onPost = async (delivery, res) => {
      // The first attempt takes 25 s of the run's 30 s lease; during the second, the other process runs at 31 s.
      if (delivery === first) now += 25_000;
      if (delivery === second && other < 0) other = await runDue(db, tables, POLICY, { clock: () => now + 6000 });
      res.end('ok');
    };
    expect(await runDue(db, tables, POLICY, { clock })).toBe(2);
    expect(other).toBe(0);
    expect(posts.sort()).toEqual([first, second].sort());
    expect([row(first).status, row(second).status]).toEqual(['delivered', 'delivered']);
  });

  it("the attempt times out a second before the lease ends; a holder past its lease cannot overwrite the next holder's outcome", async () => {
    const [id] = await enqueue(1);
    const now = Date.now();
    let taken = -1;
    onPost = async (delivery, res) => {
      if (posts.length > 1) {
        res.end('ok');
        return;
      }
      // The first holder stalls: its lease (3 s) passes, the other process takes the row and delivers it.
      taken = await runDue(db, tables, POLICY, { leaseMs: 3000, clock: () => now + 3001 });
      setTimeout(() => res.destroyed || res.writeHead(500).end('late'), 20_000).unref();
    };
    const started = Date.now();
    expect(await runDue(db, tables, POLICY, { leaseMs: 3000, clock: () => now })).toBe(1);
    expect(Date.now() - started).toBeLessThan(9000); // timed out at 2 s (lease - 1 s), not at the 10 s default
    expect(taken).toBe(1);
    expect(posts).toEqual([id, id]);
    expect(row(id)).toMatchObject({ status: 'delivered', attempts: 1, lockedUntil: null });
  });
});
