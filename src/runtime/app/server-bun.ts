/**
 * @module quickback/server-bun
 * Bun's server options and graceful shutdown (shutdown.ts). `server.stop()` stops accepting and
 * resolves once requests in flight are answered; at the deadline `stop(true)` ends the rest.
 * Bun's `idleTimeout` also ends a request whose handler or body is still pending, without an
 * answer, so it is set past the body deadline (body-deadline.ts answers a slow body with a coded
 * 408 first); `maxRequestBodySize` is left to the app, which refuses a declared Content-Length over
 * its limit with a coded 413 before reading anything.
 */
import { serverTimeouts, shutdownOnSignals, type Drainable, type OnClose } from '../core/shutdown.js';

/** The slice of Bun's Server used here. */
export interface BunServerLike {
  stop(closeActiveConnections?: boolean): Promise<void> | void;
  readonly pendingRequests: number;
}

/** Seconds; Bun allows at most 255. */
const MAX_IDLE_TIMEOUT = 255;

/** Options of `Bun.serve`. */
export function bunServeOptions(
  env: Record<string, string | undefined>,
): { idleTimeout: number; maxRequestBodySize: number } {
  const { bodyMs } = serverTimeouts(env);
  return {
    idleTimeout: Math.min(MAX_IDLE_TIMEOUT, Math.ceil(bodyMs / 1000) + 5),
    maxRequestBodySize: Number.MAX_SAFE_INTEGER,
  };
}

export function drainableBun(server: BunServerLike): Drainable {
  return {
    close: async () => {
      await server.stop();
    },
    async cut() {
      const cut = server.pendingRequests;
      await server.stop(true);
      return cut;
    },
  };
}

/** SIGTERM/SIGINT: drain within QUICKBACK_SHUTDOWN_TIMEOUT_MS, run `onClose` (realtime, database pools), exit. */
export function shutdownBunServer(
  server: BunServerLike,
  env: Record<string, string | undefined>,
  options: { onClose?: OnClose } = {},
): void {
  shutdownOnSignals(drainableBun(server), serverTimeouts(env).shutdownMs, options.onClose);
}
