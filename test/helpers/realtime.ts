/**
 * Realtime clients for tests: a ticket from POST /broadcast/v1/ws-ticket (the caller's session),
 * then a `ws` WebSocket to /broadcast/v1/websocket that records every message it gets.
 */
import WebSocket from 'ws';
import type { Caller } from './client.js';

export interface Socket {
  messages: any[];
  /** Resolves with the first message (already received or coming) that matches. */
  next(match: (message: any) => boolean, timeoutMs?: number): Promise<any>;
  /** Resolves with the close frame's code and reason (and when it arrived) once the socket is closed. */
  closed: Promise<{ code: number; reason: string; at: number }>;
  close(): void;
  /** The client socket itself (to send, or to watch how the server closes it). */
  ws: WebSocket;
}

export async function ticketOf(caller: Caller): Promise<string> {
  const res = await caller.api('POST', '/broadcast/v1/ws-ticket');
  if (res.status !== 200) throw new Error(`ws-ticket answered ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body.wsTicket as string;
}

/** Opens a socket with `ticket`; rejects with the HTTP status when the upgrade is refused. */
export function openSocket(baseURL: string, ticket: string): Promise<Socket> {
  const url = `${baseURL.replace(/^http/, 'ws')}/broadcast/v1/websocket?ws_ticket=${encodeURIComponent(ticket)}`;
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    const messages: any[] = [];
    const waiters: { match: (m: any) => boolean; resolve: (m: any) => void }[] = [];
    ws.on(
      'unexpected-response',
      (_req, res) => reject(Object.assign(new Error(`upgrade refused: ${res.statusCode}`), { status: res.statusCode })),
    );
    ws.on('error', reject);
    ws.on('message', (data) => {
      const text = String(data);
      const message = text.startsWith('{') ? JSON.parse(text) : text;
      messages.push(message);
      for (const w of [...waiters])
        if (w.match(message)) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve(message);
        }
      if (message?.type === 'subscribed') resolve(socket);
    });
    // The server's close frame counts: workerd ends the TCP connection only ~10 s after the closing
    // handshake, and `ws` reports 'close' then (its receiver's 'conclude' is the frame itself).
    const closed = new Promise<{ code: number; reason: string; at: number }>((done) => {
      ws.on('close', (code, reason) => done({ code, reason: String(reason), at: Date.now() }));
      ws.on(
        'open',
        () =>
          (ws as unknown as { _receiver: NodeJS.EventEmitter })._receiver.on(
            'conclude',
            (code: number, reason: Buffer) => done({ code, reason: String(reason), at: Date.now() }),
          ),
      );
    });
    const socket: Socket = {
      messages,
      closed,
      next(match, timeoutMs = 5000) {
        const seen = messages.find(match);
        if (seen) return Promise.resolve(seen);
        return new Promise((res, rej) => {
          const timer = setTimeout(
            () => rej(new Error(`no matching message within ${timeoutMs} ms; got ${JSON.stringify(messages)}`)),
            timeoutMs,
          );
          waiters.push({
            match,
            resolve: (m) => {
              clearTimeout(timer);
              res(m);
            },
          });
        });
      },
      close: () => ws.close(),
      ws,
    };
  });
}

export async function connect(baseURL: string, caller: Caller): Promise<Socket> {
  return openSocket(baseURL, await ticketOf(caller));
}

export const changeOf = (table: string, eventType: string, test: (row: any) => boolean = () => true) => (m: any) =>
  m?.type === 'postgres_changes' && m.table === table && m.eventType === eventType
  && test(eventType === 'DELETE' ? m.old : m.new);
