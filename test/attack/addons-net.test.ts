/**
 * Attacks on the network edges of the add-ons (issue #29): the SSRF guard of outbound webhooks —
 * every IPv4-in-IPv6 form of an internal address (literal and randomized with fast-check, logged
 * seed), IPv4 spellings, and DNS rebinding (a name that resolves to a public address for the check
 * and to loopback afterwards: resolved once, the request pinned to the checked address, a local
 * listener on 127.0.0.1 never reached). Then one compiled helpdesk with every add-on, the device
 * authorization grant and the OAuth provider, served on Node (QUICKBACK_DEV=1) and as a Worker
 * under workerd (D1, R2), each over real HTTP: webhook endpoints naming internal literals are 400
 * (Workers have no DNS API, so rebinding does not apply there); object keys with dot segments in
 * any encoding sent raw (Node: 400 before anything resolves them; Workers: the URL parser resolves
 * `..`, `.`, `%2e%2e`… first, so the key stays the caller's own, and what reaches the app is 400;
 * fast-check over the encodings); the download's own sandbox CSP; device user-code guessing
 * throttled (429) per client — the socket's peer on Node (a sent `cf-connecting-ip` is ignored),
 * `cf-connecting-ip` on Workers (counts per isolate; one isolate serves these tests); and a
 * cross-client OAuth revoke refused (RFC 7009 §2.1) while the owner's revoke works.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileAndMigrate } from '../helpers/target.js';
import { addonsProject } from '../helpers/addons.js';
import { createCaller, type ApiResponse } from '../helpers/client.js';
import { createOrg, signUpAll, type User } from '../helpers/orgs.js';
import { startServer } from '../helpers/server.js';
import { CLOUDFLARE, startWorker } from '../helpers/worker.js';
import { compile } from '../../src/compiler/index.js';
import { DEVICE_ATTEMPTS } from '../../src/runtime/auth/device-throttle.js';
import { dotSegment, objectKey } from '../../src/runtime/addons/files/object-keys.js';
import { attemptDelivery } from '../../src/runtime/addons/webhooks/webhook-delivery.js';
import { pinnedSend } from '../../src/runtime/addons/webhooks/webhook-pinned.js';
import { checkTarget, type TargetPolicy } from '../../src/runtime/addons/webhooks/webhook-targets.js';

const SEED = 20261124; // the attack suites' seed (world.ts), logged with each total
const hex = (n: number) => n.toString(16);
const v6Forms = (a: number, b: number, c: number, d: number): string[] => {
  const hi = hex((a << 8) | b), lo = hex((c << 8) | d), dotted = `${a}.${b}.${c}.${d}`;
  const thi = hex(((a << 8) | b) ^ 0xffff), tlo = hex(((c << 8) | d) ^ 0xffff);
  return [
    `::${dotted}`,
    `::${hi}:${lo}`,
    `0:0:0:0:0:0:${dotted}`, // ::/96 IPv4-compatible
    `::ffff:${dotted}`,
    `::ffff:${hi}:${lo}`,
    `0:0:0:0:0:FFFF:${hi}:${lo}`, // ::ffff:0:0/96 mapped
    `::ffff:0:${dotted}`,
    `::ffff:0:${hi}:${lo}`, // ::ffff:0:0:0/96 translated
    `64:ff9b::${dotted}`,
    `64:ff9b::${hi}:${lo}`,
    `0064:ff9b:0:0:0:0:${hi}:${lo}`, // NAT64
    `2002:${hi}:${lo}::`,
    `2002:${hi}:${lo}:1:2:3:4:5`, // 6to4
    `2001:0:${hi}:${lo}::f7f7:f7f7`,
    `2001:0:808:808::${thi}:${tlo}`, // Teredo: the server (client 8.8.8.8), then the obfuscated client (server 8.8.8.8)
  ];
};
const INTERNAL: [number, number, number, number][] = [
  [127, 0, 0, 1],
  [10, 1, 2, 3],
  [169, 254, 169, 254],
  [192, 168, 0, 1],
  [172, 16, 5, 4],
  [100, 64, 0, 9],
  [0, 0, 0, 0],
];
const strict: TargetPolicy = {
  allowInsecure: true,
  resolve: async () => {
    throw new Error('no DNS in this test');
  },
};

describe('SSRF guard: internal IPv4 inside IPv6, and IPv4 spellings', () => {
  it.each(INTERNAL.flatMap((ip) => v6Forms(...ip)))('refuses http://[%s]/', async (form) => {
    expect(await checkTarget(`http://[${form}]/hook`, strict)).toMatchObject({ ok: false });
  });

  it.each([
    'http://[::127.0.0.1]/',
    'http://[::ffff:0:127.0.0.1]/',
    'http://2130706433/',
    'http://0x7f.1/',
    'http://127.1/',
    'http://0177.0.0.1/',
    'http://0x7f000001/',
    'http://[::]/',
    'http://[64:ff9b:1::a00:1]/',
    'http://[fec0::1]/',
  ])('refuses %s', async (url) => {
    expect(await checkTarget(url, strict)).toMatchObject({ ok: false });
  });

  it('still allows the same forms of a public address (8.8.8.8 in each)', async () => {
    for (const form of v6Forms(8, 8, 8, 8))
      expect(await checkTarget(`http://[${form}]/hook`, strict), form).toMatchObject({ ok: true });
  });

  it('fast-check: a random internal IPv4 in a random IPv6 form is always refused', async () => {
    const octet = fc.integer({ min: 0, max: 255 });
    const internal = fc.oneof(
      fc.tuple(fc.constant(127), octet, octet, octet),
      fc.tuple(fc.constant(10), octet, octet, octet),
      fc.tuple(fc.constant(192), fc.constant(168), octet, octet),
      fc.tuple(fc.constant(172), fc.integer({ min: 16, max: 31 }), octet, octet),
      fc.tuple(fc.constant(169), fc.constant(254), octet, octet),
      fc.tuple(fc.constant(0), octet, octet, octet),
    );
    let runs = 0;
    const accepted: string[] = [];
    await fc.assert(
      fc.asyncProperty(internal, fc.nat(14), async (ip, which) => {
        const form = v6Forms(ip[0], ip[1], ip[2], ip[3])[which];
        runs++;
        if ((await checkTarget(`https://[${form}]/`, strict)).ok) accepted.push(form);
      }),
      { numRuns: 500, seed: SEED },
    );
    console.log(
      `[attack] ssrf ipv6 forms: ${runs} attempts (seed ${SEED}), ${accepted.length} internal addresses accepted ${
        accepted.slice(0, 5).join(' ')
      }`,
    );
    expect(accepted).toEqual([]);
  });
});

describe('SSRF guard: DNS rebinding (one lookup, connection pinned to the checked address)', () => {
  let listener: Server;
  let port: number;
  const seen: { host?: string; path?: string }[] = [];
  beforeAll(async () => {
    listener = createServer((req, res) => {
      seen.push({ host: req.headers.host, path: req.url });
      res.end('ok');
    });
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
    const response = await pinnedSend(new URL(`http://hooks.example.invalid:${port}/in?x=1`), ['127.0.0.1'], {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
      signal: AbortSignal.timeout(2000),
    });
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('ok');
    expect(seen.slice(before)).toEqual([{ host: `hooks.example.invalid:${port}`, path: '/in?x=1' }]);
  });

  it('over https the pinned connection names the host (SNI), so certificates are checked against the name', async () => {
    const names: string[] = [];
    const tls = createTlsServer({
      SNICallback: (name, done) => {
        names.push(name);
        done(new Error('no certificate in this test'));
      },
    });
    await new Promise<void>((r) => tls.listen(0, '127.0.0.1', r));
    const tlsPort = (tls.address() as AddressInfo).port;
    const sent = pinnedSend(new URL(`https://hooks.example.invalid:${tlsPort}/in`), ['127.0.0.1'], {
      method: 'POST',
      headers: {},
      body: '{}',
      signal: AbortSignal.timeout(2000),
    });
    await expect(sent).rejects.toThrow();
    await new Promise<void>((r) => tls.close(() => r()));
    expect(names).toEqual(['hooks.example.invalid']);
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

const ACCOUNT = 'http://localhost:5173';
const REDIRECT_URI = 'http://127.0.0.1:9999/callback';
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };
const PLUGINS: [string, string][] = [
  [
    'defineAuth("better-auth", {',
    'defineAuth("better-auth", {\n      plugins: { deviceAuthorization: { interval: "1s" }, oauthProvider: { scopes: ["openid", "profile", "email", "offline_access"] } },',
  ],
];

/** Dot segments in the spellings a client can send: plain, percent-encoded in either case, mixed, double-encoded. */
const DOTS = ['..', '.', '%2e%2e', '%2E%2E', '.%2e', '%2e.', '%2E', '%2e', '%252e%252e', '%252E', '.%252e'];

