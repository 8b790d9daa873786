/**
 * @module quickback/webhook-delivery
 * One delivery attempt of an outbound webhook (reference §7.2): the target is checked first
 * (webhook-targets.ts), then `POST` (on Node to the addresses the check approved: webhook-pinned.ts) with the JSON body, `X-Webhook-Signature`, `X-Webhook-Event` and
 * `X-Webhook-Delivery`, a 10-second timeout and no redirects. 2xx is delivered; a 3xx or a refused
 * target is a terminal failure (a redirect could lead anywhere); anything else (non-2xx, network
 * error, timeout) is retried after `min(2^attempts s, 1 h)`, up to MAX_ATTEMPTS. Response bodies are
 * kept to 1000 characters.
 */
import { signPayload } from './webhook-signature.js';
import { checkTarget, type TargetPolicy } from './webhook-targets.js';

export const MAX_ATTEMPTS = 10;
export const DELIVERY_TIMEOUT_MS = 10_000;
export const RESPONSE_BODY_LIMIT = 1000;

export interface Delivery {
  id: string;
  url: string;
  secret: string;
  event: string;
  body: string;
}

export interface AttemptResult {
  outcome: 'delivered' | 'retry' | 'failed';
  status: number | null;
  error: string | null;
  responseBody: string;
}

/** When attempt number `attempts` (1 = the first failure) is retried. */
export function retryDelayMs(attempts: number): number {
  return Math.min(2 ** attempts, 3600) * 1000;
}

/** What a failed attempt leads to: another try, or the end (dead letter) after MAX_ATTEMPTS. */
export function afterFailure(attempts: number): 'retry' | 'failed' {
  return attempts >= MAX_ATTEMPTS ? 'failed' : 'retry';
}

export async function attemptDelivery(
  delivery: Delivery,
  policy: TargetPolicy,
  fetchImpl: typeof fetch = fetch,
  now = Date.now(),
  timeoutMs = DELIVERY_TIMEOUT_MS,
): Promise<AttemptResult> {
  const target = await checkTarget(delivery.url, policy);
  if (!target.ok)
    return { outcome: 'failed', status: null, error: `target refused: ${target.reason}`, responseBody: '' };
  const request = {
    method: 'POST',
    signal: AbortSignal.timeout(timeoutMs),
    headers: {
      'content-type': 'application/json',
      'user-agent': 'Quickback-Webhooks/1',
      'x-webhook-signature': signPayload(delivery.secret, delivery.body, now),
      'x-webhook-event': delivery.event,
      'x-webhook-delivery': delivery.id,
    },
    body: delivery.body,
  };
  let response: Response;
  try {
    // Node: to the very addresses the check approved (no second DNS lookup); elsewhere the platform's fetch.
    response = policy.send && target.addresses
      ? await policy.send(target.url, target.addresses, request)
      : await fetchImpl(target.url, { ...request, redirect: 'manual' });
  } catch (err) {
    return {
      outcome: 'retry',
      status: null,
      error: (err as Error).name === 'TimeoutError' || request.signal.aborted
        ? 'timed out'
        : `network error: ${(err as Error).message}`,
      responseBody: '',
    };
  }
  const text = await response.text().catch(() => '');
  const responseBody = text.slice(0, RESPONSE_BODY_LIMIT);
  if (response.status >= 200 && response.status < 300)
    return { outcome: 'delivered', status: response.status, error: null, responseBody };
  if (response.status >= 300 && response.status < 400)
    return { outcome: 'failed', status: response.status, error: 'redirects are not followed', responseBody };
  return { outcome: 'retry', status: response.status, error: `answered ${response.status}`, responseBody };
}
