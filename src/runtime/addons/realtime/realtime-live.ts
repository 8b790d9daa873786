/**
 * @module quickback/realtime-live
 * Sockets follow what their ticket was issued on. A ticket is single use: its nonce is consumed
 * at the upgrade (`TicketNonces`: this process's memory, Redis `SET NX EX` shared by every server
 * process, or the channel's Durable Object on Workers), and a second use is refused like a forged
 * ticket. An open socket is re-checked (`recheckWith`) whenever the auth hooks announce that a
 * user's access changed (membership removed or re-roled, session revoked or signed out, user
 * banned or deleted, API key revoked) and periodically as a backstop: the session or API key still
 * active, the user still there and not banned, still a member of the ticket's organization (fresh
 * roles: the socket is re-shaped from the next event on), or still linked to its scope row. A
 * socket that lost access is closed with 4403 "access revoked".
 */
import { DEFAULT_DEPENDENCY_TIMEOUT_MS, withDeadline } from '../../core/deadline.js';
import type { AppContext } from '../../core/context.js';
import type { AuthState, TeamMembership } from '../../auth/session.js';
import { scopeStillLinked, type ScopeTickets } from './realtime-scope.js';
import { verifyTicket, type Ticket } from './realtime-ticket.js';
import type { MemberRoles, QueryDatabase } from '../../core/types.js';
import { log } from '../../core/log.js';

/** The close of a socket whose caller lost access (README, realtime). */
export const ACCESS_REVOKED = { code: 4403, reason: 'access revoked' } as const;
/** The periodic re-check of every open socket, unless REALTIME_RECHECK_SECONDS says otherwise (at most 60 s). */
export const RECHECK_SECONDS = 30;

/** REALTIME_RECHECK_SECONDS (1-60), else 30, in milliseconds. */
export function recheckInterval(value: string | undefined): number {
  const seconds = Number(value);
  return (Number.isFinite(seconds) && seconds > 0 && seconds <= 60 ? seconds : RECHECK_SECONDS) * 1000;
}

/** Announced by the auth hooks: re-check every socket of this user (through the same fan-out as events). */
export interface AuthEvent {
  type: 'auth';
  userId: string;
}

/** Consumes a ticket's nonce: true the first time only. */
export interface TicketNonces {
  consume(jti: string, ttlSeconds: number): Promise<boolean>;
}

/** One server process. */
export function memoryNonces(now: () => number = Date.now): TicketNonces {
  const seen = new Map<string, number>();
  return {
    async consume(jti, ttlSeconds) {
      const at = now();
      for (const [key, until] of seen) if (until <= at) seen.delete(key);
      if (seen.has(jti)) return false;
      seen.set(jti, at + ttlSeconds * 1000);
      return true;
    },
  };
}

/** The slice of a node-redis client used for nonces. */
export interface RedisNonceClient {
  set(
    key: string,
    value: string,
    options: { condition: 'NX'; expiration: { type: 'EX'; value: number } },
  ): Promise<unknown>;
}

/** Every server process sharing one Redis: `SET NX` answers OK to the first consumer only. */
export function redisNonces(
  client: RedisNonceClient,
  ready: Promise<unknown> = Promise.resolve(),
  timeoutMs = DEFAULT_DEPENDENCY_TIMEOUT_MS,
): TicketNonces {
  const consume = async (jti: string, ttlSeconds: number) => {
    await ready;
    return (await client.set(`quickback:ws-ticket:${jti}`, '1', {
      condition: 'NX',
      expiration: { type: 'EX', value: Math.max(1, ttlSeconds) },
    })) === 'OK';
  };
  // A stalled Redis must not hold the upgrade: the ticket fails within the bound (deadline.ts).
  return { consume: (jti, ttlSeconds) => withDeadline(consume(jti, ttlSeconds), timeoutMs, 'Redis') };
}

export type { AuthState } from '../../auth/session.js';

export type Recheck = (ticket: Ticket) => Promise<AppContext | null>;

export interface RecheckSources {
  state(): AuthState | undefined;
  memberRoles(): MemberRoles | undefined;
  teamMembership(): TeamMembership | undefined;
  scope?: { tickets: ScopeTickets; db(): QueryDatabase };
}

const banned = (user: { banned?: boolean | null; banExpires?: Date | string | number | null }) =>
  user.banned === true
  && (user.banExpires === null || user.banExpires === undefined || new Date(user.banExpires).getTime() > Date.now());

/** The fresh context of a ticket's socket, or null when its caller lost access. Errors count as lost access (fail closed). */
export function recheckWith(sources: RecheckSources): Recheck {
  return async (ticket) => {
    const state = sources.state();
    const userId = ticket.ctx.userId;
    if (!state || !userId) return null;
    try {
      const user = await state.user(userId);
      if (!user || banned(user)) return null;
      if (ticket.sid && !(await state.session(userId, ticket.sid))) return null;
      if (ticket.kid && !(await state.apiKey(userId, ticket.kid))) return null;
      const fresh = {
        ...ticket.ctx,
        userRole: user.role ?? 'user',
        user: { id: user.id, email: user.email, name: user.name },
      };
      if (ticket.channel.startsWith('scope:')) {
        return sources.scope
            && (await scopeStillLinked(
              sources.scope.tickets,
              sources.scope.db(),
              sources.memberRoles(),
              ticket.ctx,
              ticket.channel,
            ))
          ? fresh
          : null;
      }
      const org = ticket.ctx.activeOrgId;
      if (!org) return ticket.channel === `user:${userId}` ? fresh : null;
      const roles = await sources.memberRoles()?.(org, userId);
      if (!roles) return null;
      const team = ticket.ctx.activeTeamId;
      const inTeam = team !== null && (await sources.teamMembership()?.(team, userId, org)) === true;
      return { ...fresh, roles, activeTeamId: inTeam ? team : null };
    } catch (err) {
      log.error('realtime: a socket re-check failed, closing it:', err);
      return null;
    }
  };
}

/**
 * The upgrade's check on Node and Bun: a genuine ticket, never used before (its nonce consumed
 * now), whose caller still has access. The ticket and fresh caller, or null (401 before the upgrade).
 */
export async function admit(
  secret: string | undefined,
  text: string | null,
  nonces: TicketNonces,
  recheck: Recheck,
): Promise<{ ticket: Ticket; ctx: AppContext } | null> {
  const ticket = secret ? verifyTicket(secret, text) : null;
  if (!ticket) return null;
  try {
    if (!(await nonces.consume(ticket.jti, ticket.exp - Math.floor(Date.now() / 1000) + 1))) return null;
  } catch (err) {
    // The nonce store (Redis) is unreachable: no ticket can be proven unused, so none is admitted.
    log.error('realtime: the ticket nonce store failed, refusing the upgrade:', err);
    return null;
  }
  const ctx = await recheck(ticket);
  return ctx ? { ticket, ctx } : null;
}
