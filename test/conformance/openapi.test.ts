/**
 * OpenAPI and the schema registry on the served helpdesk app (in-process): `/openapi.json` is
 * public and passes a real OpenAPI 3.1 validator; `/api/v1/schema` needs a session; every
 * documented operation is a real route and every undocumented method on a documented path is
 * refused by routing; real responses match the documented schemas.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { schemaChecker, validateDocument } from '../../src/emitters/openapi/openapi.testkit.js';
import { createCaller, signUp } from '../helpers/client.js';
import { createOrg, type User } from '../helpers/orgs.js';
import { copyFixture } from '../helpers/project.js';
import { inProcessTarget, type ConformanceTarget } from '../helpers/target.js';

const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;
/** A body for write operations: enough to get past routing, never a valid record. */
const BODIES: Record<string, unknown> = { post: {}, put: {}, patch: {}, delete: { ids: [] } };

describe('OpenAPI document and schema registry (helpdesk, in-process)', () => {
  let t: ConformanceTarget;
  let alice: User;
  let doc: Record<string, any>;

  beforeAll(async () => {
    t = await inProcessTarget(copyFixture('helpdesk', 'openapi-conf'), 'better-sqlite3');
    alice = await signUp(t.fetch, t.baseURL, 'Alice');
    await createOrg(alice, 'Acme');
  }, 120_000);
  afterAll(async () => t?.close());

  it('serves /openapi.json to anyone, valid per the OpenAPI 3.1 validator', async () => {
    const res = await createCaller(t.fetch, t.baseURL).api('GET', '/openapi.json');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    doc = res.body;
    expect(doc.info.title).toBe('helpdesk');
    expect(await validateDocument(doc)).toEqual({ valid: true, errors: [] });
  });

  it('serves the schema registry only to signed-in callers', async () => {
    const anonymous = await createCaller(t.fetch, t.baseURL).api('GET', '/api/v1/schema');
    expect(anonymous.status).toBe(401);
    expect(anonymous.body).toMatchObject({ layer: 'authentication', code: 'AUTH_MISSING' });
    expect(schemaChecker(doc).errors('Error', anonymous.body)).toEqual([]);
    const signedIn = await alice.api('GET', '/api/v1/schema');
    expect(signedIn.status).toBe(200);
    expect(signedIn.body.features.map((f: any) => f.path)).toEqual([
      '/api/v1/notes',
      '/api/v1/ticket-comments',
      '/api/v1/tickets',
    ]);
    expect(signedIn.body.features[2].fields.find((f: any) => f.key === 'customerEmail').masked).toBe('email');
  });

  it('matches the real routes: documented operations exist, undocumented methods are refused', async () => {
    const seen: string[] = [];
    const templates = Object.entries<Record<string, unknown>>(doc.paths);
    /** Whether some documented operation serves this concrete path (/tickets/export also matches /tickets/{id}; batch and views are never ids). */
    const documented = (path: string, method: string) =>
      templates.some(([t, item]) =>
        method in item && new RegExp(`^${t.replace('{id}', '(?!(?:batch|views)(?:/|$))[^/]+')}$`).test(path)
      );
    for (const [template, item] of templates) {
      const path = template.replace('{id}', 'missing-id');
      for (const method of METHODS) {
        const res = await alice.api(method.toUpperCase(), path, BODIES[method]);
        const routed = !(res.status === 405 || res.body?.code === 'ROUTE_NOT_FOUND');
        expect({ method, template, routed, status: res.status }).toMatchObject({
          method,
          template,
          routed: documented(path, method),
        });
        expect(res.status, `${method} ${template}`).toBeLessThan(500);
        if (res.status >= 400)
          expect(schemaChecker(doc).errors('Error', res.body), `${method} ${template}`).toEqual([]);
        if (method in item) seen.push(`${method} ${template}`);
      }
    }
    expect(seen).toEqual(
      expect.arrayContaining([
        'get /api/v1/tickets',
        'post /api/v1/tickets/batch',
        'get /api/v1/ticket-comments/views/thread',
        'delete /api/v1/notes/{id}',
      ]),
    );
  });

  it('answers with bodies that match the documented schemas', async () => {
    const check = schemaChecker(doc);
    const ticket = await alice.api('POST', '/api/v1/tickets', {
      title: 'Printer on fire',
      estimate: 3,
      customerEmail: 'jo@example.com',
    });
    expect(ticket.status).toBe(201);
    expect(check.errors('Tickets', ticket.body)).toEqual([]);
    expect(check.errors('Tickets', (await alice.api('GET', `/api/v1/tickets/${ticket.body.id}`)).body)).toEqual([]);
    expect(
      check.errors('Tickets', (await alice.api('PATCH', `/api/v1/tickets/${ticket.body.id}`, { done: true })).body),
    ).toEqual([]);
    expect(check.errors('TicketsList', (await alice.api('GET', '/api/v1/tickets?total=true')).body)).toEqual([]);
    const comment = await alice.api('POST', '/api/v1/ticket-comments', { ticketId: ticket.body.id, body: 'On it' });
    expect(check.errors('TicketComments', comment.body)).toEqual([]);
    const thread = await alice.api('GET', `/api/v1/ticket-comments?ticketId=${ticket.body.id}`);
    expect(thread.body.view).toBe('thread');
    expect(check.errors('TicketCommentsList', thread.body)).toEqual([]);
    const batch = await alice.api('POST', '/api/v1/notes/batch', {
      records: [{ body: 'one' }, { body: 'two', pinned: 'no' }],
    });
    expect(batch.status).toBe(207);
    expect(check.errors('NotesBatchResult', batch.body)).toEqual([]);
    const removed = await alice.api('DELETE', '/api/v1/notes/batch', { ids: [batch.body.success[0].id] });
    expect(check.errors('NotesBatchDeleteResult', removed.body)).toEqual([]);
    expect(check.errors('Deleted', (await alice.api('DELETE', `/api/v1/tickets/${ticket.body.id}`)).body)).toEqual([]);
  });
});

describe('openapi.publish: false and schemaRegistry.generate: false', () => {
  let t: ConformanceTarget;
  beforeAll(async () => {
    t = await inProcessTarget(
      copyFixture('helpdesk', 'openapi-private', {
        config: [[
          'features: { organizations: true },',
          'features: { organizations: true },\n  openapi: { publish: false },\n  schemaRegistry: { generate: false },',
        ]],
      }),
      'better-sqlite3',
    );
  }, 120_000);
  afterAll(async () => t?.close());

  it('serves the document to signed-in callers only, and no registry at all', async () => {
    const anonymous = await createCaller(t.fetch, t.baseURL).api('GET', '/openapi.json');
    expect(anonymous.status).toBe(401);
    expect(anonymous.body).toMatchObject({ layer: 'authentication', code: 'AUTH_MISSING' });
    const user = await signUp(t.fetch, t.baseURL, 'Olive');
    const signedIn = await user.api('GET', '/openapi.json');
    expect(signedIn.status).toBe(200);
    expect(await validateDocument(signedIn.body)).toEqual({ valid: true, errors: [] });
    expect((await user.api('GET', '/api/v1/schema')).body.code).toBe('ROUTE_NOT_FOUND');
  });
});
