/**
 * @module quickback/realtime-bun
 * The websocket of /broadcast/v1 on Bun's server: `Bun.serve`'s fetch hands upgrade requests for
 * the websocket path here first (the ticket is checked and its nonce consumed before any upgrade:
 * 401 otherwise, realtime-live.ts), and its
 * `websocket` handlers join each socket to its ticket's channel in this process's hub. Same
 * messages and limits as on Node (realtime-node.ts, realtime-limits.ts): Bun refuses a message over
 * `maxPayloadLength` (1009) before handing it over. At shutdown (shutdown.ts) every socket is closed with 1001.
 */
import type { Hub } from './realtime-hub.js';
import type { AppContext } from '../../core/context.js';
import { messageLimiter, onClientMessage, REALTIME_LIMITS, type MessageLimiter } from './realtime-limits.js';
import { admit, type TicketNonces } from './realtime-live.js';
import { ticketRefused, type Ticket } from './realtime-ticket.js';
import { onShutdown } from '../../core/shutdown.js';

interface SocketData {
  ticket: Ticket;
  ctx: AppContext;
  leave?: () => void;
  limiter?: MessageLimiter;
}
/** The slices of Bun's ServerWebSocket and Server used here. */
export interface BunSocket {
  data: SocketData;
  send(text: string): unknown;
  close(code?: number, reason?: string): unknown;
}
export interface BunServer {
  upgrade(request: Request, options: { data: SocketData }): boolean;
}

const PATH = '/broadcast/v1/websocket';

export function bunRealtime(hub: Hub, secret: () => string | undefined, nonces: TicketNonces) {
  onShutdown(() => hub.closeAll());
  return {
    /** A Response (refusal), `undefined` (upgraded), or null (not the websocket: serve it with the app). */
    async upgrade(request: Request, server: BunServer): Promise<Response | undefined | null> {
      const url = new URL(request.url);
      if (url.pathname !== PATH || request.headers.get('upgrade')?.toLowerCase() !== 'websocket') return null;
      const admitted = await admit(secret(), url.searchParams.get('ws_ticket'), nonces, hub.recheck);
      if (!admitted) {
        return Response.json(ticketRefused().toBody(), { status: 401 });
      }
      return server.upgrade(request, { data: admitted }) ? undefined : null;
    },
    websocket: {
      maxPayloadLength: REALTIME_LIMITS.maxMessageBytes,
      open(ws: BunSocket) {
        ws.data.leave = hub.join(ws.data.ticket, {
          send: (text) => {
            ws.send(text);
          },
          close: (code, reason) => {
            ws.close(code, reason);
          },
        }, ws.data.ctx);
        ws.send(JSON.stringify({ type: 'subscribed', channel: ws.data.ticket.channel }));
      },
      message(ws: BunSocket, message: string | Uint8Array) {
        onClientMessage(ws, ws.data.limiter ??= messageLimiter(), message);
      },
      close(ws: BunSocket) {
        ws.data.leave?.();
      },
    },
  };
}
