/**
 * @module quickback/cors
 * CORS for every route of the app (`/api`, `/auth/v1`, `/storage/v1`, `/broadcast/v1`,
 * `/webhooks/v1`, ...), with credentials, for the trusted origins only (env.ts `corsOrigins`:
 * `trustedOrigins`, BETTER_AUTH_URL's origin, APP_URL/ACCOUNT_URL, and the local dev origins
 * outside production). Hono's `cors()` answers the preflight of a trusted origin: 204 with
 * `Access-Control-Allow-Origin` (the origin), `-Methods`, `-Headers` (those requested),
 * `-Credentials: true` and `-Max-Age`. An untrusted origin gets no allow header at all: its
 * preflight is a bare 204 the browser refuses, its requests run as if no CORS were configured.
 * The security headers of `security` are set on every response but WebSocket upgrades; a
 * Content-Security-Policy the route set itself is kept (file downloads are `sandbox`ed: files.ts).
 */
import type { Context, MiddlewareHandler } from 'hono';
import { cors } from 'hono/cors';
import type { QuickbackEnv } from '../core/types.js';

export interface CorsOptions {
  /** Fixed (Node, Bun) or read from each request's bindings (Workers). */
  corsOrigins: string[] | ((c: Context) => string[]);
  /** Response headers of `security` (computed at compile time). */
  securityHeaders: Record<string, string>;
}

/** The methods the app routes (preflights ask for one of them). */
export const METHODS = ['GET', 'HEAD', 'PUT', 'POST', 'DELETE', 'PATCH'];

/** Seconds a browser may cache a preflight answer. */
export const PREFLIGHT_MAX_AGE = 600;

/** Response headers a browser script may read: the fresh bearer token, the ETag, the request id. */
export const EXPOSED_HEADERS = ['set-auth-token', 'ETag', 'x-request-id'];

export function corsAndSecurityHeaders(options: CorsOptions): MiddlewareHandler<QuickbackEnv> {
  const trusted = (
    c: Context,
  ) => (typeof options.corsOrigins === 'function' ? options.corsOrigins(c) : options.corsOrigins);
  const allowed = cors({
    origin: (origin) => origin,
    allowMethods: METHODS,
    credentials: true,
    maxAge: PREFLIGHT_MAX_AGE,
    exposeHeaders: EXPOSED_HEADERS,
  });
  const headers = Object.entries(options.securityHeaders);
  return async (c, next) => {
    // CORS only concerns requests that carry an Origin (browsers send it on every cross-origin request).
    const origin = c.req.header('origin');
    if (origin !== undefined && trusted(c).includes(origin)) {
      const preflight = await allowed(c, next);
      if (preflight) c.res = preflight; // the preflight's 204: next() was not called
    } else if (origin !== undefined && c.req.method === 'OPTIONS' && c.req.header('access-control-request-method')) {
      c.res = new Response(null, { status: 204, headers: { vary: 'Origin' } }); // an untrusted preflight: no allow headers
    } else {
      await next();
      if (origin !== undefined) c.res.headers.append('vary', 'Origin');
    }
    if (c.res.status === 101) return; // a WebSocket upgrade: no document, and its headers may be fixed
    for (const [name, value] of headers) {
      if (name.toLowerCase() === 'content-security-policy' && c.res.headers.has(name)) continue; // the route's own, stricter policy
      c.res.headers.set(name, value);
    }
  };
}
