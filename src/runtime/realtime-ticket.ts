/**
 * @module quickback/realtime-ticket
 * The 60-second websocket ticket of POST /broadcast/v1/ws-ticket: who the caller is (id, platform
 * role, organization, roles) and the one channel the socket joins, signed with HMAC-SHA256 under a
 * key derived from the auth secret for this purpose only (a ticket is no bearer token, and a bearer
 * token is no ticket). `<payload>.<signature>`, both base64url; the signature counts only in its
 * canonical form (no padding, no other alphabet, no altered trailing bits).
 */
import { Buffer } from 'node:buffer';
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { AppContext } from './context.js';
import { apiError, type ApiError } from './errors.js';

export const TICKET_TTL_SECONDS = 60;

export interface Ticket {
  channel: string;
  ctx: AppContext;
  exp: number;
}

interface Payload { sub: string; role: string | null; org: string | null; team: string | null; roles: string[]; ch: string; exp: number; name: string; email: string }

const keyOf = (secret: string) => createHmac('sha256', secret).update('quickback realtime ws-ticket v1').digest();
const sign = (secret: string, data: string) => createHmac('sha256', keyOf(secret)).update(data).digest();

export function mintTicket(secret: string, ctx: AppContext, channel: string, now = Date.now()): string {
  if (!ctx.userId) throw new Error('realtime: a ticket needs a signed-in caller');
  const payload: Payload = {
    sub: ctx.userId, role: ctx.userRole, org: ctx.activeOrgId, team: ctx.activeTeamId, roles: ctx.roles, ch: channel,
    exp: Math.floor(now / 1000) + TICKET_TTL_SECONDS, name: ctx.user?.name ?? '', email: ctx.user?.email ?? '',
  };
  const data = Buffer.from(JSON.stringify(payload)).toString('base64url');
  return `${data}.${sign(secret, data).toString('base64url')}`;
}

/** The refusal of a missing, forged or expired ticket (401, before any upgrade, on every platform). */
export function ticketRefused(): ApiError {
  return apiError('AUTH_INVALID_TOKEN', { message: 'The websocket ticket is missing, invalid or expired', hint: 'POST /broadcast/v1/ws-ticket for a new one (it lasts 60 seconds).' });
}

/** The ticket, or null when it is malformed, forged or expired. */
export function verifyTicket(secret: string, ticket: string | null | undefined, now = Date.now()): Ticket | null {
  if (!ticket || ticket.length > 4096) return null;
  const [data, signature, extra] = ticket.split('.');
  if (!data || !signature || extra !== undefined) return null;
  // Compared as canonical base64url text: the decoder ignores padding, junk and trailing bits.
  const given = Buffer.from(signature);
  const expected = Buffer.from(sign(secret, data).toString('base64url'));
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  let payload: Payload;
  try {
    payload = JSON.parse(Buffer.from(data, 'base64url').toString('utf8')) as Payload;
  } catch {
    return null;
  }
  if (typeof payload.exp !== 'number' || payload.exp <= Math.floor(now / 1000) || typeof payload.sub !== 'string' || typeof payload.ch !== 'string') return null;
  return {
    channel: payload.ch, exp: payload.exp,
    ctx: {
      authenticated: true, userId: payload.sub, userRole: payload.role, activeOrgId: payload.org, activeTeamId: payload.team,
      roles: Array.isArray(payload.roles) ? payload.roles : [], user: { id: payload.sub, email: payload.email, name: payload.name },
    },
  };
}
