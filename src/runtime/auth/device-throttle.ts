/**
 * @module quickback/device-throttle
 * User-code guessing of the device authorization grant (RFC 8628 §5.1: "the authorization server
 * should rate-limit user code attempts"), throttled always — also in development, where Better
 * Auth's own rate limiter (and the plugin's rule for `/device`) is off. `GET /auth/v1/device`,
 * `POST /auth/v1/device/approve` and `/device/deny` each spend one attempt of the client's budget
 * before Better Auth sees them; an answer below 400 gives it back, so only wrong, expired or
 * refused codes count, and parallel guesses cannot outrun the count. Past DEVICE_ATTEMPTS within
 * DEVICE_WINDOW_MS: 429 AUTH_RATE_LIMITED (`details.retryAfter`, seconds). The client is the
 * socket's peer (Node, Bun) or, on Workers only, the address Cloudflare saw (`cf-connecting-ip`,
 * set by the edge); never a header a client could send and rotate (on Node, a sent
 * `cf-connecting-ip` is ignored). Behind a proxy its clients share one budget. Counts live in the
 * Redis of `defineStorage("redis")` when the app has one (`shared`: every server process counts
 * into one budget, in fixed windows; while Redis fails, this process's own count stands in), else
 * in memory, per process (per isolate on Workers: isolates do not share them). Polling
 * `/device/token` is the plugin's own (`slow_down`).
 */
import type { Context, MiddlewareHandler } from 'hono';
import { apiError } from '../core/errors.js';
import type { KeyValueStore } from './kv-store.js';
import { log } from '../core/log.js';

export const DEVICE_ATTEMPTS = 10;
export const DEVICE_WINDOW_MS = 15 * 60_000;
/** Paths under the auth base whose user_code can be guessed. */
export const DEVICE_PATHS = ['/device', '/device/approve', '/device/deny'];
const MAX_CLIENTS = 10_000;

interface Budget {
  used: number;
  resetAt: number;
}

/** The socket's peer where the runtime has one; `cf-connecting-ip` only on Workers, where the edge sets it (elsewhere a client could send and rotate it). */
function clientOf(c: Parameters<MiddlewareHandler>[0]): string {
  const env = c.env as {
    incoming?: { socket?: { remoteAddress?: string } };
    requestIP?: (request: Request) => { address: string } | null;
  } | undefined;
  // Node: @hono/node-server's incoming request; Bun: the server passed to fetch.
  if (env?.incoming) return env.incoming.socket?.remoteAddress ?? 'unknown';
  if (typeof env?.requestIP === 'function') return env.requestIP(c.req.raw)?.address ?? 'unknown';
  return c.req.header('cf-connecting-ip') ?? 'unknown';
}

/** One attempt spent: refused when the budget was used up; `refund` gives it back (a code that was right). */
interface Spent {
  refused: boolean;
  resetAt: number;
  refund(): Promise<void>;
}

/** Counts in the shared store: attempts and refunds per client and fixed window, both atomic increments. */
async function spendShared(store: KeyValueStore, client: string, at: number): Promise<Spent> {
  const window = Math.floor(at / DEVICE_WINDOW_MS);
  const key = `quickback:device-throttle:${window}:${client}`;
  const ttl = DEVICE_WINDOW_MS / 1000;
  const spent = await store.increment(key, ttl);
  const refunded = Number((await store.get(`${key}:ok`)) ?? 0);
  return {
    refused: spent - refunded > DEVICE_ATTEMPTS,
    resetAt: (window + 1) * DEVICE_WINDOW_MS,
    refund: async () => {
      await store.increment(`${key}:ok`, ttl);
    },
  };
}

/** The throttle for `<base>/device*`; `now` is injectable for tests, `shared` the store every process counts in. */
export function deviceThrottle(
  base: string,
  now: () => number = Date.now,
  shared?: (c: Context) => KeyValueStore | undefined,
): MiddlewareHandler {
  const budgets = new Map<string, Budget>();
  const paths = new Set(DEVICE_PATHS.map((p) => `${base}${p}`));
  const spendLocal = (client: string, at: number): Spent => {
    let budget = budgets.get(client);
    if (!budget || budget.resetAt <= at) {
      if (budgets.size >= MAX_CLIENTS) {
        for (const [key, b] of budgets) if (b.resetAt <= at || budgets.size >= MAX_CLIENTS) budgets.delete(key);
      }
      budget = { used: 0, resetAt: at + DEVICE_WINDOW_MS };
      budgets.set(client, budget);
    }
    const own = budget;
    if (own.used >= DEVICE_ATTEMPTS) return { refused: true, resetAt: own.resetAt, refund: async () => {} };
    own.used++;
    return {
      refused: false,
      resetAt: own.resetAt,
      refund: async () => {
        own.used = Math.max(0, own.used - 1);
      },
    };
  };
  const spend = async (c: Context, client: string, at: number): Promise<Spent> => {
    const store = shared?.(c);
    if (!store) return spendLocal(client, at);
    try {
      return await spendShared(store, client, at);
    } catch (err) {
      log.error('device codes: the shared throttle could not be read; counting in this process:', err);
      return spendLocal(client, at);
    }
  };
  return async (c, next) => {
    if (!paths.has(c.req.path.replace(/\/+$/, ''))) return next();
    const at = now();
    const spent = await spend(c, clientOf(c), at);
    if (spent.refused) {
      throw apiError('AUTH_RATE_LIMITED', {
        details: { retryAfter: Math.ceil((spent.resetAt - at) / 1000) },
        hint: 'Too many wrong device codes; wait, then enter the code shown on the device.',
      });
    }
    await next();
    if (c.res.status < 400) await spent.refund().catch(() => undefined);
  };
}
