/**
 * @module quickback/realtime-routes
 * `/broadcast/v1` (reference §7.1): `POST /ws-ticket` gives a signed-in caller a 60-second,
 * single-use ticket for one channel (the active organization, else the caller's own), bound to the
 * session or API key it was asked with (realtime-live.ts); `GET /websocket?ws_ticket=…`
 * refuses a missing, forged or expired ticket with 401 before any upgrade, then hands the socket to
 * the platform (the channel's Durable Object on Workers; the server's upgrade listener on Node),
 * which refuses a used ticket, or one whose caller lost access, the same way.
 * CRUD writes reach the sockets through `realtimeListener` (changes.ts).
 */
import { Hono, type Context } from 'hono';
import { wanted, type ChangeListener } from '../../events/changes.js';
import { apiError } from '../../core/errors.js';
import { channelOf, rowTarget, type Publish } from './realtime.js';
import { mintTicket, ticketRefused, TICKET_TTL_SECONDS, verifyTicket, type Ticket } from './realtime-ticket.js';
import { scopeChannels, scopeTicket, type ScopeTickets } from './realtime-scope.js';
import type { QuickbackEnv } from '../../core/types.js';

export const REALTIME_BASE = '/broadcast/v1';

export interface RealtimeOptions {
  /** The auth secret tickets are signed with, and its name (BETTER_AUTH_SECRET or auth.jwt.secretEnv). */
  secret(c: Context): string | undefined;
  secretEnv: string;
  publish(c: Context): Publish;
  /** Workers: the verified upgrade goes to the channel's Durable Object. */
  upgrade?(c: Context, ticket: Ticket): Promise<Response>;
  /** `wsTicket` (realtime-scope.ts): tickets for one scope row, proven by a relationship row. */
  scope?: ScopeTickets;
}

/** The realtime listener of the request's changes (changes.ts): each to the channel of its row's tenant. */
export function realtimeListener(options: RealtimeOptions): ChangeListener {
  return async (c, changes) => {
    const publish = options.publish(c);
    for (const change of wanted(changes, 'realtime')) {
      const row = (change.new ?? change.old)!;
      const target = rowTarget(change.resource, row);
      const event = {
        type: 'postgres_changes' as const,
        table: change.resource.name,
        eventType: change.eventType,
        new: change.new,
        old: change.old,
      };
      if (target) await publish({ ...event, ...channelOf(target) });
      for (const channel of options.scope ? scopeChannels(options.scope, change.resource.name, row) : [])
        await publish({ ...event, channel });
    }
  };
}

export function realtimeRoutes(options: RealtimeOptions): Hono<QuickbackEnv> {
  const app = new Hono<QuickbackEnv>();
  const secret = (c: Context) => {
    const value = options.secret(c);
    if (!value) throw apiError('MISSING_ENV', { details: { missing: [options.secretEnv] } });
    return value;
  };
  app.post('/ws-ticket', async (c) => {
    const ctx = c.get('ctx');
    if (!ctx.authenticated || !ctx.userId)
      throw apiError('AUTH_MISSING', {
        hint: 'Sign in first (session cookie or Authorization: Bearer), then ask for a ticket.',
      });
    const scoped = options.scope ? await scopeTicket(c, options.scope, ctx) : null;
    const { channel, ctx: holder } = scoped
      ?? { channel: ctx.activeOrgId ? `org:${ctx.activeOrgId}` : `user:${ctx.userId}`, ctx };
    // Bound to the session or API key that asked: re-checked at the upgrade and while the socket is open.
    return c.json({
      wsTicket: mintTicket(secret(c), holder, channel, Date.now(), c.get('authRef') ?? {}),
      expiresIn: TICKET_TTL_SECONDS,
      channel,
    });
  });
  app.get('/websocket', async (c) => {
    const ticket = verifyTicket(secret(c), c.req.query('ws_ticket'));
    if (!ticket) throw ticketRefused();
    if (c.req.header('upgrade')?.toLowerCase() !== 'websocket' || !options.upgrade) {
      throw apiError('VALIDATION_FAILED', {
        message: 'This route upgrades to a WebSocket',
        hint: 'Connect with a WebSocket client: new WebSocket(".../broadcast/v1/websocket?ws_ticket=...").',
      });
    }
    // The platform refuses a ticket already used, or whose caller lost access, like a forged one.
    const res = await options.upgrade(c, ticket);
    if (res.status === 401) throw ticketRefused();
    return res;
  });
  return app;
}
