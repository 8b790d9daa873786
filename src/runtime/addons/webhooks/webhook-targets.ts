/**
 * @module quickback/webhook-targets
 * Where outbound webhooks may go (reference §7.2): https only (http with `webhooks.allowInsecure`),
 * no credentials in the URL, and never an internal address: localhost and `.localhost`,
 * `.internal`, `.local`, and IP ranges that are not the public Internet (loopback, RFC 1918,
 * link-local and cloud metadata at 169.254.169.254, CGNAT, unique-local and link-local IPv6, every
 * IPv6 form that carries an internal IPv4 address, multicast, reserved: ip-ranges.ts). A host name
 * is resolved once (on Node) and refused when any address it resolves to is internal; the check
 * answers the addresses it approved, and the delivery connects to one of those (webhook-pinned.ts),
 * never resolving the name again, so a DNS answer that changes between the check and the request
 * (DNS rebinding) cannot reach an internal address. Workers have no DNS API: there the literal
 * address rules apply, and Cloudflare's fetch does not reach private addresses of the Worker's
 * network. `allowPrivate` lifts the address rules for tests against a local receiver only.
 */
import { isIP } from 'node:net';
import { internalAddress } from './ip-ranges.js';

export { internalAddress };

export interface TargetPolicy {
  allowInsecure: boolean;
  /** Tests only: deliver to loopback and private addresses. */
  allowPrivate?: boolean;
  /** The addresses of a host name (Node: dns.lookup); absent where the platform cannot resolve (Workers, whose fetch never reaches private networks). */
  resolve?: (host: string) => Promise<string[]>;
  /** Node: sends to one of the checked addresses, the URL's host name kept as Host and TLS server name (webhook-pinned.ts). */
  send?: PinnedSend;
}

export interface PinnedRequest {
  method: string;
  headers: Record<string, string>;
  body: string;
  signal: AbortSignal;
}
export type PinnedSend = (url: URL, addresses: string[], request: PinnedRequest) => Promise<Response>;

/** `addresses`: the checked addresses of the host (its literal address, or what the name resolved to), absent when nothing was resolved. */
export type TargetCheck = { ok: true; url: URL; addresses?: string[] } | { ok: false; reason: string };

const BLOCKED_NAMES = [/^localhost$/, /\.localhost$/, /\.internal$/, /\.local$/, /^metadata$/];

export async function checkTarget(raw: string, policy: TargetPolicy): Promise<TargetCheck> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, reason: 'not a URL' };
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && policy.allowInsecure))
    return { ok: false, reason: 'only https URLs (http needs webhooks.allowInsecure)' };
  if (url.username || url.password) return { ok: false, reason: 'credentials in the URL are not allowed' };
  if (policy.allowPrivate) return { ok: true, url };
  const host = url.hostname.toLowerCase().replace(/\.$/, '');
  if (BLOCKED_NAMES.some((re) => re.test(host))) return { ok: false, reason: `${host} is an internal host name` };
  const literal = host.replace(/^\[|\]$/g, '');
  if (isIP(literal))
    return internalAddress(literal)
      ? { ok: false, reason: `${host} is an internal address` }
      : { ok: true, url, addresses: [literal] };
  if (policy.resolve) {
    let addresses: string[];
    try {
      addresses = await policy.resolve(host);
    } catch {
      return { ok: false, reason: `${host} does not resolve` };
    }
    if (addresses.length === 0) return { ok: false, reason: `${host} does not resolve` };
    const internal = addresses.find(internalAddress);
    if (internal) return { ok: false, reason: `${host} resolves to the internal address ${internal}` };
    return { ok: true, url, addresses };
  }
  return { ok: true, url };
}
