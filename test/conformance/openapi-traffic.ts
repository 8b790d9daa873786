/**
 * What the OpenAPI response suite sends to the rich helpdesk (openapi-fixture.ts): `traffic` walks
 * every kind of route to both its answers and its errors; `authProbes` sends each credential the
 * document declares exactly as its security scheme says (the header, the query parameter or the
 * cookie it names, or `Authorization: Bearer`) to operations that list it and ones that do not.
 */
import { expect } from 'vitest';
import { createCaller } from '../helpers/client.js';
import type { User } from '../helpers/orgs.js';
import type { RichHelpdesk } from './openapi-fixture.js';

const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 73, 72, 68, 82]);

/** A request with the user's cookie and a raw body (files). */
async function raw(
  t: RichHelpdesk,
  user: User,
  method: string,
  path: string,
  body?: BodyInit,
  headers: Record<string, string> = {},
) {
  const cookie = [...user.jar].map(([k, v]) => `${k}=${v}`).join('; ');
  return t.fetch(
    new Request(new URL(path, t.baseURL), { method, body, headers: { ...headers, cookie, origin: t.baseURL } }),
  );
}

export async function traffic(
  { t, alice, carol, receiverUrl }: { t: RichHelpdesk; alice: User; carol: User; receiverUrl: string },
) {
  const anon = createCaller(t.fetch, t.baseURL);
  const status = async (expected: number, call: Promise<{ status: number; body: any }>) => {
    const res = await call;
    expect(res.status, JSON.stringify(res.body)).toBe(expected);
    return res.body;
  };
  // CRUD and lists
  const ticket = await status(
    201,
    alice.api('POST', '/api/v1/tickets', { title: 'Printer on fire', estimate: 3, customerEmail: 'jo@example.com' }),
  );
  const one = await alice.api('GET', `/api/v1/tickets/${ticket.id}`);
  await status(
    304,
    alice.api('GET', `/api/v1/tickets/${ticket.id}`, undefined, { 'if-none-match': one.headers.get('etag')! }),
  );
  await status(200, alice.api('PATCH', `/api/v1/tickets/${ticket.id}`, { estimate: 5, assigneeId: carol.userId }));
  await status(200, carol.api('GET', '/api/v1/tickets?total=true&priority.in=low,normal&sort=-createdAt'));
  await status(200, alice.api('GET', '/api/v1/tickets?fields=title,priority&limit=2&search=printer'));
  await status(400, alice.api('POST', '/api/v1/tickets', { title: 'Loud', priority: 'urgent' }));
  await status(400, alice.api('POST', '/api/v1/tickets', { estimate: 'many' }));
  await status(400, alice.api('POST', '/api/v1/tickets', '{"title":'));
  await status(415, alice.api('POST', '/api/v1/tickets', 'title=x', { 'content-type': 'text/plain' }));
  await status(413, alice.api('POST', '/api/v1/tickets', { title: 'x'.repeat(1_100_000) }));
  await status(401, anon.api('GET', '/api/v1/tickets'));
  await status(403, carol.api('DELETE', `/api/v1/tickets/${ticket.id}`));
  await status(403, carol.api('GET', '/api/v1/tickets/tkt_missing'));
  await status(403, carol.api('GET', '/api/v1/tickets?organizationId=org_elsewhere'));
  const doomed = await status(201, alice.api('POST', '/api/v1/tickets', { title: 'Duplicate' }));
  await status(200, alice.api('DELETE', `/api/v1/tickets/${doomed.id}`));
  // Views
  await status(201, carol.api('POST', '/api/v1/ticket-comments', { ticketId: ticket.id, body: 'On it' }));
  await status(200, carol.api('GET', `/api/v1/ticket-comments?ticketId=${ticket.id}`));
  await status(200, carol.api('GET', '/api/v1/ticket-comments/views/thread'));
  await status(403, carol.api('GET', '/api/v1/ticket-comments/views/moderation'));
  await status(200, alice.api('GET', '/api/v1/ticket-comments?view=moderation'));
  await status(400, alice.api('GET', '/api/v1/ticket-comments?view=nope'));
  // Batch: all created, partial, update, the limits, delete
  await status(201, alice.api('POST', '/api/v1/notes/batch', { records: [{ body: 'one' }, { body: 'two' }] }));
  const partial = await status(
    207,
    alice.api('POST', '/api/v1/notes/batch', { records: [{ body: 'three' }, { body: 'four', pinned: 'no' }] }),
  );
  const noteId = partial.success[0].id;
  await status(200, alice.api('PATCH', '/api/v1/notes/batch', { records: [{ id: noteId, pinned: true }] }));
  await status(400, alice.api('PATCH', '/api/v1/notes/batch', { records: [{ pinned: true }] }));
  await status(
    400,
    alice.api('POST', '/api/v1/notes/batch', { records: Array.from({ length: 101 }, (_, i) => ({ body: `n${i}` })) }),
  );
  await status(207, alice.api('DELETE', '/api/v1/notes/batch', { ids: [noteId, 'note_missing'] }));
  await status(200, alice.api('GET', '/api/v1/notes'));
  // Actions: declared outputs, a file, input errors, state errors, ActionErrors of any 4xx, 304 on GET
  await status(200, alice.api('POST', `/api/v1/tickets/${ticket.id}/escalate`, { reason: 'Customer is furious' }));
  await status(409, alice.api('POST', `/api/v1/tickets/${ticket.id}/escalate`, { reason: 'Once more' }));
  await status(400, alice.api('POST', `/api/v1/tickets/${ticket.id}/escalate`, { reason: 'x' }));
  await status(403, carol.api('POST', `/api/v1/tickets/${ticket.id}/escalate`, { reason: 'Please' }));
  const count = await carol.api('GET', '/api/v1/tickets/open-count');
  await status(
    304,
    carol.api('GET', '/api/v1/tickets/open-count', undefined, { 'if-none-match': count.headers.get('etag')! }),
  );
  await status(400, carol.api('GET', `/api/v1/tickets/open-count?assigneeId=${'x'.repeat(300)}`));
  const csv = await alice.api('GET', '/api/v1/tickets/export');
  expect(csv.status).toBe(200);
  await status(403, carol.api('GET', '/api/v1/tickets/export'));
  await status(200, alice.api('POST', '/api/v1/maintenance/purge-deleted-tickets', { olderThanDays: 0 }));
  await status(403, carol.api('POST', '/api/v1/maintenance/purge-deleted-tickets', { olderThanDays: 0 }));
  for (const code of [400, 402, 404, 409, 422])
    await status(code, alice.api('POST', '/api/v1/probes/refuse', { status: code }));
  // Platform routes, and the catalogue anyone may read
  await status(200, alice.api('POST', '/api/v1/token'));
  await status(401, anon.api('POST', '/api/v1/token'));
  await status(200, anon.api('GET', '/api/v1/system/email-status'));
  await status(200, alice.api('GET', '/api/v1/schema'));
  await status(401, anon.api('GET', '/api/v1/schema'));
  await status(201, alice.api('POST', '/api/v1/catalogue', { name: 'Widget' }));
  await status(200, anon.api('GET', '/api/v1/catalogue'));
  // Files: a PNG and a text file, 304, 404, 415, 413, delete
  expect((await raw(t, alice, 'PUT', '/storage/v1/object/logo.png', PNG, { 'content-type': 'image/png' })).status).toBe(
    201,
  );
  const png = await raw(t, alice, 'GET', '/storage/v1/object/logo.png');
  expect(
    (await raw(t, alice, 'GET', '/storage/v1/object/logo.png', undefined, {
      'if-none-match': png.headers.get('etag')!,
    })).status,
  ).toBe(304);
  expect(
    (await raw(t, alice, 'POST', '/storage/v1/object/notes.txt', 'hello', { 'content-type': 'text/plain' })).status,
  ).toBe(201);
  expect((await raw(t, alice, 'GET', '/storage/v1/object/notes.txt')).status).toBe(200);
  expect(
    (await raw(t, alice, 'PUT', '/storage/v1/object/doc.pdf', '%PDF-1.7', { 'content-type': 'application/pdf' }))
      .status,
  ).toBe(415);
  expect(
    (await raw(t, alice, 'PUT', '/storage/v1/object/big.txt', 'x'.repeat(4096), { 'content-type': 'text/plain' }))
      .status,
  ).toBe(413);
  expect((await raw(t, alice, 'DELETE', '/storage/v1/object/notes.txt')).status).toBe(204);
  expect((await raw(t, alice, 'GET', '/storage/v1/object/notes.txt')).status).toBe(404);
  // Realtime tickets, webhooks (management, a test delivery, inbound events)
  await status(200, carol.api('POST', '/broadcast/v1/ws-ticket'));
  await status(401, anon.api('POST', '/broadcast/v1/ws-ticket'));
  const { events } = await status(200, alice.api('GET', '/webhooks/v1/events'));
  const endpoint = await status(
    201,
    alice.api('POST', '/webhooks/v1/endpoints', { url: receiverUrl, events: events.slice(0, 1), description: 'CI' }),
  );
  await status(200, alice.api('GET', '/webhooks/v1/endpoints'));
  await status(200, alice.api('PATCH', `/webhooks/v1/endpoints/${endpoint.id}`, { description: null }));
  await status(202, alice.api('POST', `/webhooks/v1/endpoints/${endpoint.id}/test`));
  await status(200, alice.api('GET', `/webhooks/v1/endpoints/${endpoint.id}/deliveries`));
  await status(200, alice.api('POST', `/webhooks/v1/endpoints/${endpoint.id}/rotate-secret`));
  await status(403, carol.api('GET', '/webhooks/v1/endpoints'));
  await status(200, alice.api('GET', '/webhooks/v1/inbound/events'));
  await status(200, alice.api('DELETE', `/webhooks/v1/endpoints/${endpoint.id}`));
  await status(404, alice.api('GET', `/webhooks/v1/endpoints/${endpoint.id}`));
  // An API key over Better Auth's per-key limit (10 a day by default): 429 AUTH_RATE_LIMITED
  const { key } = await status(200, alice.api('POST', '/auth/v1/api-key/create', { name: 'busy' }));
  for (let i = 0; i < 10; i++) await status(400, anon.api('GET', '/api/v1/tickets', undefined, { 'x-api-key': key }));
  await status(429, anon.api('GET', '/api/v1/tickets', undefined, { 'x-api-key': key }));
  return { csv: csv.headers.get('content-type'), png: png.headers.get('content-type') };
}