interface NetTarget {
  base: string;
  /** Workers: the client is `cf-connecting-ip` (miniflare keeps a client's value, as the edge would set it). */
  workers: boolean;
  /** Every key in the bucket (R2 on Workers). */
  storedKeys?(): Promise<string[]>;
  stop(): Promise<void>;
}

const targets: [string, (label: string) => Promise<NetTarget>][] = [
  ['node (SQLite)', async (label) => {
    const root = addonsProject(label, PLUGINS);
    await compileAndMigrate(root, 'better-sqlite3');
    const server = await startServer(root, 'node', true, { env: { ACCOUNT_URL: ACCOUNT } });
    return { base: server.baseURL, workers: false, stop: server.stop };
  }],
  ['cloudflare (workerd + D1, R2)', async (label) => {
    const root = addonsProject(label, [...PLUGINS, ...CLOUDFLARE]);
    await compile({ cwd: root });
    const w = await startWorker(root, { bindings: { ACCOUNT_URL: ACCOUNT } });
    const bucket = await w.mf.getR2Bucket('FILES');
    return {
      base: w.baseURL,
      workers: true,
      storedKeys: async () => (await bucket.list()).objects.map((o) => o.key),
      stop: () => w.mf.dispose(),
    };
  }],
];

/** Literal internal targets of a webhook endpoint: checkTarget refuses each before anything is sent (no DNS: literals only). */
const INTERNAL_URLS = [
  'http://[::127.0.0.1]/',
  'http://[::ffff:0:127.0.0.1]/',
  'http://[::ffff:127.0.0.1]/',
  'http://[64:ff9b::7f00:1]/',
  'http://[2002:7f00:1::]/',
  'http://[2001:0:7f00:1::f7f7:f7f7]/',
  'http://[2001:0:808:808::80ff:fffe]/',
  'http://[::a9fe:a9fe]/latest/meta-data',
  'http://127.1/',
  'http://2130706433/',
  'http://0x7f.1/',
  'http://0177.0.0.1/',
  'http://[::]/',
  'http://[fec0::1]/',
  'http://169.254.169.254/',
  'http://10.0.0.1/',
];

