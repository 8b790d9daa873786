/**
 * @module quickback/etag
 * Conditional GETs under /api: a weak ETag of the body as sent (after masking) and a 304 for a
 * matching If-None-Match. Conditional writes (If-Match) compare against the same tag: preconditions.ts.
 */
import { createHash } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import type { QuickbackEnv } from './types.js';

/** The weak ETag of a representation: the first 16 hex digits of the SHA-256 of its bytes, as sent. */
export function weakEtag(body: Uint8Array | string): string {
  // node:crypto's hash is synchronous on Node, Bun and Workers (nodejs_compat); WebCrypto's digest costs ~15× more per call on Node 20.
  return `W/"${createHash('sha256').update(body).digest('hex').slice(0, 16)}"`;
}

/**
 * GET 200 responses get a weak ETag of the body as sent (after masking): the first 16 hex digits
 * of its SHA-256, and `Cache-Control: private, no-cache`. A matching If-None-Match gets a 304.
 */
export const etag: MiddlewareHandler<QuickbackEnv> = async (c, next) => {
  c.set('etags', true); // writes of a record answer its new ETag too (preconditions.ts)
  await next();
  if (c.req.method !== 'GET' || c.res.status !== 200) return;
  const tag = weakEtag(new Uint8Array(await c.res.clone().arrayBuffer()));
  const inm = c.req.header('if-none-match');
  if (
    inm !== undefined
    && (inm.trim() === '*' || inm.split(',').some((t) => t.trim().replace(/^W\//, '') === tag.slice(2)))
  ) {
    const requestId = c.res.headers.get('x-request-id');
    c.res = new Response(null, {
      status: 304,
      headers: { etag: tag, 'cache-control': 'private, no-cache', ...(requestId ? { 'x-request-id': requestId } : {}) },
    });
    return;
  }
  c.res.headers.set('ETag', tag);
  c.res.headers.set('Cache-Control', 'private, no-cache');
};
