/**
 * @module quickback/neon-http
 * Row level security over Neon's SQL-over-HTTP driver (issue #11). That driver sends each query,
 * or each batch, as one HTTP request that the endpoint runs as its own transaction, so an API
 * request cannot hold a transaction open. Instead every query of the request carries the
 * request's prelude (its RLS role and claims, transaction-local `set_config(..., true)` calls) in
 * its fetch options, and this fetch function sends the prelude as the first statement of the
 * same transaction: a single query becomes a batch of two whose second result is answered as
 * the single result the driver expects, and a batch gets the prelude in front. Queries without a
 * prelude of their own (Better Auth's) get the fallback one (`service_role`).
 */

/** The fetch options an API request's queries carry (the database module's `begin`). */
export interface PreludeOptions {
  quickbackPrelude?: string;
}

type Body = { query: string; params: unknown[] } | { queries: { query: string; params: unknown[] }[] };

/**
 * `fallback`: the prelude of queries that carry none (the API's own work outside requests, which
 * runs as `service_role`: pg-login.ts); without it they go out unchanged.
 */
export function preludeFetch(send: (url: string, init: RequestInit) => Promise<Response> = (url, init) => fetch(url, init), fallback?: string) {
  return async (url: string, init: RequestInit & PreludeOptions): Promise<Response> => {
    const { quickbackPrelude = fallback, ...rest } = init;
    if (!quickbackPrelude) return send(url, rest);
    const body = JSON.parse(String(rest.body)) as Body;
    const queries = 'queries' in body ? body.queries : [body];
    const response = await send(url, { ...rest, body: JSON.stringify({ queries: [{ query: quickbackPrelude, params: [] }, ...queries] }) });
    if (!response.ok) return response;
    const { results } = (await response.json()) as { results: unknown[] };
    return Response.json('queries' in body ? { results: results.slice(1) } : results[1]);
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
