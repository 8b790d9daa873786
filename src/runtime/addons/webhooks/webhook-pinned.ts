/**
 * @module quickback/webhook-pinned
 * Node and Bun: a webhook request sent to an address the SSRF guard already checked
 * (webhook-targets.ts), not to whatever the host name resolves to a moment later. The socket
 * connects to the checked address (the next one if it refuses); the URL's host name stays the
 * `Host` header and the TLS server name, so certificates are verified against the name as usual.
 * No redirects are followed, and only the first bytes of the answer are read (the delivery keeps
 * RESPONSE_BODY_LIMIT characters of it).
 */
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP } from 'node:net';
import type { PinnedRequest } from './webhook-targets.js';

/** Bytes of a response body read at most. */
export const PINNED_BODY_BYTES = 16 * 1024;

const NULL_BODY = new Set([204, 205, 304]);

async function readSome(res: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of res) {
    chunks.push(chunk as Buffer);
    size += (chunk as Buffer).length;
    if (size >= PINNED_BODY_BYTES) break;
  }
  res.destroy();
  return Buffer.concat(chunks).subarray(0, PINNED_BODY_BYTES);
}

function sendTo(url: URL, address: string, request: PinnedRequest): Promise<Response> {
  const name = url.hostname.replace(/^\[|\]$/g, '');
  const https = url.protocol === 'https:';
  const options = {
    host: address,
    port: url.port || (https ? 443 : 80),
    path: `${url.pathname}${url.search}`,
    method: request.method,
    // identity: node:http does not decompress, and the delivery keeps the answer's first characters.
    headers: {
      ...request.headers,
      host: url.host,
      'accept-encoding': 'identity',
      'content-length': String(Buffer.byteLength(request.body)),
    },
    signal: request.signal,
    agent: false as const,
    ...(https && !isIP(name) ? { servername: name } : {}),
  };
  return new Promise((resolve, reject) => {
    const req = (https ? httpsRequest : httpRequest)(options, (res) => {
      readSome(res).then((body) => {
        const headers = new Headers();
        for (const [key, value] of Object.entries(res.headers))
          if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
        const status = res.statusCode ?? 0;
        resolve(new Response(NULL_BODY.has(status) ? null : new Uint8Array(body), { status, headers }));
      }, reject);
    });
    req.on('error', reject);
    req.end(request.body);
  });
}

/** Sends to the first of `addresses` that accepts the connection. */
export async function pinnedSend(url: URL, addresses: string[], request: PinnedRequest): Promise<Response> {
  let failure: unknown = new Error('no address to connect to');
  for (const address of addresses) {
    try {
      return await sendTo(url, address, request);
    } catch (err) {
      failure = err;
      const code = (err as { code?: string }).code;
      if (request.signal.aborted || !(code === 'ECONNREFUSED' || code === 'EHOSTUNREACH' || code === 'ENETUNREACH'))
        throw err;
    }
  }
  throw failure;
}
