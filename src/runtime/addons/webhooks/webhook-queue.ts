/**
 * @module quickback/webhook-queue
 * The job table of outbound webhooks: `enqueueEvent` writes one delivery per active endpoint of the
 * event's organization (or user) that wants its type, its body shaped for that endpoint when the
 * event says how (`dataFor`: table events read as the endpoint's roles, webhook-readers.ts); `runDue` claims due deliveries (a short
 * lease, so two processes never send one twice), attempts each (webhook-delivery.ts) and records
 * the outcome: delivered, retried after the backoff, or failed for good. Node runs `runDue` in a
 * loop (stopped cleanly at shutdown); Workers after the request (waitUntil) and from a cron trigger.
 *
 * The lease (QUICKBACK_WEBHOOK_LEASE_SECONDS on Node and Bun, 2-300, default 30) starts when a row
 * is claimed, the attempt's timeout ends a second before it, and the outcome is written only while
 * the lease is still this process's: a process killed mid-delivery leaves its row to the others
 * once the lease has passed, and a late writer never overwrites the next holder's outcome.
 */
import { randomBytes } from 'node:crypto';
import { and, eq, isNull, lte, or, type Table } from 'drizzle-orm';
import { onShutdown } from '../../core/shutdown.js';
import type { QueryDatabase } from '../../core/types.js';
import { afterFailure, attemptDelivery, DELIVERY_TIMEOUT_MS, retryDelayMs } from './webhook-delivery.js';
import { log } from '../../core/log.js';
import type { TargetPolicy } from './webhook-targets.js';

export interface WebhookTables {
  endpoints: Table;
  deliveries: Table;
}
/* eslint-disable @typescript-eslint/no-explicit-any -- drizzle columns of the generated webhook tables */
/** The columns of a generated webhook table, by key (the three tables share this module). */
export const columnsOf = (table: Table) => table as unknown as Record<string, any>;

export const LEASE_MS = 30_000;
/** What an attempt leaves of its lease for recording the outcome. */
const LEASE_MARGIN_MS = 1000;

/** QUICKBACK_WEBHOOK_LEASE_SECONDS (2-300), else 30 s, in milliseconds. */
export function leaseMs(value: string | undefined): number {
  const seconds = Number(value);
  return (Number.isFinite(seconds) && seconds >= 2 && seconds <= 300 ? seconds : LEASE_MS / 1000) * 1000;
}

export interface RunOptions {
  /** Deliveries attempted per run (20). */
  limit?: number;
  /** How long a claimed delivery stays this process's (LEASE_MS). */
  leaseMs?: number;
  clock?: () => number;
  /** Aborted (shutdown): nothing more is claimed; the attempt under way finishes and is recorded. */
  signal?: AbortSignal;
}
export const newId = (prefix: string) => `${prefix}_${randomBytes(16).toString('hex')}`;

export interface WebhookEvent {
  type: string;
  data: unknown;
  organizationId?: string;
  userId?: string;
  /** The data for one endpoint (instead of `data`); null: that endpoint gets no delivery. */
  dataFor?(endpoint: Record<string, unknown>): unknown;
}

/** One delivery per endpoint that wants the event; answers their ids. */
export async function enqueueEvent(
  db: QueryDatabase,
  tables: WebhookTables,
  event: WebhookEvent,
  only?: string,
): Promise<string[]> {
  const e = columnsOf(tables.endpoints);
  const scope = event.organizationId
    ? eq(e.organizationId, event.organizationId)
    : event.userId
    ? and(eq(e.userId, event.userId), isNull(e.organizationId))
    : undefined;
  if (!scope) return [];
  const endpoints = (await db.select().from(tables.endpoints).where(
    and(scope, eq(e.active, true), ...(only ? [eq(e.id, only)] : [])),
  )) as { id: string; events: string[] }[];
  const wanted = endpoints.filter((endpoint) =>
    only || endpoint.events.includes('*') || endpoint.events.includes(event.type)
  );
  const eventId = newId('evt');
  const createdAt = new Date().toISOString();
  const rows = wanted.flatMap((endpoint) => {
    const data = event.dataFor ? event.dataFor(endpoint) : event.data;
    if (event.dataFor && (data === null || data === undefined)) return [];
    const body = JSON.stringify({ id: eventId, type: event.type, data, createdAt });
    return [{
      id: newId('whd'),
      endpointId: endpoint.id,
      eventId,
      eventType: event.type,
      body,
      status: 'pending',
      attempts: 0,
      nextAttemptAt: Date.now(),
    }];
  });
  if (rows.length === 0) return [];
  await db.insert(tables.deliveries).values(rows);
  return rows.map((r) => r.id);
}

