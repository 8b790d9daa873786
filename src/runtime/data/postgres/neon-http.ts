/**
 * @module quickback/neon-http
 * Row level security over Neon's SQL-over-HTTP driver (issue #11). That driver sends each query,
 * or each batch, as one HTTP request that the endpoint runs as its own transaction, so an API
 * request cannot hold a transaction open. Instead every query of the request carries the
 * request's prelude (its RLS role and claims, transaction-local `set_config(..., true)` calls) in
 * its fetch options, and this fetch function sends the prelude as the first statement of the
 * same transaction: a single query becomes a batch of two whose second result is answered as
 * the single result the driver expects, and a batch gets the prelude in front. Queries without a
 * prelude of their own (Better Auth's) get the fallback one (`service_role`). Every exchange is
 * bounded by QUICKBACK_DEPENDENCY_TIMEOUT_MS (deadline.ts), single queries and batches alike.
 */
import { withDeadline } from '../../core/deadline.js';

/** The fetch options of queries: the API request's prelude, and the bound (QUICKBACK_DEPENDENCY_TIMEOUT_MS) every query gets. */
export interface PreludeOptions {
  quickbackPrelude?: string;
  /** The whole exchange (the answer and its body) within this many ms, else the fetch is aborted and the query fails (503 DATABASE_UNAVAILABLE). */
  quickbackTimeoutMs?: number;
}

type Body = { query: string; params: unknown[] } | { queries: { query: string; params: unknown[] }[] };
type Send = (url: string, init: RequestInit) => Promise<Response>;

/** The response with its body read, so a body that stalls is inside the bound too. */
async function buffered(response: Response): Promise<Response> {
  return new Response(await response.arrayBuffer(), {
    status: response.status,
    statusText: response.statusText,
    headers: response.headers,
  });
}

/** One query or batch, `prelude` (if any) sent as the first statement of its transaction. */
async function exchange(
  send: Send,
  url: string,
  init: RequestInit,
  prelude: string | undefined,
  timed: boolean,
): Promise<Response> {
  if (!prelude) return timed ? buffered(await send(url, init)) : send(url, init);
  const body = JSON.parse(String(init.body)) as Body;
  const queries = 'queries' in body ? body.queries : [body];
  const response = await send(url, {
    ...init,
    body: JSON.stringify({ queries: [{ query: prelude, params: [] }, ...queries] }),
  });
  if (!response.ok) return timed ? buffered(response) : response;
  const { results } = (await response.json()) as { results: unknown[] };
  return Response.json('queries' in body ? { results: results.slice(1) } : results[1]);
}

/**
 * `fallback`: the prelude of queries that carry none (the API's own work outside requests, which
 * runs as `service_role`: pg-login.ts); without it they go out unchanged. A stalled endpoint
 * fails the query after `quickbackTimeoutMs` with a DeadlineExceeded (the driver keeps it as the
 * error's `sourceError`; db-errors.ts answers 503), and its fetch is aborted.
 */
export function preludeFetch(send: Send = (url, init) => fetch(url, init), fallback?: string) {
  return async (url: string, init: RequestInit & PreludeOptions): Promise<Response> => {
    const { quickbackPrelude = fallback, quickbackTimeoutMs, ...rest } = init;
    if (!quickbackTimeoutMs) return exchange(send, url, rest, quickbackPrelude, false);
    const controller = new AbortController();
    try {
      return await withDeadline(
        exchange(send, url, { ...rest, signal: controller.signal }, quickbackPrelude, true),
        quickbackTimeoutMs,
        "Neon's SQL-over-HTTP endpoint",
      );
    } catch (err) {
      controller.abort(err);
      throw err;
    }
  };
}

/**
 * A PostgreSQL string literal, escaped as node-postgres' `escapeLiteral` does (quotes doubled; with
 * a backslash, doubled too in an E'' string). @neondatabase/serverless 1.2.0 declares its own
 * `escapeLiteral` export, but its ES module build exports it as undefined.
 */
export function escapeLiteral(value: string): string {
  const quoted = `'${value.replace(/'/g, "''").replace(/\\/g, '\\\\')}'`;
  return value.includes('\\') ? ` E${quoted}` : quoted;
}