describe('fast-check: object keys', () => {
  it('a key with a dot segment in a random encoding is always refused by objectKey', () => {
    const name = fc.stringMatching(/^[a-z0-9_-]{1,8}$/);
    let runs = 0;
    const accepted: string[] = [];
    fc.assert(
      fc.property(
        fc.array(name, { maxLength: 3 }),
        fc.constantFrom(...DOTS),
        fc.array(name, { minLength: 1, maxLength: 3 }),
        (before, dots, after) => {
          const key = [...before, dots, ...after].join('/');
          runs++;
          expect(dotSegment(dots)).toBe(true);
          try {
            objectKey(key);
            accepted.push(key);
          } catch {
            /* refused */
          }
        },
      ),
      { numRuns: 300, seed: SEED },
    );
    console.log(`[attack] file key encodings: ${runs} keys (seed ${SEED}), ${accepted.length} accepted`);
    expect(accepted).toEqual([]);
  });
});

describe.each(targets)('the add-ons over real HTTP on %s', (name, start) => {
  let t: NetTarget;
  let ada: User, bob: User, eve: User;
  let orgA: string, orgE: string;
  const cookie = (user: User) => [...user.jar].map(([k, v]) => `${k}=${v}`).join('; ');
  /** A request whose target is sent byte for byte (fetch and URL would resolve the dot segments first). */
  const raw = (user: User, method: string, target: string, body?: string) =>
    new Promise<{ status: number; body: string; headers: Record<string, unknown> }>((resolve, reject) => {
      const base = new URL(t.base);
      // A fresh connection each time (agent: false): workerd may close a kept-alive one between requests.
      const req = httpRequest({
        agent: false,
        host: base.hostname,
        port: base.port,
        method,
        path: target,
        headers: { cookie: cookie(user), origin: t.base, ...(body ? { 'content-type': 'text/plain' } : {}) },
      }, (res) => {
        let text = '';
        res.on('data', (d) => {
          text += d;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text, headers: res.headers }));
      });
      req.on('error', reject);
      req.end(body);
    });

  beforeAll(async () => {
    t = await start(`addons-net-${name.split(/\W/)[0]}`);
    // One request first: on Workers, concurrent first requests race to seed the OAuth resource row and
    // the loser gets a 409 (Better Auth's seed does not see drizzle's wrapped UNIQUE error as one).
    [ada] = await signUpAll((r) => fetch(r), t.base, ['Ada']);
    [bob, eve] = await signUpAll((r) => fetch(r), t.base, ['Bob', 'Eve']);
    orgA = await createOrg(ada, 'Net');
    orgE = await createOrg(eve, 'Other');
  }, 120_000);
  afterAll(() => t?.stop());

  it('webhook endpoints naming an internal address in any literal form are 400; a public one is created', async () => {
    const events = (await ada.api('GET', '/webhooks/v1/events')).body.events as string[];
    expect(events.length).toBeGreaterThan(0);
    const accepted: string[] = [];
    for (const url of INTERNAL_URLS) {
      const res = await ada.api('POST', '/webhooks/v1/endpoints', { url, events });
      if (res.status !== 400 || Object.keys(res.body.details?.fields ?? {}).join() !== 'url')
        accepted.push(`${url} ${res.status} ${JSON.stringify(res.body)}`);
    }
    console.log(
      `[attack] ssrf over HTTP on ${name}: ${
        INTERNAL_URLS.length - accepted.length
      }/${INTERNAL_URLS.length} internal targets refused with 400 ${accepted.join(', ')}`,
    );
    expect(accepted).toEqual([]);
    // 8.8.8.8 in NAT64 form: the same literal path, public, so the guard is not refusing everything.
    expect((await ada.api('POST', '/webhooks/v1/endpoints', { url: 'http://[64:ff9b::808:808]/hook', events })).status)
      .toBe(201);
  });

  it('object keys with dot segments in any encoding, sent raw: 400 when the app sees them; resolved by the URL parser, never another scope and never a 5xx from the app', async () => {
    expect((await raw(ada, 'PUT', '/storage/v1/object/docs/a.txt', 'secret-a')).status).toBe(201);
    expect((await raw(eve, 'PUT', '/storage/v1/object/docs/a.txt', 'secret-e')).status).toBe(201);
    let refused = 0, resolved = 0;
    const wrong: string[] = [];
    for (const dots of DOTS) {
      for (const target of [
        `/storage/v1/object/docs/${dots}/a.txt`,
        `/storage/v1/object/x/${dots}/docs/a.txt`,
        `/storage/v1/object/${dots}/docs/a.txt`,
      ]) {
        const get = await raw(ada, 'GET', target);
        const put = await raw(ada, 'PUT', target, 'overwrite');
        const code = (text: string) => {
          try {
            return JSON.parse(text).code;
          } catch {
            return undefined;
          }
        };
        if (get.status === 400 && put.status === 400 && code(get.body) === 'VALIDATION_FAILED') {
          refused++;
          continue;
        }
        // Workers: the WHATWG URL parser resolves `..`, `.`, `%2e%2e`, `.%2e`… before the app; what the app gets must be a plain key of the caller's.
        const parserResolves = new URL(target, t.base).pathname !== target;
        if (
          t.workers && parserResolves && [200, 404].includes(get.status) && [201, 404].includes(put.status)
          && get.body !== 'secret-e'
        ) {
          resolved++;
          continue;
        }
        wrong.push(`${target}: GET ${get.status} PUT ${put.status} ${get.body.slice(0, 80)}`);
      }
    }
    console.log(
      `[attack] file keys with dot segments on ${name}: ${refused}/${
        DOTS.length * 3
      } refused with 400, ${resolved} resolved by the URL parser before the app ${wrong.join(', ')}`,
    );
    expect(wrong).toEqual([]);
    if (!t.workers) expect(refused).toBe(DOTS.length * 3);
    // A dot segment before /object/ that resolves into it, an absolute-form target and backslashes: 400 on Node.
    // Workers: the first resolves to the caller's own docs/a.txt; the absolute form is refused by workerd's own
    // HTTP server (kj URL parser, a 500 before the Worker runs; the Cloudflare edge fronts it when deployed).
    for (const target of [
      '/storage/v1/x/../object/docs/a.txt',
      `${t.base}/storage/v1/object/docs/%2e%2e/docs/a.txt`,
      '/storage/v1/object/docs\\..\\docs/a.txt',
    ]) {
      const res = await raw(ada, 'GET', target);
      console.log(`[attack] ${name} GET ${target}: ${res.status}`);
      if (!t.workers) expect(res.status, target).toBe(400);
      else if (target.startsWith('http'))
        expect([res.status, res.body.includes('secret')], target).toEqual([500, false]);
      else expect([[200, 400, 404].includes(res.status), res.body === 'secret-e'], target).toEqual([true, false]);
    }
    const kept = await raw(ada, 'GET', '/storage/v1/object/docs/a.txt');
    // Workers: a resolved PUT (x/../docs/a.txt) wrote the caller's own docs/a.txt; Node stored nothing in its place.
    expect([kept.status, kept.body]).toEqual([200, t.workers ? 'overwrite' : 'secret-a']);
    expect((await raw(eve, 'GET', '/storage/v1/object/docs/a.txt')).body).toBe('secret-e');
    expect((await raw(ada, 'GET', '/storage/v1/object/docs/..a/b.c.txt')).status).toBe(404); // dots inside a name are fine
    if (t.storedKeys) {
      const keys = await t.storedKeys();
      expect(keys.filter((k) => !k.startsWith(`org/${orgA}/`) && k !== `org/${orgE}/docs/a.txt`)).toEqual([]);
    }
  });

  it('a download keeps its own sandbox Content-Security-Policy', async () => {
    const res = await raw(ada, 'GET', '/storage/v1/object/docs/a.txt');
    expect(res.headers['content-security-policy']).toBe("default-src 'none'; sandbox");
    expect(res.headers['content-disposition']).toContain('attachment');
  });

  it(`device user codes: ${DEVICE_ATTEMPTS} wrong codes, then 429 (in development too); a right code is not counted`, async () => {
    // Node: a rotated cf-connecting-ip is the client's own header, not the peer, so it must not buy a new budget. Workers: the edge sets it.
    let n = 0;
    const from = (
      ip?: string,
    ) => (t.workers ? { 'cf-connecting-ip': ip ?? '203.0.113.7' } : { 'cf-connecting-ip': `198.51.100.${n++ % 250}` });
    const device = createCaller((r) => fetch(r), t.base);
    const code = await device.api('POST', '/auth/v1/device/code', { client_id: 'quickback-cli' });
    expect(code.status).toBe(200);
    expect((await bob.api('GET', `/auth/v1/device?user_code=${code.body.user_code}`, undefined, from())).status).toBe(
      200,
    );
    const statuses: number[] = [];
    for (let i = 0; i < DEVICE_ATTEMPTS + 5; i++)
      statuses.push(
        (await bob.api('GET', `/auth/v1/device?user_code=WRONG${String(i).padStart(3, '0')}`, undefined, from()))
          .status,
      );
    console.log(
      `[attack] device user-code guesses on ${name}: ${
        statuses.filter((s) => s === 429).length
      }/${statuses.length} throttled (429), first 429 at attempt ${statuses.indexOf(429) + 1}`,
    );
    expect(statuses.slice(0, DEVICE_ATTEMPTS).every((s) => s === 400)).toBe(true);
    expect(statuses.slice(DEVICE_ATTEMPTS)).toEqual(new Array(5).fill(429));
    const approve = await bob.api('POST', '/auth/v1/device/approve', { userCode: 'WRONG999' }, from());
    expect([approve.status, approve.body.code]).toEqual([429, 'AUTH_RATE_LIMITED']);
    // Workers: another address has its own budget (counts are per isolate; one isolate serves these tests).
    if (t.workers)
      expect((await bob.api('GET', '/auth/v1/device?user_code=WRONG998', undefined, from('203.0.113.8'))).status).toBe(
        400,
      );
  });

  it("OAuth revoke: client B cannot revoke client A's tokens (400 unauthorized_client, still valid); A can", async () => {
    const anyone = createCaller((r) => fetch(r), t.base);
    const register = async (name: string) =>
      (await anyone.api('POST', '/auth/v1/oauth2/register', {
        client_name: name,
        redirect_uris: [REDIRECT_URI],
        application_type: 'native',
        token_endpoint_auth_method: 'none',
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        scope: 'openid profile email offline_access',
      })).body.client_id as string;
    const [a, b] = [await register('Client A'), await register('Client B')];
    const verifier = randomBytes(32).toString('base64url');
    const authorize = `/auth/v1/oauth2/authorize?${new URLSearchParams({
      response_type: 'code',
      client_id: a,
      redirect_uri: REDIRECT_URI,
      scope: 'openid profile email offline_access',
      state: 's',
      code_challenge: createHash('sha256').update(verifier).digest('base64url'),
      code_challenge_method: 'S256',
    })}`;
    const next = (res: ApiResponse) => new URL(res.headers.get('location') ?? res.body.url);
    const consentPage = next(await ada.api('GET', authorize));
    const callback = next(
      await ada.api('POST', '/auth/v1/oauth2/consent', { accept: true, oauth_query: consentPage.search.slice(1) }),
    );
    const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
    const token = await anyone.api(
      'POST',
      '/auth/v1/oauth2/token',
      form({
        grant_type: 'authorization_code',
        code: callback.searchParams.get('code')!,
        code_verifier: verifier,
        redirect_uri: REDIRECT_URI,
        client_id: a,
      }),
      FORM,
    );
    expect(token.status).toBe(200);
    const revoke = (client: string, value: string, hint: string) =>
      anyone.api(
        'POST',
        '/auth/v1/oauth2/revoke',
        form({ token: value, token_type_hint: hint, client_id: client }),
        FORM,
      );
    const refresh = (value: string) =>
      anyone.api(
        'POST',
        '/auth/v1/oauth2/token',
        form({ grant_type: 'refresh_token', refresh_token: value, client_id: a }),
        FORM,
      );

    // Without a resource the access token is opaque (stored), so it can be revoked: not by B.
    expect(token.body.access_token.split('.').length).not.toBe(3);
    const accessByB = await revoke(b, token.body.access_token, 'access_token');
    expect([accessByB.status, accessByB.body.error]).toEqual([400, 'unauthorized_client']);
    expect(
      (await anyone.api('GET', '/auth/v1/oauth2/userinfo', undefined, {
        authorization: `Bearer ${token.body.access_token}`,
      })).status,
    ).toBe(200);
    const byB = await revoke(b, token.body.refresh_token, 'refresh_token');
    console.log(`[attack] cross-client revoke of a refresh token: ${byB.status} ${JSON.stringify(byB.body)}`);
    expect([byB.status, byB.body.error]).toEqual([400, 'unauthorized_client']);
    const refreshed = await refresh(token.body.refresh_token);
    expect(refreshed.status).toBe(200); // B's call revoked nothing
    const noHint = await anyone.api(
      'POST',
      '/auth/v1/oauth2/revoke',
      form({ token: refreshed.body.refresh_token, client_id: b }),
      FORM,
    );
    expect([noHint.status, noHint.body.error]).toEqual([400, 'unauthorized_client']);

    const byA = await revoke(a, refreshed.body.refresh_token, 'refresh_token');
    expect(byA.status).toBe(200);
    expect((await refresh(refreshed.body.refresh_token)).status).toBe(400); // revoked
    const invalid = await revoke(b, 'not-a-token', 'refresh_token');
    expect([invalid.status, invalid.body]).toEqual([200, null]); // RFC 7009 §2.2: an invalid token is not an error
  });
});
