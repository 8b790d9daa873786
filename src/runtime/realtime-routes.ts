/**
 * @module quickback/realtime-routes
 * `/broadcast/v1` (reference §7.1): `POST /ws-ticket` gives a signed-in caller a 60-second ticket
 * for one channel (the active organization, else the caller's own); `GET /websocket?ws_ticket=…`
 * refuses a missing, forged or expired ticket with 401 before any upgrade, then hands the socket to
 * the platform (the channel's Durable Object on Workers; the server's upgrade listener on Node).
 * CRUD writes are recorded during the request (`recordChange`) and published once it succeeded,
 * after its transaction committed, so a rolled-back write is never announced.
 */
import { Hono, type Context, type MiddlewareHandler } from 'hono';
import { apiError } from './errors.js';
import { channelOf, rowTarget, type EventType, type Publish, type Row } from './realtime.js';
import { mintTicket, TICKET_TTL_SECONDS, verifyTicket, type Ticket } from './realtime-ticket.js';
import type { ResourceDefinition } from './resource.js';
import type { QuickbackEnv } from './types.js';

export const REALTIME_BASE = '/broadcast/v1';

export interface RealtimeOptions {
  /** The auth secret tickets are signed with. */
  secret(c: Context): string | undefined;
  publish(c: Context): Publish;
  /** Workers: the verified upgrade goes to the channel's Durable Object. */
  upgrade?(c: Context, ticket: Ticket): Promise<Response>;
  /** Workers: keeps publishing alive after the response (waitUntil). */
  defer?(c: Context, work: Promise<unknown>): void;
}

export interface RecordedChange { resource: ResourceDefinition; eventType: EventType; new: Row | null; old: Row | null }

const WANTED = { INSERT: 'onInsert', UPDATE: 'onUpdate', DELETE: 'onDelete' } as const;

/** Notes a successful write of a realtime table, as its readers see the row. */
export function recordChange(c: Context<QuickbackEnv>, resource: ResourceDefinition, eventType: EventType, row: Row, old: Row | null = null): void {
  const changes = c.get('changes');
  if (!changes || !resource.realtime?.[WANTED[eventType]]) return;
  changes.push(eventType === 'DELETE' ? { resource, eventType, new: null, old: row } : { resource, eventType, new: row, old });
}

/** Records the changes of /api requests and publishes them once the response is a success. */
export function changesMiddleware(options: RealtimeOptions): MiddlewareHandler<QuickbackEnv> {
  return async (c, next) => {
    const changes: RecordedChange[] = [];
    c.set('changes', changes);
    await next();
    if (changes.length === 0 || c.res.status >= 400) return;
    const publish = options.publish(c);
    const work = (async () => {
      for (const change of changes) {
        const target = rowTarget(change.resource, (change.new ?? change.old)!);
        if (target) await publish({ type: 'postgres_changes', ...channelOf(target), table: change.resource.name, eventType: change.eventType, new: change.new, old: change.old });
      }
    })().catch((err) => console.error('[quickback] realtime: publishing failed:', (err as Error).message));
    if (options.defer) options.defer(c, work);
  };
}

export function realtimeRoutes(options: RealtimeOptions): Hono<QuickbackEnv> {
  const app = new Hono<QuickbackEnv>();
  const secret = (c: Context) => {
    const value = options.secret(c);
    if (!value) throw apiError('MISSING_ENV', { details: { missing: ['BETTER_AUTH_SECRET'] } });
    return value;
  };
  app.post('/ws-ticket', (c) => {
    const ctx = c.get('ctx');
    if (!ctx.authenticated || !ctx.userId) throw apiError('AUTH_MISSING', { hint: 'Sign in first (session cookie or Authorization: Bearer), then ask for a ticket.' });
    const channel = ctx.activeOrgId ? `org:${ctx.activeOrgId}` : `user:${ctx.userId}`;
    return c.json({ wsTicket: mintTicket(secret(c), ctx, channel), expiresIn: TICKET_TTL_SECONDS, channel });
  });
  app.get('/websocket', async (c) => {
    const ticket = verifyTicket(secret(c), c.req.query('ws_ticket'));
    if (!ticket) throw apiError('AUTH_INVALID_TOKEN', { message: 'The websocket ticket is missing, invalid or expired', hint: 'POST /broadcast/v1/ws-ticket for a new one (it lasts 60 seconds).' });
    if (c.req.header('upgrade')?.toLowerCase() !== 'websocket' || !options.upgrade) {
      throw apiError('VALIDATION_FAILED', { message: 'This route upgrades to a WebSocket', hint: 'Connect with a WebSocket client: new WebSocket(".../broadcast/v1/websocket?ws_ticket=...").' });
    }
    return options.upgrade(c, ticket);
  });
  return app;
}
