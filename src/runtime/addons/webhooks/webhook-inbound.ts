/**
 * @module quickback/webhook-inbound
 * Inbound webhooks (reference §7.2): `POST /webhooks/v1/inbound/:provider` verifies the signature
 * with WEBHOOK_SECRET_<PROVIDER> — Stripe (`stripe-signature`), GitHub (`x-hub-signature-256`), or
 * any other name with the generic scheme (`x-webhook-signature: t=…,v1=…`) or Standard Webhooks
 * (`webhook-id`, `webhook-timestamp`, `webhook-signature`) — takes the event id and type from
 * signed material only (`identify`), dedupes by that id (or the hash of the signed body), stores
 * the event and answers 200 at once; handlers run afterwards
 * (`processInbound`: "<provider>:<type>", then "<provider>:*", then "*"; a handler that throws is
 * retried with backoff, 5 attempts). Platform admins list events and retry them.
 */
import { createHash } from 'node:crypto';
import { and, desc, eq, isNull, lte, or, type Table } from 'drizzle-orm';
import { Hono, type Context } from 'hono';
import { isPlatformAdmin } from '../../policy/access.js';
import { apiError } from '../../core/errors.js';
import { assertStorable } from '../../core/text-input.js';
import type { QueryDatabase, QuickbackEnv } from '../../core/types.js';
import { retryDelayMs } from './webhook-delivery.js';
import { columnsOf, LEASE_MS, newId, type RunOptions } from './webhook-queue.js';
import { verifyGithub, verifyStandard, verifyTimestamped, type SignatureCheck } from './webhook-signature.js';

export interface InboundEvent {
  id: string;
  provider: string;
  externalId: string;
  type: string;
  payload: unknown;
  receivedAt: string;
}
export type InboundHandler = (event: InboundEvent, ctx: { db: QueryDatabase }) => Promise<void> | void;
export type WebhookHandlers = Record<string, InboundHandler>;

export const INBOUND_MAX_ATTEMPTS = 5;

export interface InboundOptions {
  db(c: Context): QueryDatabase;
  table: Table;
  env(c: Context): Record<string, string | undefined>;
  kick(c: Context): void;
}

/** WEBHOOK_SECRET_STRIPE for "stripe", WEBHOOK_SECRET_MY_CRM for "my-crm". */
export const secretName = (provider: string) => `WEBHOOK_SECRET_${provider.toUpperCase().replace(/-/g, '_')}`;

/** The check, and the event id the signature covers when a scheme signs one (Standard Webhooks' `webhook-id`). */
function verify(
  provider: string,
  secret: string,
  c: Context,
  body: string,
): { check: SignatureCheck; signedId?: string } {
  if (provider === 'stripe') return { check: verifyTimestamped(secret, c.req.header('stripe-signature'), body) };
  if (provider === 'github') return { check: verifyGithub(secret, c.req.header('x-hub-signature-256'), body) };
  const standard = c.req.header('webhook-signature') !== undefined && c.req.header('x-webhook-signature') === undefined;
  if (!standard) return { check: verifyTimestamped(secret, c.req.header('x-webhook-signature'), body) };
  const id = c.req.header('webhook-id');
  return {
    check: verifyStandard(secret, {
      id,
      timestamp: c.req.header('webhook-timestamp'),
      signature: c.req.header('webhook-signature'),
    }, body),
    signedId: id,
  };
}

/**
 * The event's id and type, from what the signature covers: no unsigned header can make a captured
 * delivery a new event or route it to another handler. The id is the body's `id` (Standard
 * Webhooks: the signed `webhook-id`), else `sha256:<hex>` of the signed body; the type is the
 * body's `type`. `x-webhook-id` / `x-webhook-event` are not signed: one that contradicts the signed
 * id or type is refused. GitHub signs neither `x-github-delivery` nor a timestamp: the key is always
 * the body's hash (a body is stored once, whatever headers come with it, whenever); the type is
 * `x-github-event` (GitHub puts it nowhere else) plus the body's `action`.
 */
function identify(
  provider: string,
  c: Context,
  payload: Record<string, unknown>,
  body: string,
  signedId?: string,
): { externalId: unknown; type: unknown } {
  const hash = `sha256:${createHash('sha256').update(body).digest('hex')}`;
  const id = signedId ?? (typeof payload.id === 'string' && payload.id !== '' ? payload.id : hash);
  if (provider === 'github') {
    const action = typeof payload.action === 'string' ? `.${payload.action}` : '';
    return { externalId: hash, type: `${c.req.header('x-github-event') ?? 'unknown'}${action}` };
  }
  if (provider !== 'stripe') {
    for (const [header, signed] of [['x-webhook-id', id], ['x-webhook-event', payload.type]] as const) {
      const claimed = c.req.header(header);
      if (claimed !== undefined && signed !== hash && claimed !== signed) { // without a signed id the hash is the key, whatever the header says
        throw apiError('AUTH_INVALID_TOKEN', {
          message: `${header} is not signed and does not match the signed body`,
          details: { reason: 'unsigned-header', header },
        });
      }
    }
  }
  return { externalId: id, type: payload.type };
}

