/**
 * @module quickback/webhook-targets
 * Where outbound webhooks may go (reference §7.2): https only (http with `webhooks.allowInsecure`),
 * no credentials in the URL, and never an internal address: localhost and `.localhost`,
 * `.internal`, `.local`, and IP ranges that are not the public Internet (loopback, RFC 1918,
 * link-local and cloud metadata at 169.254.169.254, CGNAT, unique-local and link-local IPv6,
 * IPv4-mapped IPv6 of those, multicast, reserved). A host name is resolved first (on Node) and
 * refused when any address it resolves to is internal. `allowPrivate` lifts the address rules for
 * tests against a local receiver only.
 */
import { isIP } from 'node:net';

export interface TargetPolicy {
  allowInsecure: boolean;
  /** Tests only: deliver to loopback and private addresses. */
  allowPrivate?: boolean;
  /** The addresses of a host name (Node: dns.lookup); absent where the platform cannot resolve (Workers, whose fetch never reaches private networks). */
  resolve?: (host: string) => Promise<string[]>;
}

export type TargetCheck = { ok: true; url: URL } | { ok: false; reason: string };

const BLOCKED_V4: [number, number][] = [
  ['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12], ['192.0.0.0', 24],
  ['192.0.2.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15], ['198.51.100.0', 24], ['203.0.113.0', 24], ['224.0.0.0', 4], ['240.0.0.0', 4],
].map(([base, bits]) => [v4(base as string), bits as number]);

function v4(ip: string): number {
  return ip.split('.').reduce((n, part) => n * 256 + Number(part), 0);
}

function blockedV4(ip: string): boolean {
  const n = v4(ip);
  return BLOCKED_V4.some(([base, bits]) => Math.floor(n / 2 ** (32 - bits)) === Math.floor(base / 2 ** (32 - bits)));
}

function blockedV6(ip: string): boolean {
  const a = ip.toLowerCase().replace(/^\[|\]$/g, '');
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(a);
  if (mapped) return blockedV4(mapped[1]);
  // URLs write mapped addresses in hex (::ffff:7f00:1 is 127.0.0.1)
  const hex = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(a);
  if (hex) {
    const [hi, lo] = [parseInt(hex[1], 16), parseInt(hex[2], 16)];
    return blockedV4(`${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`);
  }
  if (a === '::' || a === '::1') return true;
  const first = parseInt(a.split(':')[0] || '0', 16);
  // fc00::/7 unique local, fe80::/10 link-local, ff00::/8 multicast, 64:ff9b::/96 NAT64 (may reach IPv4 internals)
  return (first & 0xfe00) === 0xfc00 || (first & 0xffc0) === 0xfe80 || (first & 0xff00) === 0xff00 || a.startsWith('64:ff9b:');
}

export function internalAddress(ip: string): boolean {
  const kind = isIP(ip.replace(/^\[|\]$/g, ''));
  return kind === 4 ? blockedV4(ip) : kind === 6 ? blockedV6(ip) : true;
}

const BLOCKED_NAMES = [/^localhost$/, /\.localhost$/, /\.internal$/, /\.local$/, /^metadata$/];

export async function checkTarget(raw: string, policy: TargetPolicy): Promise<TargetCheck> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, reason: 'not a URL' };
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && policy.allowInsecure)) return { ok: false, reason: 'only https URLs (http needs webhooks.allowInsecure)' };
  if (url.username || url.password) return { ok: false, reason: 'credentials in the URL are not allowed' };
  if (policy.allowPrivate) return { ok: true, url };
  const host = url.hostname.toLowerCase().replace(/\.$/, '');
  if (BLOCKED_NAMES.some((re) => re.test(host))) return { ok: false, reason: `${host} is an internal host name` };
  if (isIP(host.replace(/^\[|\]$/g, ''))) return internalAddress(host) ? { ok: false, reason: `${host} is an internal address` } : { ok: true, url };
  if (policy.resolve) {
    let addresses: string[];
    try {
      addresses = await policy.resolve(host);
    } catch {
      return { ok: false, reason: `${host} does not resolve` };
    }
    const internal = addresses.find(internalAddress);
    if (internal) return { ok: false, reason: `${host} resolves to the internal address ${internal}` };
  }
  return { ok: true, url };
}
