/**
 * @module quickback/realtime-hub
 * The sockets of one Node or Bun process, by channel, and how events reach them: straight to the
 * hub (one process), or through Redis pub/sub (every process subscribes to one Redis channel and
 * delivers to its own sockets, the writer's process included). The Durable Object of Workers keeps
 * its sockets itself and uses `deliverTo` the same way.
 */
import type { AppContext } from './context.js';
import { messageFor, type Publish, type RealtimeEvent } from './realtime.js';
import type { ResourceDefinition } from './resource.js';
import type { Ticket } from './realtime-ticket.js';

export interface RealtimeSocket { send(text: string): void }

/** Sends each socket its own copy of the event; answers how many got one. */
export function deliverTo(sockets: Iterable<[RealtimeSocket, AppContext]>, event: RealtimeEvent, resources: ReadonlyMap<string, ResourceDefinition>): number {
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
  const channels = new Map<string, Map<RealtimeSocket, AppContext>>();
  return {
    /** Adds the socket to its ticket's channel; returns its removal. */
    join(ticket: Ticket, socket: RealtimeSocket): () => void {
      let members = channels.get(ticket.channel);
      if (!members) channels.set(ticket.channel, (members = new Map()));
      members.set(socket, ticket.ctx);
      return () => {
        members.delete(socket);
        if (members.size === 0 && channels.get(ticket.channel) === members) channels.delete(ticket.channel);
      };
    },
    deliver(event: RealtimeEvent): number {
      const members = channels.get(event.channel);
      return members ? deliverTo(members, event, resources) : 0;
    },
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
export function localPublish(hub: Hub): Publish {
  return async (event) => { hub.deliver(event); };
}

/** Many processes: events go through Redis; this process delivers what Redis hands back. */
export function redisPublish(hub: Hub, publisher: RedisPubSub, subscriber: RedisPubSub, channel = REDIS_CHANNEL): { publish: Publish; ready: Promise<unknown> } {
  const ready = subscriber.subscribe(channel, (message) => {
    try {
      hub.deliver(JSON.parse(message) as RealtimeEvent);
    } catch (err) {
      console.error('[quickback] realtime: a malformed event from Redis was dropped:', (err as Error).message);
    }
  });
  return { publish: async (event) => { await publisher.publish(channel, JSON.stringify(event)); }, ready };
}
