/**
 * @module quickback/webhook-signature
 * Webhook signatures (reference §7.2). Outbound deliveries carry
 * `X-Webhook-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`; receivers
 * check it within a 300-second tolerance. Inbound, the same check serves the generic provider
 * (`x-webhook-signature`) and Stripe (`stripe-signature`, same scheme, several v1 allowed);
 * GitHub signs the body alone (`x-hub-signature-256: sha256=<hex>`); Standard Webhooks (generic
 * providers sending `webhook-signature`) sign the id and the timestamp with the body
 * (`v1,<base64 HMAC-SHA256(key, "<webhook-id>.<webhook-timestamp>.<body>")>`, the key the base64
 * after `whsec_`), so there the id header is signed material. Comparisons are constant-time.
 */
import { Buffer } from 'node:buffer';
import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_TOLERANCE_SECONDS = 300;

const hmacHex = (secret: string, data: string) => createHmac('sha256', secret).update(data).digest('hex');

function sameHex(a: string, b: string): boolean {
  if (a.length !== b.length || !/^[0-9a-f]*$/i.test(a)) return false;
  return timingSafeEqual(Buffer.from(a, 'hex'), Buffer.from(b, 'hex'));
}

/** The X-Webhook-Signature value for `body` sent at `now`. */
export function signPayload(secret: string, body: string, now = Date.now()): string {
  const t = Math.floor(now / 1000);
  return `t=${t},v1=${hmacHex(secret, `${t}.${body}`)}`;
}

export type SignatureCheck = { ok: true } | { ok: false; reason: 'missing' | 'malformed' | 'expired' | 'mismatch' };

/** `t=…,v1=…[,v1=…]` (ours and Stripe's): a v1 matches and t is within the tolerance. */
export function verifyTimestamped(
  secret: string,
  header: string | null | undefined,
  body: string,
  now = Date.now(),
  tolerance = SIGNATURE_TOLERANCE_SECONDS,
): SignatureCheck {
  if (!header) return { ok: false, reason: 'missing' };
  const parts = header.split(',').map((p) => p.trim().split('='));
  const t = Number(parts.find(([k]) => k === 't')?.[1]);
  const signatures = parts.filter(([k, v]) => k === 'v1' && v).map(([, v]) => v!);
  if (!Number.isInteger(t) || signatures.length === 0) return { ok: false, reason: 'malformed' };
  if (Math.abs(Math.floor(now / 1000) - t) > tolerance) return { ok: false, reason: 'expired' };
  const expected = hmacHex(secret, `${t}.${body}`);
  return signatures.some((s) => sameHex(s, expected)) ? { ok: true } : { ok: false, reason: 'mismatch' };
}

/** GitHub's `x-hub-signature-256: sha256=<hex>` over the raw body. */
export function verifyGithub(secret: string, header: string | null | undefined, body: string): SignatureCheck {
  if (!header) return { ok: false, reason: 'missing' };
  if (!header.startsWith('sha256=')) return { ok: false, reason: 'malformed' };
  return sameHex(header.slice(7), hmacHex(secret, body)) ? { ok: true } : { ok: false, reason: 'mismatch' };
}

/** Standard Webhooks: `webhook-signature: v1,<base64> [v1,<base64> …]` over "<id>.<timestamp>.<body>", timestamp within the tolerance. */
export function verifyStandard(
  secret: string,
  headers: { id?: string | null; timestamp?: string | null; signature?: string | null },
  body: string,
  now = Date.now(),
  tolerance = SIGNATURE_TOLERANCE_SECONDS,
): SignatureCheck {
  const { id, timestamp, signature } = headers;
  if (!id || !timestamp || !signature) return { ok: false, reason: 'missing' };
  const t = Number(timestamp);
  const signatures = signature.split(' ').filter((s) => s.startsWith('v1,')).map((s) =>
    Buffer.from(s.slice(3), 'base64')
  );
  if (!/^\d+$/.test(timestamp) || signatures.length === 0) return { ok: false, reason: 'malformed' };
  if (Math.abs(Math.floor(now / 1000) - t) > tolerance) return { ok: false, reason: 'expired' };
  const key = secret.startsWith('whsec_') ? Buffer.from(secret.slice(6), 'base64') : Buffer.from(secret);
  const expected = createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest();
  return signatures.some((s) => s.length === expected.length && timingSafeEqual(s, expected))
    ? { ok: true }
    : { ok: false, reason: 'mismatch' };
}
