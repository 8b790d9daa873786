/**
 * Outbound delivery against a local receiver on 127.0.0.1 that verifies each signature the way a
 * subscriber would (the block-list is relaxed explicitly for loopback, as only tests may).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { afterFailure, attemptDelivery, MAX_ATTEMPTS, retryDelayMs } from './webhook-delivery.js';
import { verifyTimestamped } from './webhook-signature.js';

const SECRET = 'whsec_receiver';
const LOOPBACK = { allowInsecure: true, allowPrivate: true };
let server: Server;
let base: string;
const received: {
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  verified: boolean;
}[] = [];
let plan: number[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => {
      body += c;
    });
    req.on('end', () => {
      const verified = verifyTimestamped(SECRET, req.headers['x-webhook-signature'] as string, body).ok;
      received.push({ path: req.url!, headers: req.headers, body, verified });
      if (req.url === '/redirect') {
        res.writeHead(302, { location: 'http://169.254.169.254/' });
        res.end();
        return;
      }
      const status = req.url === '/flaky' ? plan.shift() ?? 200 : verified ? 200 : 401;
      res.writeHead(status, { 'content-type': 'text/plain' });
      res.end(status >= 500 ? 'x'.repeat(5000) : 'ok');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

const delivery = (path: string, secret = SECRET) => ({
  id: 'whd_1',
  url: `${base}${path}`,
  secret,
  event: 'ticket.created',
  body: JSON.stringify({ type: 'ticket.created', data: { id: 't1' }, createdAt: '2026-11-25T00:00:00Z' }),
});

describe('webhook delivery', () => {
  it('delivers a signed POST the receiver verifies, with the event and delivery headers', async () => {
    const result = await attemptDelivery(delivery('/ok'), LOOPBACK);
    expect(result).toEqual({ outcome: 'delivered', status: 200, error: null, responseBody: 'ok' });
    const hit = received.at(-1)!;
    expect(hit.verified).toBe(true);
    expect(hit.headers['x-webhook-event']).toBe('ticket.created');
    expect(hit.headers['x-webhook-delivery']).toBe('whd_1');
    expect(JSON.parse(hit.body).data.id).toBe('t1');
  });

  it('a wrong secret is refused by the receiver and retried; a 500 is retried, then delivered', async () => {
    expect((await attemptDelivery(delivery('/ok', 'wrong'), LOOPBACK)).outcome).toBe('retry');
    plan = [500, 200];
    const first = await attemptDelivery(delivery('/flaky'), LOOPBACK);
    expect(first).toMatchObject({ outcome: 'retry', status: 500, error: 'answered 500' });
    expect(first.responseBody).toHaveLength(1000);
    expect((await attemptDelivery(delivery('/flaky'), LOOPBACK)).outcome).toBe('delivered');
  });

  it('does not follow redirects, and refuses loopback without the explicit relaxation (no request made)', async () => {
    const count = received.length;
    expect(await attemptDelivery(delivery('/redirect'), LOOPBACK)).toMatchObject({
      outcome: 'failed',
      status: 302,
      error: 'redirects are not followed',
    });
    expect(received.length).toBe(count + 1);
    expect(await attemptDelivery(delivery('/ok'), { allowInsecure: true })).toMatchObject({
      outcome: 'failed',
      error: 'target refused: 127.0.0.1 is an internal address',
    });
    expect(received.length).toBe(count + 1);
  });

  it('a dead receiver is a retry; backoff doubles to an hour; after MAX_ATTEMPTS it fails', async () => {
    const dead = await attemptDelivery({ ...delivery('/'), url: 'http://127.0.0.1:9/' }, LOOPBACK);
    expect(dead).toMatchObject({ outcome: 'retry', status: null });
    expect([1, 2, 5, 11, 12, 20].map(retryDelayMs)).toEqual([2000, 4000, 32000, 2048000, 3600000, 3600000]);
    expect([afterFailure(MAX_ATTEMPTS - 1), afterFailure(MAX_ATTEMPTS)]).toEqual(['retry', 'failed']);
  });
});
