/**
 * @module quickback/shutdown
 * Graceful shutdown of the Node and Bun servers (server-node.ts, server-bun.ts). On SIGTERM or
 * SIGINT the server stops accepting connections and closes its idle keep-alive ones, requests in
 * flight finish (their responses say `connection: close`), the background work registered with
 * `onShutdown` stops (the webhook delivery loop claims nothing new and finishes its attempt;
 * realtime sockets are closed with 1001 so clients reconnect elsewhere), then what the server
 * passed as `onClose` runs, in order (closing the realtime server, ending the database pools so
 * PostgreSQL sees the connections end), then the process exits:
 * 0 when everything drained, 1 when QUICKBACK_SHUTDOWN_TIMEOUT_MS (default 10 s) passed first and
 * what was left was cut (logged). Signals that arrive while draining change nothing.
 */
import { withDeadline } from './deadline.js';
import { log } from './log.js';

export const SHUTDOWN_TIMEOUT_MS = 10_000;
/** How long a request body may take to arrive (body-deadline.ts). */
export const BODY_TIMEOUT_MS = 30_000;

/** A positive whole number of milliseconds from a setting, else `fallback`. */
export function millis(value: string | undefined, fallback: number): number {
  const n = Number(value);
  return value !== undefined && value.trim() !== '' && Number.isSafeInteger(n) && n > 0 ? n : fallback;
}

export interface ServerTimeouts {
  shutdownMs: number;
  bodyMs: number;
}

export function serverTimeouts(env: Record<string, string | undefined>): ServerTimeouts {
  return {
    shutdownMs: millis(env.QUICKBACK_SHUTDOWN_TIMEOUT_MS, SHUTDOWN_TIMEOUT_MS),
    bodyMs: millis(env.QUICKBACK_BODY_TIMEOUT_MS, BODY_TIMEOUT_MS),
  };
}

const tasks = new Set<() => unknown>();

/** Work to stop when the server shuts down (it may return a promise); answers its removal. */
export function onShutdown(task: () => unknown): () => void {
  tasks.add(task);
  return () => {
    tasks.delete(task);
  };
}

/** What a server runtime gives the shutdown: `close` resolves once drained; `cut` ends what is left and answers how many requests it cut. */
export interface Drainable {
  close(): Promise<void>;
  cut(): number | Promise<number>;
}

/** What closes once the server is drained (or cut), in order; a failing one is logged and the next still runs. */
export type OnClose = readonly (() => unknown)[];

/** Drains `server` and the registered work within `timeoutMs`, then runs `onClose`; answers the exit code. */
export async function shutdown(server: Drainable, timeoutMs: number, onClose: OnClose = []): Promise<number> {
  const started = Date.now();
  const background = Promise.allSettled([...tasks].map(async (task) => task()));
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  const drained = await Promise.race([Promise.all([server.close(), background]).then(() => true), deadline]);
  clearTimeout(timer);
  let code = 0;
  if (drained) {
    log.info(`shutdown: drained in ${Date.now() - started} ms`); // one line: quickback dev restarts this way on every save
  } else {
    const cut = await server.cut();
    log.error(
      `shutdown: the ${timeoutMs} ms deadline passed (QUICKBACK_SHUTDOWN_TIMEOUT_MS); cut ${cut} request(s) in flight and any background work still running`,
    );
    code = 1;
  }
  // What is left of the deadline, at least a second: a pool whose server stalled cannot hold the exit.
  const closeBy = Math.max(started + timeoutMs, Date.now() + 1_000);
  for (const close of onClose) {
    try {
      await withDeadline(
        Promise.resolve().then(close),
        closeBy - Date.now(),
        'a close step (onClose)',
        'QUICKBACK_SHUTDOWN_TIMEOUT_MS',
      );
    } catch (err) {
      log.error('shutdown:', err);
    }
  }
  return code;
}

/** On the first SIGTERM or SIGINT: `shutdown`, then exit with its code. */
export function shutdownOnSignals(server: Drainable, timeoutMs: number, onClose: OnClose = []): void {
  let stopping = false;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (stopping) return;
      stopping = true;
      void shutdown(server, timeoutMs, onClose).then((code) => process.exit(code));
    });
  }
}
