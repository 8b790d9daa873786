/**
 * A webhook receiver on 127.0.0.1 for tests: records each POST and whether its
 * X-Webhook-Signature verifies under the secret the test gives it; answers the statuses of `plan`
 * in turn (200 once the plan is used up). Several endpoints may share it: each POST records its path
 * (`?ep=…` tells them apart) and verifies under `secret` or any of `secrets`. The next `stall` POSTs
 * are recorded (status 0, `at` when they arrived) and never answered: a sender killed mid-delivery.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { verifyTimestamped } from '../../src/runtime/addons/webhooks/webhook-signature.js';

export interface Received {
  event: string;
  delivery: string;
  path: string;
  body: any;
  verified: boolean;
  status: number;
  at: number;
}

export async function startReceiver() {
  const received: Received[] = [];
  const state = { secret: '', secrets: [] as string[], plan: [] as number[], stall: 0 };
  const server: Server = createServer((req, res) => {
    let text = '';
    req.on('data', (chunk) => {
      text += chunk;
    });
    req.on('end', () => {
      const stalled = state.stall > 0;
      if (stalled) state.stall--;
      const status = stalled ? 0 : state.plan.shift() ?? 200;
      received.push({
        event: String(req.headers['x-webhook-event']),
        delivery: String(req.headers['x-webhook-delivery']),
        path: String(req.url),
        body: JSON.parse(text),
        verified: [state.secret, ...state.secrets].some((secret) =>
          verifyTimestamped(secret, req.headers['x-webhook-signature'] as string, text).ok
        ),
        status,
        at: Date.now(),
      });
      if (stalled) return;
      res.writeHead(status).end(status === 200 ? 'thanks' : 'try again');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`;
  /** Resolves with the first received POST that matches, waiting up to `timeoutMs`. */
  const next = async (match: (r: Received) => boolean, timeoutMs = 10_000): Promise<Received> => {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const hit = received.find(match);
      if (hit) return hit;
      if (Date.now() > until)
        throw new Error(
          `no matching webhook within ${timeoutMs} ms; got ${JSON.stringify(received.map((r) => r.event))}`,
        );
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  return {
    url,
    received,
    state,
    next,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
