/**
 * @module quickback/ip-ranges
 * Whether an IP address is internal (not the public Internet), for the SSRF guard of outbound
 * webhooks (webhook-targets.ts). IPv4: this network, loopback, RFC 1918, CGNAT, link-local and
 * cloud metadata (169.254.169.254), IETF protocol assignments, documentation and benchmarking
 * ranges, multicast and reserved. IPv6 is parsed to its eight groups, so every spelling of one
 * address is judged alike, and every form that carries an IPv4 address is judged by that IPv4
 * address: IPv4-compatible `::/96` (so `[::127.0.0.1]`), IPv4-mapped `::ffff:0:0/96`,
 * IPv4-translated `::ffff:0:0:0/96` (`[::ffff:0:127.0.0.1]`), NAT64 `64:ff9b::/96`, 6to4
 * `2002::/16` and Teredo `2001::/32` (its server and its obfuscated client address). The other
 * IPv6 ranges refused: unspecified and loopback, NAT64 local use `64:ff9b:1::/48`, discard
 * `100::/64`, documentation `2001:db8::/32`, ORCHID `2001:10::/28`, unique-local `fc00::/7`,
 * link-local `fe80::/10`, site-local `fec0::/10` and multicast `ff00::/8`. Anything that is not an
 * address counts as internal.
 */
import { isIP } from 'node:net';

const BLOCKED_V4: [number, number][] = [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.88.99.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
].map(([base, bits]) => [v4(base as string), bits as number]);

function v4(ip: string): number {
  return ip.split('.').reduce((n, part) => n * 256 + Number(part), 0);
}

/** A 32-bit IPv4 address (as a number) inside a refused range. */
export function blockedV4Number(n: number): boolean {
  return BLOCKED_V4.some(([base, bits]) => Math.floor(n / 2 ** (32 - bits)) === Math.floor(base / 2 ** (32 - bits)));
}

/** The eight 16-bit groups of an IPv6 address (zone id dropped; a dotted IPv4 tail becomes two groups). */
export function v6Groups(ip: string): number[] {
  let text = ip.toLowerCase().replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  const tail = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (tail) {
    const [a, b, c, d] = tail.slice(1).map(Number);
    text = `${text.slice(0, tail.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, rest] = text.includes('::') ? text.split('::') : [text, undefined];
  const parse = (s: string) => (s === '' ? [] : s.split(':').map((g) => parseInt(g, 16)));
  const left = parse(head);
  if (rest === undefined) return left;
  const right = parse(rest);
  return [...left, ...new Array(8 - left.length - right.length).fill(0), ...right];
}

const word = (hi: number, lo: number) => hi * 65536 + lo;

/** The IPv4 addresses an IPv6 address carries (empty when it carries none). */
export function embeddedV4(g: number[]): number[] {
  const zero = (from: number, to: number) => g.slice(from, to).every((x) => x === 0);
  if (zero(0, 6)) return [word(g[6], g[7])]; // ::/96 IPv4-compatible (and :: and ::1)
  if (zero(0, 5) && g[5] === 0xffff) return [word(g[6], g[7])]; // ::ffff:0:0/96 IPv4-mapped
  if (zero(0, 4) && g[4] === 0xffff && g[5] === 0) return [word(g[6], g[7])]; // ::ffff:0:0:0/96 IPv4-translated
  if (g[0] === 0x64 && g[1] === 0xff9b && zero(2, 6)) return [word(g[6], g[7])]; // 64:ff9b::/96 NAT64
  if (g[0] === 0x2002) return [word(g[1], g[2])]; // 2002::/16 6to4
  if (g[0] === 0x2001 && g[1] === 0) return [word(g[2], g[3]), word(g[6] ^ 0xffff, g[7] ^ 0xffff)]; // 2001::/32 Teredo: server, client
  return [];
}

function blockedV6(ip: string): boolean {
  const g = v6Groups(ip);
  if (g.length !== 8 || g.some((x) => !Number.isInteger(x) || x < 0 || x > 0xffff)) return true;
  const carried = embeddedV4(g);
  if (carried.length > 0) return carried.some(blockedV4Number);
  const [a, b, c, d] = g;
  return (a === 0x64 && b === 0xff9b && c === 1) // 64:ff9b:1::/48 NAT64 local use
    || (a === 0x100 && b === 0 && c === 0 && d === 0) // 100::/64 discard
    || (a === 0x2001 && b === 0xdb8) || (a === 0x2001 && (b & 0xfff0) === 0x10) // documentation, ORCHID
    || (a & 0xfe00) === 0xfc00 || (a & 0xffc0) === 0xfe80 || (a & 0xffc0) === 0xfec0 || (a & 0xff00) === 0xff00;
}

/** True for an address that is not the public Internet, and for anything that is not an address. */
export function internalAddress(ip: string): boolean {
  const bare = ip.replace(/^\[|\]$/g, '');
  const kind = isIP(bare);
  return kind === 4 ? blockedV4Number(v4(bare)) : kind === 6 ? blockedV6(bare) : true;
}
