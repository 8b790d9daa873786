/**
 * @module quickback/webhook-queue
 * The job table of outbound webhooks: `enqueueEvent` writes one delivery per active endpoint of the
 * event's organization (or user) that wants its type, its body shaped for that endpoint when the
 * event says how (`dataFor`: table events read as the endpoint's roles, webhook-readers.ts); `runDue` claims due deliveries (a short
 * lease, so two processes never send one twice), attempts each (webhook-delivery.ts) and records
 * the outcome: delivered, retried after the backoff, or failed for good. Node runs `runDue` in a
 * loop (stopped cleanly at shutdown); Workers after the request (waitUntil) and from a cron trigger.
 */
import { randomBytes } from 'node:crypto';
import { and, eq, isNull, lte, or, type Table } from 'drizzle-orm';
import { onShutdown } from './shutdown.js';
import type { QueryDatabase } from './types.js';
import { afterFailure, attemptDelivery, retryDelayMs } from './webhook-delivery.js';
import type { TargetPolicy } from './webhook-targets.js';

export interface WebhookTables { endpoints: Table; deliveries: Table }
/* eslint-disable @typescript-eslint/no-explicit-any -- drizzle columns of the generated webhook tables */
/** The columns of a generated webhook table, by key (the three tables share this module). */
export const columnsOf = (table: Table) => table as unknown as Record<string, any>;

export const LEASE_MS = 30_000;
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
export async function enqueueEvent(db: QueryDatabase, tables: WebhookTables, event: WebhookEvent, only?: string): Promise<string[]> {
  const e = columnsOf(tables.endpoints);
  const scope = event.organizationId ? eq(e.organizationId, event.organizationId) : event.userId ? and(eq(e.userId, event.userId), isNull(e.organizationId)) : undefined;
  if (!scope) return [];
  const endpoints = (await db.select().from(tables.endpoints).where(and(scope, eq(e.active, true), ...(only ? [eq(e.id, only)] : [])))) as { id: string; events: string[] }[];
  const wanted = endpoints.filter((endpoint) => only || endpoint.events.includes('*') || endpoint.events.includes(event.type));
  const eventId = newId('evt');
  const createdAt = new Date().toISOString();
  const rows = wanted.flatMap((endpoint) => {
    const data = event.dataFor ? event.dataFor(endpoint) : event.data;
    if (event.dataFor && (data === null || data === undefined)) return [];
    const body = JSON.stringify({ id: eventId, type: event.type, data, createdAt });
    return [{ id: newId('whd'), endpointId: endpoint.id, eventId, eventType: event.type, body, status: 'pending', attempts: 0, nextAttemptAt: Date.now() }];
  });
  if (rows.length === 0) return [];
  await db.insert(tables.deliveries).values(rows);
  return rows.map((r) => r.id);
}

export interface RunOptions {
  limit?: number;
  now?: number;
  /** Aborted (shutdown): nothing more is claimed; the attempt under way finishes and is recorded. */
  signal?: AbortSignal;
}

/** Attempts every due delivery (up to `limit`); answers how many were attempted. */
export async function runDue(db: QueryDatabase, tables: WebhookTables, policy: TargetPolicy, { limit = 20, now = Date.now(), signal }: RunOptions = {}): Promise<number> {
  const d = columnsOf(tables.deliveries);
  const due = (await db.select({ id: d.id }).from(tables.deliveries)
    .where(and(eq(d.status, 'pending'), lte(d.nextAttemptAt, now), or(isNull(d.lockedUntil), lte(d.lockedUntil, now)))).limit(limit)) as { id: string }[];
  let attempted = 0;
  for (const { id } of due) {
    if (signal?.aborted) break;
    const claimed = (await db.update(tables.deliveries).set({ lockedUntil: now + LEASE_MS })
      .where(and(eq(d.id, id), eq(d.status, 'pending'), or(isNull(d.lockedUntil), lte(d.lockedUntil, now)))).returning()) as Record<string, any>[];
    if (claimed.length === 0) continue; // another process has it
    await attemptOne(db, tables, policy, claimed[0]);
    attempted++;
  }
  return attempted;
}

async function attemptOne(db: QueryDatabase, tables: WebhookTables, policy: TargetPolicy, delivery: Record<string, any>): Promise<void> {
  const d = columnsOf(tables.deliveries);
  const e = columnsOf(tables.endpoints);
  const [endpoint] = (await db.select().from(tables.endpoints).where(eq(e.id, delivery.endpointId)).limit(1)) as Record<string, any>[];
  const attempts = Number(delivery.attempts) + 1;
  if (!endpoint || !endpoint.active) {
    await db.update(tables.deliveries).set({ status: 'failed', attempts, lockedUntil: null, lastError: 'the endpoint was deleted or disabled' }).where(eq(d.id, delivery.id));
    return;
  }
  const result = await attemptDelivery({ id: delivery.id, url: endpoint.url, secret: endpoint.secret, event: delivery.eventType, body: delivery.body }, policy);
  const status = result.outcome === 'delivered' ? 'delivered' : result.outcome === 'failed' ? 'failed' : afterFailure(attempts) === 'failed' ? 'failed' : 'pending';
  await db.update(tables.deliveries).set({
    status, attempts, lockedUntil: null, lastStatus: result.status, lastError: result.error, responseBody: result.responseBody,
    nextAttemptAt: status === 'pending' ? Date.now() + retryDelayMs(attempts) : delivery.nextAttemptAt,
    ...(status === 'delivered' ? { deliveredAt: new Date().toISOString() } : {}),
  }).where(eq(d.id, delivery.id));
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
    running ??= run(stopped.signal).catch((err) => console.error('[quickback] webhooks: the delivery loop failed:', (err as Error).message)).finally(() => { running = null; });
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
