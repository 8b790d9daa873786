/**
 * Attacks on the network edges of the add-ons (issue #29): the SSRF guard of outbound webhooks —
 * every IPv4-in-IPv6 form of an internal address (literal and randomized with fast-check, logged
 * seed), IPv4 spellings, and DNS rebinding (a name that resolves to a public address for the check
 * and to loopback afterwards: resolved once, the request pinned to the checked address, a local
 * listener on 127.0.0.1 never reached).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attemptDelivery } from '../../src/runtime/webhook-delivery.js';
import { pinnedSend } from '../../src/runtime/webhook-pinned.js';
import { checkTarget, type TargetPolicy } from '../../src/runtime/webhook-targets.js';

const SEED = Number(process.env.QB_ATTACK_SEED ?? 20261207);
const hex = (n: number) => n.toString(16);
const v6Forms = (a: number, b: number, c: number, d: number): string[] => {
  const hi = hex((a << 8) | b), lo = hex((c << 8) | d), dotted = `${a}.${b}.${c}.${d}`;
  const thi = hex(((a << 8) | b) ^ 0xffff), tlo = hex(((c << 8) | d) ^ 0xffff);
  return [
    `::${dotted}`, `::${hi}:${lo}`, `0:0:0:0:0:0:${dotted}`, // ::/96 IPv4-compatible
    `::ffff:${dotted}`, `::ffff:${hi}:${lo}`, `0:0:0:0:0:FFFF:${hi}:${lo}`, // ::ffff:0:0/96 mapped
    `::ffff:0:${dotted}`, `::ffff:0:${hi}:${lo}`, // ::ffff:0:0:0/96 translated
    `64:ff9b::${dotted}`, `64:ff9b::${hi}:${lo}`, `0064:ff9b:0:0:0:0:${hi}:${lo}`, // NAT64
    `2002:${hi}:${lo}::`, `2002:${hi}:${lo}:1:2:3:4:5`, // 6to4
    `2001:0:${hi}:${lo}::f7f7:f7f7`, `2001:0:808:808::${thi}:${tlo}`, // Teredo: the server (client 8.8.8.8), then the obfuscated client (server 8.8.8.8)
  ];
};
const INTERNAL: [number, number, number, number][] = [[127, 0, 0, 1], [10, 1, 2, 3], [169, 254, 169, 254], [192, 168, 0, 1], [172, 16, 5, 4], [100, 64, 0, 9], [0, 0, 0, 0]];
const strict: TargetPolicy = { allowInsecure: true, resolve: async () => { throw new Error('no DNS in this test'); } };

describe('SSRF guard: internal IPv4 inside IPv6, and IPv4 spellings', () => {
  it.each(INTERNAL.flatMap((ip) => v6Forms(...ip)))('refuses http://[%s]/', async (form) => {
    expect(await checkTarget(`http://[${form}]/hook`, strict)).toMatchObject({ ok: false });
  });

  it.each(['http://[::127.0.0.1]/', 'http://[::ffff:0:127.0.0.1]/', 'http://2130706433/', 'http://0x7f.1/', 'http://127.1/', 'http://0177.0.0.1/', 'http://0x7f000001/', 'http://[::]/', 'http://[64:ff9b:1::a00:1]/', 'http://[fec0::1]/'])('refuses %s', async (url) => {
    expect(await checkTarget(url, strict)).toMatchObject({ ok: false });
  });

  it('still allows the same forms of a public address (8.8.8.8 in each)', async () => {
    for (const form of v6Forms(8, 8, 8, 8)) expect(await checkTarget(`http://[${form}]/hook`, strict), form).toMatchObject({ ok: true });
  });

  it('fast-check: a random internal IPv4 in a random IPv6 form is always refused', async () => {
    const octet = fc.integer({ min: 0, max: 255 });
    const internal = fc.oneof(
      fc.tuple(fc.constant(127), octet, octet, octet), fc.tuple(fc.constant(10), octet, octet, octet), fc.tuple(fc.constant(192), fc.constant(168), octet, octet),
      fc.tuple(fc.constant(172), fc.integer({ min: 16, max: 31 }), octet, octet), fc.tuple(fc.constant(169), fc.constant(254), octet, octet), fc.tuple(fc.constant(0), octet, octet, octet),
    );
    let runs = 0;
    const accepted: string[] = [];
    await fc.assert(fc.asyncProperty(internal, fc.nat(14), async (ip, which) => {
      const form = v6Forms(ip[0], ip[1], ip[2], ip[3])[which];
      runs++;
      if ((await checkTarget(`https://[${form}]/`, strict)).ok) accepted.push(form);
    }), { numRuns: 500, seed: SEED });
    console.log(`[attack] ssrf ipv6 forms: ${runs} attempts (seed ${SEED}), ${accepted.length} internal addresses accepted ${accepted.slice(0, 5).join(' ')}`);
    expect(accepted).toEqual([]);
  });
});

describe('SSRF guard: DNS rebinding (one lookup, connection pinned to the checked address)', () => {
  let listener: Server;
  let port: number;
  const seen: { host?: string; path?: string }[] = [];
  beforeAll(async () => {
    listener = createServer((req, res) => { seen.push({ host: req.headers.host, path: req.url }); res.end('ok'); });
    await new Promise<void>((r) => listener.listen(0, '127.0.0.1', r));
    port = (listener.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((r) => listener.close(() => r())));

  const delivery = (url: string) => ({ id: 'whd_1', url, secret: 'whsec_x', event: 'webhook.test', body: '{}' });

  it('a name answering public then 127.0.0.1 is resolved once and the loopback listener is never reached', async () => {
    // 8.8.8.8 passes the guard (and is not reachable from a test sandbox in 300 ms); the second answer is the listener.
    const answers = [['8.8.8.8'], ['127.0.0.1']];
    let lookups = 0;
    const resolve = async () => answers[Math.min(lookups++, 1)];
    const policy: TargetPolicy = { allowInsecure: true, send: pinnedSend, resolve };
    const before = seen.length;
    // A platform fetch resolves the name again, through the same (rebinding) resolver.
    const resolvingFetch = (async (input: URL, init: RequestInit) => {
      const [address] = await resolve();
      return fetch(`http://${address}:${input.port}${input.pathname}`, init);
    }) as unknown as typeof fetch;
    await attemptDelivery(delivery(`http://rebind.test:${port}/hook`), policy, resolvingFetch, Date.now(), 300);
    expect(lookups).toBe(1);
    expect(seen.length).toBe(before);
  });

  it('the pinned request reaches the checked address with the URL host name as Host (no DNS for the name)', async () => {
    const before = seen.length;
    const response = await pinnedSend(new URL(`http://hooks.example.invalid:${port}/in?x=1`), ['127.0.0.1'], { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}', signal: AbortSignal.timeout(2000) });
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('ok');
    expect(seen.slice(before)).toEqual([{ host: `hooks.example.invalid:${port}`, path: '/in?x=1' }]);
  });

  it('literal IPv6 forms of 127.0.0.1 never reach the local listener', async () => {
    const before = seen.length;
    for (const form of v6Forms(127, 0, 0, 1)) {
      const result = await attemptDelivery(delivery(`http://[${form}]:${port}/hook`), strict, fetch, Date.now(), 500);
      expect(result, form).toMatchObject({ outcome: 'failed', error: expect.stringContaining('target refused') });
    }
    expect(seen.length).toBe(before);
  });
});
