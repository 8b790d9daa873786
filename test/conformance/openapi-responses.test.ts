/**
 * Every response of the rich helpdesk (openapi-fixture.ts) checked against its own /openapi.json
 * with responses.testkit.ts: the operation by path template and method, the response by status
 * (or `4XX` / `default`), a Content-Type the response lists, the body against its schema. The
 * traffic covers CRUD, views, batch (201, 200, 207, 400), actions (declared outputs, the CSV file,
 * ActionErrors of any 4xx), the platform routes, files, realtime tickets, webhooks, and errors of
 * 400, 401, 403, 404, 409, 413, 415 and 429. Then each credential the document declares, sent as
 * its scheme says (header, query parameter, cookie, bearer), is accepted where an operation lists
 * it and refused (401) where it does not.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateDocument } from '../../src/emitters/openapi/openapi.testkit.js';
import { responseChecker } from '../../src/emitters/openapi/responses.testkit.js';
import { createCaller, signUp } from '../helpers/client.js';
import { addMember, createOrg, type User } from '../helpers/orgs.js';
import { startReceiver } from '../helpers/receiver.js';
import { richHelpdesk, type RichHelpdesk } from './openapi-fixture.js';
import { authProbes, traffic } from './openapi-traffic.js';

let t: RichHelpdesk;
let alice: User;
let carol: User;
let org: string;
let doc: Record<string, any>;
let receiver: Awaited<ReturnType<typeof startReceiver>>;

beforeAll(async () => {
  [t, receiver] = await Promise.all([richHelpdesk('openapi-responses'), startReceiver()]);
  [alice, carol] = await Promise.all([signUp(t.fetch, t.baseURL, 'Alice'), signUp(t.fetch, t.baseURL, 'Carol')]);
  org = await createOrg(alice, 'Acme');
  await addMember(alice, carol, org, 'member');
  t.makeAdmin(alice.userId);
  doc = (await createCaller(t.fetch, t.baseURL).api('GET', '/openapi.json')).body;
}, 120_000);
afterAll(async () => {
  await receiver?.close();
  await t?.close();
});

describe('OpenAPI: real responses against the document (rich helpdesk, in-process)', () => {
  it('serves a valid document that declares every way in', async () => {
    expect(await validateDocument(doc)).toEqual({ valid: true, errors: [] });
    expect(Object.keys(doc.components.securitySchemes)).toEqual([
      'apiKeyHeader',
      'apiKeyQuery',
      'bearerToken',
      'sessionToken',
      'sessionCookie',
    ]);
  });

  it('drives CRUD, views, batch, actions, files, realtime and webhooks, with errors of many statuses', async () => {
    const seen = await traffic({ t, alice, carol, receiverUrl: receiver.url });
    expect(seen.csv).toMatch(/^text\/csv/);
    expect(seen.png).toBe('image/png');
  });

  it('accepts each declared credential where the document lists it, and only there', async () => {
    const results = await authProbes({ t, alice, org, doc });
    const wrong = results.filter((r) => r.accepted !== r.listed).map((r) => `${r.probe} with ${r.scheme}: ${r.status}`);
    expect(wrong).toEqual([]);
    // The probes reach both sides: refusals (a token is only for a session) and acceptances of every scheme.
    expect(results.filter((r) => !r.listed).map((r) => `${r.probe} with ${r.scheme}`)).toEqual(
      expect.arrayContaining([
        'post /api/v1/token with bearerToken',
        'post /api/v1/token with apiKeyHeader',
        'get /api/v1/tickets with none',
      ]),
    );
    for (const scheme of Object.keys(doc.components.securitySchemes))
      expect(results.some((r) => r.scheme === scheme && r.listed && r.accepted && r.status < 300), scheme).toBe(true);
  });

  it('every recorded response is as documented', () => {
    const check = responseChecker(doc);
    const verdicts = t.exchanges.map((e) => ({ exchange: `${e.method} ${e.path} → ${e.status}`, ...check(e) }));
    const mismatches = verdicts.flatMap((v) => v.errors);
    expect(mismatches).toEqual([]);
    const statuses = new Set(t.exchanges.map((e) => e.status));
    for (const status of [200, 201, 202, 204, 207, 304, 400, 401, 402, 403, 404, 409, 413, 415, 422, 429])
      expect(statuses.has(status), String(status)).toBe(true);
    const operations = new Set(verdicts.map((v) => v.operation));
    const documented = Object.entries<Record<string, unknown>>(doc.paths).flatMap(([path, item]) =>
      Object.keys(item).map((m) => `${m} ${path}`)
    );
    const counts = new Map<string, number>();
    for (const v of verdicts) counts.set(v.response ?? '?', (counts.get(v.response ?? '?') ?? 0) + 1);
    const byKey = [...counts].map(([k, n]) => `${k}: ${n}`).join(', ');
    console.log(
      `[openapi] ${verdicts.length} responses validated (${byKey}); ${operations.size} of ${documented.length} documented operations seen; ${mismatches.length} mismatches`,
    );
    expect(verdicts.length).toBeGreaterThan(100);
  });

  it('the check fails where the document and the app disagree', () => {
    const broken = structuredClone(doc);
    broken.paths['/api/v1/tickets/export'].get.responses['200'].content = {
      'application/octet-stream': { schema: { type: 'string' } },
    };
    broken.paths['/api/v1/tickets/open-count'].get.responses['200'].content['application/json'].schema.properties.open =
      { type: 'string' };
    delete broken.paths['/api/v1/probes/refuse'].post.responses['4XX'];
    broken.paths['/api/v1/tickets/{id}'].get.responses['304'] = {
      description: 'Not modified',
      content: { 'application/json': { schema: {} } },
    };
    broken.components.schemas.Tickets.properties.title = { type: 'integer' };
    const check = responseChecker(broken);
    const errors = t.exchanges.flatMap((e) => check(e).errors);
    expect(errors).toEqual(expect.arrayContaining([
      'get /api/v1/tickets/export → 200: Content-Type text/csv; charset=utf-8 is not one of application/octet-stream',
      'get /api/v1/tickets/open-count → 200: /open must be string',
      'post /api/v1/probes/refuse → 402: /code must be equal to one of the allowed values',
      'get /api/v1/tickets/{id} → 304: Content-Type (none) is not one of application/json',
      'post /api/v1/tickets → 201: /title must be integer',
    ]));
  });
});