/** Attempts every due delivery (up to `limit`); answers how many were attempted. */
export async function runDue(
  db: QueryDatabase,
  tables: WebhookTables,
  policy: TargetPolicy,
  options: RunOptions = {},
): Promise<number> {
  const { limit = 20, leaseMs: lease = LEASE_MS, clock = Date.now, signal } = options;
  const d = columnsOf(tables.deliveries);
  const free = (now: number) => or(isNull(d.lockedUntil), lte(d.lockedUntil, now));
  const start = clock();
  const due = (await db.select({ id: d.id }).from(tables.deliveries)
    .where(and(eq(d.status, 'pending'), lte(d.nextAttemptAt, start), free(start))).limit(limit)) as { id: string }[];
  let attempted = 0;
  for (const { id } of due) {
    if (signal?.aborted) break;
    // The clock of the claim itself: earlier attempts of this run may have taken seconds.
    const now = clock();
    const claimed = (await db.update(tables.deliveries).set({ lockedUntil: now + lease })
      .where(and(eq(d.id, id), eq(d.status, 'pending'), free(now))).returning()) as Record<string, any>[];
    if (claimed.length === 0) continue; // another process has it
    await attemptOne(db, tables, policy, claimed[0], Math.min(DELIVERY_TIMEOUT_MS, lease - LEASE_MARGIN_MS));
    attempted++;
  }
  return attempted;
}

async function attemptOne(
  db: QueryDatabase,
  tables: WebhookTables,
  policy: TargetPolicy,
  delivery: Record<string, any>,
  timeoutMs: number,
): Promise<void> {
  const d = columnsOf(tables.deliveries);
  const e = columnsOf(tables.endpoints);
  // Only while the lease is still ours (fencing): past it, another process may hold the row.
  const ours = and(eq(d.id, delivery.id), eq(d.lockedUntil, delivery.lockedUntil));
  const [endpoint] = (await db.select().from(tables.endpoints).where(eq(e.id, delivery.endpointId)).limit(1)) as Record<
    string,
    any
  >[];
  const attempts = Number(delivery.attempts) + 1;
  if (!endpoint || !endpoint.active) {
    await db.update(tables.deliveries).set({
      status: 'failed',
      attempts,
      lockedUntil: null,
      lastError: 'the endpoint was deleted or disabled',
    }).where(ours);
    return;
  }
  const result = await attemptDelivery(
    { id: delivery.id, url: endpoint.url, secret: endpoint.secret, event: delivery.eventType, body: delivery.body },
    policy,
    fetch,
    Date.now(),
    timeoutMs,
  );
  const status = result.outcome === 'delivered'
    ? 'delivered'
    : result.outcome === 'failed'
    ? 'failed'
    : afterFailure(attempts) === 'failed'
    ? 'failed'
    : 'pending';
  const recorded = (await db.update(tables.deliveries).set({
    status,
    attempts,
    lockedUntil: null,
    lastStatus: result.status,
    lastError: result.error,
    responseBody: result.responseBody,
    nextAttemptAt: status === 'pending' ? Date.now() + retryDelayMs(attempts) : delivery.nextAttemptAt,
    ...(status === 'delivered' ? { deliveredAt: new Date().toISOString() } : {}),
  }).where(ours).returning({ id: d.id })) as unknown[];
  if (recorded.length === 0)
    log.warn(`webhooks: delivery ${delivery.id} outlived its lease; its outcome (${status}) was not recorded`);
}

/**
 * Node and Bun: `runDue` every `intervalMs` (and on `wake()`), one run at a time. `stop()` (also
 * at shutdown: shutdown.ts) ends the loop: the run under way claims nothing more, and its promise
 * settles once the attempt in flight is recorded, so no lease is left behind.
 */
export function startDeliveryLoop(run: (signal: AbortSignal) => Promise<number>, intervalMs = 1000) {
  const stopped = new AbortController();
  let running: Promise<unknown> | null = null;
  const tick = () => {
    if (stopped.signal.aborted) return running ?? Promise.resolve();
    running ??= run(stopped.signal).catch((err) => log.error('webhooks: the delivery loop failed:', err)).finally(
      () => {
        running = null;
      },
    );
    return running;
  };
  const timer = setInterval(tick, intervalMs);
  timer.unref?.();
  const stop = async () => {
    clearInterval(timer);
    stopped.abort();
    unregister();
    await running;
  };
  const unregister = onShutdown(stop);
  return { wake: tick, stop };
}
