/**
 * @module quickback/body-deadline
 * Node and Bun: a request body must have arrived QUICKBACK_BODY_TIMEOUT_MS (default 30 s) after
 * the request reached the app. A body still arriving then fails whoever reads it, and the request
 * is answered `408 REQUEST_TIMEOUT` with `connection: close`, whatever the route made of the
 * failed read (Better Auth's routes included), so a slowly sent body no longer holds its socket
 * for minutes. Reading stays streamed: the body is handed on chunk by chunk as it is asked for.
 * A body the route never reads is not timed (its response does not wait for it); whatever is left
 * of a body once the response is out is the server's to discard (server-node.ts, server-bun.ts).
 */
import type { Context, MiddlewareHandler } from 'hono';
import { apiError } from './errors.js';

export function bodyDeadline(timeoutMs: (c: Context) => number): MiddlewareHandler {
  return async (c, next) => {
    const source = c.req.raw.body;
    if (!source) return next();
    const ms = timeoutMs(c);
    let reader: ReadableStreamDefaultReader<Uint8Array> | undefined;
    let fail: ((err: unknown) => void) | undefined;
    let expired = false;
    let settled = false;
    const settle = () => {
      settled = true;
      clearTimeout(timer);
    };
    const timer = setTimeout(() => {
      if (settled || !reader) return; // a body nobody reads does not hold the answer up
      expired = true;
      fail?.(
        apiError('REQUEST_TIMEOUT', { hint: `The body must arrive within ${ms} ms (QUICKBACK_BODY_TIMEOUT_MS).` }),
      );
    }, ms);
    const body = new ReadableStream<Uint8Array>(
      {
        start(controller) {
          fail = (err) => controller.error(err);
        },
        async pull(controller) {
          reader ??= source.getReader();
          const { done, value } = await reader.read();
          if (expired) return; // the stream has failed already
          if (done) {
            settle();
            controller.close();
          } else controller.enqueue(value);
        },
        cancel(reason) {
          settle();
          return reader?.cancel(reason) ?? source.cancel(reason);
        },
      },
      { highWaterMark: 0 },
    ); // read only when asked
    c.req.raw = new Request(c.req.raw, { body, duplex: 'half' } as RequestInit);
    try {
      await next();
    } finally {
      settle();
    }
    if (expired) c.res = timedOut(c);
  };
}

/** The 408, keeping the headers every response carries (request id, security headers) but not the failed response's own. */
function timedOut(c: Context): Response {
  const headers = new Headers(c.res.headers);
  for (const name of ['content-length', 'content-type', 'set-cookie', 'etag', 'location']) headers.delete(name);
  headers.set('content-type', 'application/json');
  headers.set('connection', 'close');
  const body = apiError('REQUEST_TIMEOUT', {
    hint: 'Send the whole body promptly, or raise QUICKBACK_BODY_TIMEOUT_MS on the server.',
  }).toBody();
  c.res = undefined;
  return new Response(JSON.stringify(body), { status: 408, headers });
}
