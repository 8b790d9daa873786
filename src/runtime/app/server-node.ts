/**
 * @module quickback/server-node
 * The Node server's timeouts and graceful shutdown (shutdown.ts). Node's own limits are set so a
 * slow client cannot hold a socket for minutes: headers within 10 s, the whole request within the
 * body deadline plus that (a backstop: body-deadline.ts answers a slow body first, with a coded
 * 408), idle keep-alive connections closed after 5 s, all checked every second.
 */
import type { Server, ServerOptions, ServerResponse } from 'node:http';
import { serverTimeouts, shutdownOnSignals, type Drainable, type OnClose } from '../core/shutdown.js';

export const HEADERS_TIMEOUT_MS = 10_000;

/** `serverOptions` of @hono/node-server's `serve`. */
export function nodeServerOptions(env: Record<string, string | undefined>): ServerOptions {
  const { bodyMs } = serverTimeouts(env);
  return {
    headersTimeout: HEADERS_TIMEOUT_MS,
    requestTimeout: HEADERS_TIMEOUT_MS + bodyMs + 5_000,
    keepAliveTimeout: 5_000,
    connectionsCheckingInterval: 1_000,
  };
}

/**
 * Stops accepting and closes idle connections at once; each response from then on says
 * `connection: close` (so keep-alive clients go elsewhere) and its connection is closed once it is out.
 */
export function drainableNode(server: Server): Drainable {
  let closing = false;
  const inFlight = new Set<ServerResponse>();
  const closeIdle = () => setImmediate(() => server.closeIdleConnections());
  server.on('request', (_request, response: ServerResponse) => {
    inFlight.add(response);
    if (closing) response.setHeader('connection', 'close');
    response.once('close', () => {
      inFlight.delete(response);
      if (closing) closeIdle();
    });
  });
  return {
    close: () => new Promise<void>((resolve) => {
      closing = true;
      for (const response of inFlight) if (!response.headersSent) response.setHeader('connection', 'close');
      server.close(() => resolve());
      server.closeIdleConnections();
    }),
    cut() {
      const cut = inFlight.size;
      server.closeAllConnections();
      return cut;
    },
  };
}

/** SIGTERM/SIGINT: drain within QUICKBACK_SHUTDOWN_TIMEOUT_MS, run `onClose` (realtime, database pools), exit. */
export function shutdownNodeServer(
  server: Server,
  env: Record<string, string | undefined>,
  options: { onClose?: OnClose } = {},
): void {
  shutdownOnSignals(drainableNode(server), serverTimeouts(env).shutdownMs, options.onClose);
}
