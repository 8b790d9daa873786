/**
 * @module quickback/realtime-ticket
 * The 60-second websocket ticket of POST /broadcast/v1/ws-ticket: who the caller is (id, platform
 * role, organization, roles) and the one channel the socket joins, signed with HMAC-SHA256 under a
 * key derived from the auth secret for this purpose only (a ticket is no bearer token, and a bearer
 * token is no ticket). `<payload>.<signature>`, both base64url; the signature counts only in its
 * canonical form (no padding, no other alphabet, no altered trailing bits). It carries a random
 * nonce (`jti`, consumed at the upgrade: single use, realtime-live.ts) and what it was issued on:
 * the Better Auth session (`sid`) or API key (`kid`), which every re-check of the open socket
 * proves again.
 */
import { Buffer } from 'node:buffer';
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { AppContext } from '../../core/context.js';
import { apiError, type ApiError } from '../../core/errors.js';

export const TICKET_TTL_SECONDS = 60;

export interface Ticket {
  channel: string;
  ctx: AppContext;
  exp: number;
  /** The nonce consumed at the upgrade. */
  jti: string;
  /** The session (`sid`) or API key (`kid`) the ticket was requested with; both null for a bearer token. */
  sid: string | null;
  kid: string | null;
}

/** What a ticket is issued on: the caller's session or API key (none for a bearer token). */
export interface TicketBinding {
  sid?: string | null;
  kid?: string | null;
}

interface Payload {
  sub: string;
  role: string | null;
  org: string | null;
  team: string | null;
  roles: string[];
  ch: string;
  exp: number;
  name: string;
  email: string;
  jti: string;
  sid: string | null;
  kid: string | null;
}

const keyOf = (secret: string) => createHmac('sha256', secret).update('quickback realtime ws-ticket v1').digest();
const sign = (secret: string, data: string) => createHmac('sha256', keyOf(secret)).update(data).digest();

export function mintTicket(
  secret: string,
  ctx: AppContext,
  channel: string,
  now = Date.now(),
  binding: TicketBinding = {},
): string {
  if (!ctx.userId) throw new Error('realtime: a ticket needs a signed-in caller');
  const payload: Payload = {
    sub: ctx.userId,
    role: ctx.userRole,
    org: ctx.activeOrgId,
    team: ctx.activeTeamId,
    roles: ctx.roles,
    ch: channel,
    exp: Math.floor(now / 1000) + TICKET_TTL_SECONDS,
    name: ctx.user?.name ?? '',
    email: ctx.user?.email ?? '',
    jti: randomBytes(16).toString('base64url'),
    sid: binding.sid ?? null,
    kid: binding.kid ?? null,
  };
  const data = Buffer.from(JSON.stringify(payload)).toString('base64url');
  return `${data}.${sign(secret, data).toString('base64url')}`;
}

/** The refusal of a missing, forged or expired ticket (401, before any upgrade, on every platform). */
export function ticketRefused(): ApiError {
  return apiError('AUTH_INVALID_TOKEN', {
    message: 'The websocket ticket is missing, invalid or expired',
    hint: 'POST /broadcast/v1/ws-ticket for a new one (it lasts 60 seconds).',
  });
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
  if (
    typeof payload.exp !== 'number' || payload.exp <= Math.floor(now / 1000) || typeof payload.sub !== 'string'
    || typeof payload.ch !== 'string'
  ) return null;
  if (typeof payload.jti !== 'string' || payload.jti === '') return null;
  const ref = (v: unknown) => (typeof v === 'string' && v !== '' ? v : null);
  return {
    channel: payload.ch,
    exp: payload.exp,
    jti: payload.jti,
    sid: ref(payload.sid),
    kid: ref(payload.kid),
    ctx: {
      authenticated: true,
      userId: payload.sub,
      userRole: payload.role,
      activeOrgId: payload.org,
      activeTeamId: payload.team,
      roles: Array.isArray(payload.roles) ? payload.roles : [],
      user: { id: payload.sub, email: payload.email, name: payload.name },
    },
  };
}
