/**
 * @module quickback/realtime-hub
 * The sockets of one Node or Bun process, by channel, and how events reach them: straight to the
 * hub (one process), or through Redis pub/sub (every process subscribes to one Redis channel and
 * delivers to its own sockets, the writer's process included). The Durable Object of Workers keeps
 * its sockets itself and uses `deliverTo` the same way. Auth events (realtime-live.ts) travel the
 * same way and re-check the sockets of their user; a periodic re-check of every socket is the backstop.
 */
import type { AppContext } from '../../core/context.js';
import { messageFor, type RealtimeEvent } from './realtime.js';
import type { ResourceDefinition } from '../../core/resource.js';
import type { Ticket } from './realtime-ticket.js';
import { ACCESS_REVOKED, type AuthEvent, type Recheck } from './realtime-live.js';
import { log } from '../../core/log.js';

export interface RealtimeSocket {
  send(text: string): void;
  close(code: number, reason: string): void;
}
interface Member {
  ticket: Ticket;
  ctx: AppContext;
}

/** Sends each socket its own copy of the event; answers how many got one. */
export function deliverTo(
  sockets: Iterable<[RealtimeSocket, AppContext]>,
  event: RealtimeEvent,
  resources: ReadonlyMap<string, ResourceDefinition>,
): number {
  let sent = 0;
  for (const [socket, ctx] of sockets) {
    const message = messageFor(event, ctx, resources);
    if (message === null) continue;
    try {
      socket.send(message);
      sent++;
    } catch {
      // a socket closing under us: its close handler removes it
    }
  }
  return sent;
}

export function createHub(resources: ReadonlyMap<string, ResourceDefinition>) {
  const channels = new Map<string, Map<RealtimeSocket, Member>>();
  let recheck: Recheck | null = null;
  /** Re-checks the sockets (of one user, or all): closes those that lost access, re-shapes the others. */
  const reauthorize = async (userId?: string): Promise<number> => {
    if (!recheck) return 0;
    let closed = 0;
    const all = [...channels.values()].flatMap((members) =>
      [...members].map(([socket, member]) => ({ socket, member, members }))
    );
    await Promise.all(
      all.filter(({ member }) => userId === undefined || member.ticket.ctx.userId === userId).map(
        async ({ socket, member, members }) => {
          const fresh = await recheck!(member.ticket);
          if (!members.has(socket)) return;
          if (fresh) {
            member.ctx = fresh;
            return;
          }
          members.delete(socket);
          closed++;
          try {
            socket.close(ACCESS_REVOKED.code, ACCESS_REVOKED.reason);
          } catch { /* already closing */ }
        },
      ),
    );
    return closed;
  };
  return {
    /** Adds the socket to its ticket's channel, with the caller as re-checked at the upgrade; returns its removal. */
    join(ticket: Ticket, socket: RealtimeSocket, ctx: AppContext = ticket.ctx): () => void {
      let members = channels.get(ticket.channel);
      if (!members) channels.set(ticket.channel, members = new Map());
      members.set(socket, { ticket, ctx });
      return () => {
        members.delete(socket);
        if (members.size === 0 && channels.get(ticket.channel) === members) channels.delete(ticket.channel);
      };
    },
    deliver(event: RealtimeEvent | AuthEvent): number {
      if (event.type === 'auth') {
        void reauthorize(event.userId);
        return 0;
      }
      const members = channels.get(event.channel);
      return members ? deliverTo([...members].map(([socket, m]) => [socket, m.ctx]), event, resources) : 0;
    },
    /** The re-check of the app (built from its auth database), and the periodic backstop (unref'd). */
    authorize(check: Recheck, intervalMs: number): () => void {
      recheck = check;
      const timer = setInterval(() => {
        void reauthorize();
      }, intervalMs);
      (timer as { unref?: () => void }).unref?.();
      return () => clearInterval(timer);
    },
    recheck: (ticket: Ticket) => (recheck ? recheck(ticket) : Promise.resolve(null)),
    /** Shutdown: every socket is closed (1001: clients reconnect, to another server process if there is one). */
    closeAll(code = 1001, reason = 'server shutting down'): number {
      const all = [...channels.values()].flatMap((members) => [...members.keys()]);
      channels.clear();
      for (const socket of all) {
        try {
          socket.close(code, reason);
        } catch { /* already closing */ }
      }
      return all.length;
    },
    reauthorize,
    sockets: () => [...channels.values()].reduce((n, m) => n + m.size, 0),
  };
}
export type Hub = ReturnType<typeof createHub>;

/** The slice of a node-redis client used for fan-out (`duplicate()` gives the subscriber). */
export interface RedisPubSub {
  publish(channel: string, message: string): Promise<unknown>;
  subscribe(channel: string, listener: (message: string) => void): Promise<unknown>;
}

export const REDIS_CHANNEL = 'quickback:realtime';

/** One process: events go straight to the hub. */
export function localPublish(hub: Hub): (event: RealtimeEvent | AuthEvent) => Promise<void> {
  return async (event: RealtimeEvent | AuthEvent) => {
    hub.deliver(event);
  };
}

/** Many processes: events go through Redis; this process delivers what Redis hands back. */
export function redisPublish(
  hub: Hub,
  publisher: RedisPubSub,
  subscriber: RedisPubSub,
  channel = REDIS_CHANNEL,
): { publish: (event: RealtimeEvent | AuthEvent) => Promise<void>; ready: Promise<unknown> } {
  const ready = subscriber.subscribe(channel, (message) => {
    try {
      hub.deliver(JSON.parse(message) as RealtimeEvent | AuthEvent);
    } catch (err) {
      log.error('realtime: a malformed event from Redis was dropped:', err);
    }
  });
  return {
    publish: async (event) => {
      await publisher.publish(channel, JSON.stringify(event));
    },
    ready,
  };
}
