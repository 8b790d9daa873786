/**
 * @module quickback/realtime-node
 * The websocket of /broadcast/v1 on the Node server: an `upgrade` listener that checks the ticket
 * (401 before any upgrade: forged, expired, already used, or its caller lost access; realtime-live.ts), lets the `ws` server complete the handshake, and joins the socket to
 * its ticket's channel in this process's hub. Sockets get `{"type":"subscribed","channel":…}`
 * first, answer "ping" with "pong", and leave the hub when they close (the hub closes those whose
 * caller lost access with 4403). Client messages are held to realtime-limits.ts (size: also the
 * `ws` server's `maxPayload`; rate: 1008); a protocol error (an oversized or malformed frame)
 * closes that socket only. At shutdown (shutdown.ts) every socket is closed with 1001.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Hub } from './realtime-hub.js';
import { apiError } from '../../core/errors.js';
import { messageLimiter, onClientMessage } from './realtime-limits.js';
import { admit, type TicketNonces } from './realtime-live.js';
import { ticketRefused } from './realtime-ticket.js';
import { onShutdown } from '../../core/shutdown.js';

/** The slice of a `ws` WebSocketServer ({ noServer: true }) used here. */
export interface WsServerLike {
  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer, done: (ws: WsLike) => void): void;
}
export interface WsLike {
  send(data: string): void;
  close(code?: number, reason?: string): void;
  on(event: 'close', listener: () => void): void;
  on(event: 'error', listener: (err: Error) => void): void;
  on(event: 'message', listener: (data: unknown) => void): void;
}

const PATH = '/broadcast/v1/websocket';

function refuse(socket: Duplex, status: string, body: object): void {
  const text = JSON.stringify(body);
  socket.end(
    `HTTP/1.1 ${status}\r\ncontent-type: application/json\r\ncontent-length: ${
      Buffer.byteLength(text)
    }\r\nconnection: close\r\n\r\n${text}`,
  );
}

export function attachRealtime(
  server: { on(event: 'upgrade', listener: (request: IncomingMessage, socket: Duplex, head: Buffer) => void): unknown },
  wss: WsServerLike,
  hub: Hub,
  secret: () => string | undefined,
  nonces: TicketNonces,
): void {
  onShutdown(() => hub.closeAll());
  server.on('upgrade', async (request, socket, head) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    if (url.pathname !== PATH) {
      refuse(socket, '404 Not Found', apiError('ROUTE_NOT_FOUND').toBody());
      return;
    }
    const admitted = await admit(secret(), url.searchParams.get('ws_ticket'), nonces, hub.recheck);
    if (!admitted) {
      refuse(socket, '401 Unauthorized', ticketRefused().toBody());
      return;
    }
    const { ticket, ctx } = admitted;
    wss.handleUpgrade(request, socket, head, (ws) => {
      const leave = hub.join(
        ticket,
        { send: (text) => ws.send(text), close: (code, reason) => ws.close(code, reason) },
        ctx,
      );
      ws.on('close', leave);
      const limiter = messageLimiter();
      ws.on('message', (data) => {
        onClientMessage(ws, limiter, data);
      });
      // `ws` closes the socket itself (1009 over maxPayload, 1002/1007 for a bad frame); unheard, the error would end the process.
      ws.on('error', () => {});
      ws.send(JSON.stringify({ type: 'subscribed', channel: ticket.channel }));
    });
  });
}
