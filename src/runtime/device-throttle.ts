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
 * `cf-connecting-ip` is ignored). Behind a proxy its clients share one budget. Counts live in
 * memory, per process (per isolate on Workers: isolates do not share them). Polling
 * `/device/token` is the plugin's own (`slow_down`).
 */
import type { MiddlewareHandler } from 'hono';
import { apiError } from './errors.js';

export const DEVICE_ATTEMPTS = 10;
export const DEVICE_WINDOW_MS = 15 * 60_000;
/** Paths under the auth base whose user_code can be guessed. */
export const DEVICE_PATHS = ['/device', '/device/approve', '/device/deny'];
const MAX_CLIENTS = 10_000;

interface Budget { used: number; resetAt: number }

/** The socket's peer where the runtime has one; `cf-connecting-ip` only on Workers, where the edge sets it (elsewhere a client could send and rotate it). */
function clientOf(c: Parameters<MiddlewareHandler>[0]): string {
  const env = c.env as { incoming?: { socket?: { remoteAddress?: string } }; requestIP?: (request: Request) => { address: string } | null } | undefined;
  // Node: @hono/node-server's incoming request; Bun: the server passed to fetch.
  if (env?.incoming) return env.incoming.socket?.remoteAddress ?? 'unknown';
  if (typeof env?.requestIP === 'function') return env.requestIP(c.req.raw)?.address ?? 'unknown';
  return c.req.header('cf-connecting-ip') ?? 'unknown';
}

/** The throttle for `<base>/device*`; `now` is injectable for tests. */
export function deviceThrottle(base: string, now: () => number = Date.now): MiddlewareHandler {
  const budgets = new Map<string, Budget>();
  const paths = new Set(DEVICE_PATHS.map((p) => `${base}${p}`));
  return async (c, next) => {
    if (!paths.has(c.req.path.replace(/\/+$/, ''))) return next();
    const at = now();
    const client = clientOf(c);
    let budget = budgets.get(client);
    if (!budget || budget.resetAt <= at) {
      if (budgets.size >= MAX_CLIENTS) for (const [key, b] of budgets) if (b.resetAt <= at || budgets.size >= MAX_CLIENTS) budgets.delete(key);
      budget = { used: 0, resetAt: at + DEVICE_WINDOW_MS };
      budgets.set(client, budget);
    }
    if (budget.used >= DEVICE_ATTEMPTS) {
      throw apiError('AUTH_RATE_LIMITED', { details: { retryAfter: Math.ceil((budget.resetAt - at) / 1000) }, hint: 'Too many wrong device codes; wait, then enter the code shown on the device.' });
    }
    budget.used++;
    await next();
    if (c.res.status < 400) budget.used = Math.max(0, budget.used - 1);
  };
}