export function inboundRoutes(options: InboundOptions): Hono<QuickbackEnv> {
  const app = new Hono<QuickbackEnv>();
  const e = columnsOf(options.table);
  app.post('/inbound/:provider', async (c) => {
    const provider = c.req.param('provider');
    const secret = /^[a-z][a-z0-9-]{0,39}$/.test(provider) ? options.env(c)[secretName(provider)] : undefined;
    if (!secret)
      throw apiError('ROUTE_NOT_FOUND', {
        hint: `Set ${
          /^[a-z][a-z0-9-]{0,39}$/.test(provider) ? secretName(provider) : 'WEBHOOK_SECRET_<PROVIDER>'
        } to receive webhooks from this provider.`,
      });
    const body = await c.req.text();
    const { check, signedId } = verify(provider, secret, c, body);
    if (!check.ok)
      throw apiError('AUTH_INVALID_TOKEN', {
        message: 'The webhook signature does not verify',
        details: { reason: check.reason },
      });
    let payload: Record<string, unknown>;
    try {
      payload = JSON.parse(body) as Record<string, unknown>;
    } catch {
      throw apiError('INVALID_JSON');
    }
    const { externalId, type } = identify(
      provider,
      c,
      typeof payload === 'object' && payload !== null ? payload : {},
      body,
      signedId,
    );
    if (typeof externalId !== 'string' || externalId === '' || typeof type !== 'string' || type === '') {
      throw apiError('VALIDATION_FAILED', {
        message: 'The signed body has no event type',
        hint: 'Send "type" (and "id"; without one the event is deduped by the body\'s hash) in the signed body.',
      });
    }
    assertStorable({ id: externalId, type }); // stored as columns of their own (the payload is kept as sent)
    const row = {
      id: newId('whe'),
      provider,
      externalId,
      type,
      payload: body,
      status: 'received',
      attempts: 0,
      nextAttemptAt: Date.now(),
    };
    const inserted = await options.db(c).insert(options.table).values(row).onConflictDoNothing().returning();
    if (inserted.length === 0) return c.json({ received: true, duplicate: true });
    options.kick(c);
    return c.json({ received: true, id: row.id });
  });
  const admin = (c: Context<QuickbackEnv>) => {
    if (!isPlatformAdmin(c.get('ctx')))
      throw apiError('ACCESS_ADMIN_REQUIRED', { hint: 'Inbound webhook events are for platform admins.' });
  };
  app.get('/inbound/events', async (c) => {
    admin(c);
    const rows = await options.db(c).select({
      id: e.id,
      provider: e.provider,
      externalId: e.externalId,
      type: e.type,
      status: e.status,
      attempts: e.attempts,
      lastError: e.lastError,
      receivedAt: e.receivedAt,
      processedAt: e.processedAt,
    })
      .from(options.table).orderBy(desc(e.receivedAt)).limit(100);
    return c.json({ data: rows });
  });
  app.post('/inbound/events/:id/retry', async (c) => {
    admin(c);
    const updated = await options.db(c).update(options.table).set({
      status: 'received',
      attempts: 0,
      nextAttemptAt: Date.now(),
      lockedUntil: null,
      lastError: null,
    }).where(eq(e.id, c.req.param('id'))).returning();
    if (updated.length === 0) throw apiError('NOT_FOUND', { message: 'No such inbound event' });
    options.kick(c);
    return c.json({ id: c.req.param('id'), status: 'received' }, 202);
  });
  return app;
}

/** Runs the handlers of due events (up to `limit`); answers how many ran. */
export async function processInbound(
  db: QueryDatabase,
  table: Table,
  handlers: WebhookHandlers,
  { limit = 20, clock = Date.now, signal }: RunOptions = {},
): Promise<number> {
  const e = columnsOf(table);
  const start = clock();
  const due = (await db.select({ id: e.id }).from(table).where(
    and(eq(e.status, 'received'), lte(e.nextAttemptAt, start), or(isNull(e.lockedUntil), lte(e.lockedUntil, start))),
  ).limit(limit)) as { id: string }[];
  let ran = 0;
  for (const { id } of due) {
    if (signal?.aborted) break;
    const now = clock(); // the claim's own time: earlier handlers of this run may have taken seconds
    const [row] = (await db.update(table).set({ lockedUntil: now + LEASE_MS }).where(
      and(eq(e.id, id), eq(e.status, 'received'), or(isNull(e.lockedUntil), lte(e.lockedUntil, now))),
    ).returning()) as Record<string, any>[]; // eslint-disable-line @typescript-eslint/no-explicit-any
    if (!row) continue;
    const handler = handlers[`${row.provider}:${row.type}`] ?? handlers[`${row.provider}:*`] ?? handlers['*'];
    const attempts = Number(row.attempts) + 1;
    try {
      if (handler)
        await handler(
          {
            id: row.id,
            provider: row.provider,
            externalId: row.externalId,
            type: row.type,
            payload: JSON.parse(row.payload),
            receivedAt: row.receivedAt,
          },
          { db },
        );
      await db.update(table).set({
        status: 'processed',
        attempts,
        lockedUntil: null,
        lastError: null,
        processedAt: new Date().toISOString(),
      }).where(eq(e.id, id));
    } catch (err) {
      const failed = attempts >= INBOUND_MAX_ATTEMPTS;
      await db.update(table).set({
        status: failed ? 'failed' : 'received',
        attempts,
        lockedUntil: null,
        lastError: String((err as Error)?.message ?? err).slice(0, 1000),
        nextAttemptAt: Date.now() + retryDelayMs(attempts),
      }).where(eq(e.id, id));
    }
    ran++;
  }
  return ran;
}