export interface ProbeResult {
  probe: string;
  scheme: string;
  listed: boolean;
  accepted: boolean;
  status: number;
}

/** Every (operation, scheme) pair, and each operation without credentials (`none`): accepted means anything but 401. */
export async function authProbes(
  { t, alice, org, doc }: { t: RichHelpdesk; alice: User; org: string; doc: Record<string, any> },
): Promise<ProbeResult[]> {
  const schemes: Record<string, { type: string; in?: string; name?: string; scheme?: string }> =
    doc.components.securitySchemes;
  const signIn = await createCaller(t.fetch, t.baseURL).api('POST', '/auth/v1/sign-in/email', {
    email: alice.email,
    password: 'correct-horse-battery',
  });
  const credentials: Record<string, () => Promise<string>> = {
    apiKeyHeader: async () =>
      (await alice.api('POST', '/auth/v1/api-key/create', { name: 'probe', metadata: { organizationId: org } })).body
        .key,
    bearerToken: async () => (await alice.api('POST', '/api/v1/token')).body.token,
    sessionToken: async () => signIn.headers.get('set-auth-token')!,
    sessionCookie: async () => alice.jar.get(schemes.sessionCookie.name!)!,
  };
  credentials.apiKeyQuery = credentials.apiKeyHeader;
  const probes: [string, string, string, unknown?][] = [
    ['GET', '/api/v1/tickets', '/api/v1/tickets'],
    ['POST', '/api/v1/tickets', '/api/v1/tickets', { title: 'Through a scheme' }],
    ['GET', '/api/v1/tickets/open-count', '/api/v1/tickets/open-count'],
    ['GET', '/api/v1/schema', '/api/v1/schema'],
    ['POST', '/api/v1/token', '/api/v1/token'],
    ['GET', '/api/v1/catalogue', '/api/v1/catalogue'],
    ['GET', '/api/v1/system/email-status', '/api/v1/system/email-status'],
    ['GET', '/openapi.json', '/openapi.json'],
    ['POST', '/broadcast/v1/ws-ticket', '/broadcast/v1/ws-ticket'],
    ['GET', '/webhooks/v1/events', '/webhooks/v1/events'],
    ['GET', '/storage/v1/object/logo.png', '/storage/v1/object/{key}'],
  ];
  const results: ProbeResult[] = [];
  for (const [method, path, template, body] of probes) {
    const security: Record<string, unknown>[] = doc.paths[template][method.toLowerCase()].security;
    const anonymous = security.length === 0 || security.some((s) => Object.keys(s).length === 0);
    for (const scheme of [...Object.keys(schemes), 'none']) {
      const url = new URL(path, t.baseURL);
      const headers: Record<string, string> = {
        origin: t.baseURL,
        ...(body ? { 'content-type': 'application/json' } : {}),
      };
      const def = schemes[scheme];
      if (def) {
        const value = await credentials[scheme]();
        expect(value, scheme).toBeTruthy();
        if (def.type === 'http' && def.scheme === 'bearer') headers.authorization = `Bearer ${value}`;
        else if (def.in === 'header') headers[def.name!] = value;
        else if (def.in === 'query') url.searchParams.set(def.name!, value);
        else if (def.in === 'cookie') headers.cookie = `${def.name}=${value}`;
        else throw new Error(`unknown scheme ${scheme}`);
      }
      const res = await t.fetch(new Request(url, { method, headers, body: body ? JSON.stringify(body) : undefined }));
      await res.arrayBuffer();
      results.push({
        probe: `${method.toLowerCase()} ${path}`,
        scheme,
        listed: anonymous || security.some((s) => scheme in s),
        accepted: res.status !== 401,
        status: res.status,
      });
    }
  }
  return results;
}
