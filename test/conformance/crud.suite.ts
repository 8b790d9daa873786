/**
 * CRUD + tenant isolation conformance, over HTTP, for the `helpdesk` example. Written once; every
 * target (in-process, real server, each driver and runtime) runs it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUp } from '../helpers/client.js';
import { addMember, createOrg, type User } from '../helpers/orgs.js';
import type { ConformanceTarget } from '../helpers/target.js';

export function crudConformance(label: string, setup: () => Promise<ConformanceTarget>): void {
  describe(`CRUD conformance: ${label}`, () => {
    let t: ConformanceTarget;
    let alice: User;
    let bob: User;
    let carol: User;
    let dave: User;
    let orgA: string;
    let ticket: Record<string, any>;

    beforeAll(async () => {
      t = await setup();
      [alice, bob, carol, dave] = await Promise.all(
        ['Alice', 'Bob', 'Carol', 'Dave'].map((n) => signUp(t.fetch, t.baseURL, n)),
      );
      orgA = await createOrg(alice, 'Acme');
      await createOrg(bob, 'Bobco');
      await addMember(alice, carol, orgA, 'member');
    }, 120_000);
    afterAll(async () => t?.close());

    it('serves /health and a request id', async () => {
      const res = await alice.api('GET', '/health');
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ status: 'ok' });
      expect(res.headers.get('x-request-id')).toMatch(/^[\w-]+$/);
    });

    it('answers anonymous callers 401 with the error body', async () => {
      const anonymous = await t.fetch(new Request(`${t.baseURL}/api/v1/tickets`));
      expect(anonymous.status).toBe(401);
      expect(await anonymous.json()).toMatchObject({
        error: expect.any(String),
        layer: 'authentication',
        code: 'AUTH_MISSING',
      });
    });

    it('requires an active organization for organization-scoped features', async () => {
      const res = await dave.api('GET', '/api/v1/tickets');
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ layer: 'firewall', code: 'ORG_REQUIRED' });
    });

    it('lets a member create, list and read rows of their organization', async () => {
      const created = await carol.api('POST', '/api/v1/tickets', { title: 'Printer on fire', estimate: 3 });
      expect(created.status).toBe(201);
      ticket = created.body;
      expect(ticket).toMatchObject({
        title: 'Printer on fire',
        priority: 'normal',
        done: false,
        estimate: 3,
        organizationId: orgA,
        createdBy: carol.userId,
        deletedAt: null,
      });
      expect(ticket.id).toMatch(/^tck_[0-9a-f]{32}$/);
      const list = await carol.api('GET', '/api/v1/tickets');
      expect(list.status).toBe(200);
      expect(list.body.data.map((r: any) => r.id)).toContain(ticket.id);
      expect(list.body.pagination).toMatchObject({ limit: 50, offset: 0, hasMore: false });
      const read = await carol.api('GET', `/api/v1/tickets/${ticket.id}`);
      expect(read.status).toBe(200);
      expect(read.body).toEqual(ticket);
    });

    it('applies role+ expansion and record conditions on update and delete', async () => {
      const denied = await carol.api('PATCH', `/api/v1/tickets/${ticket.id}`, { title: 'mine now' });
      expect(denied.status).toBe(403);
      expect(denied.body.code).toBe('ACCESS_CONDITION_FAILED');
      const assign = await alice.api('PATCH', `/api/v1/tickets/${ticket.id}`, { assigneeId: carol.userId });
      expect(assign.status).toBe(200);
      const allowed = await carol.api('PATCH', `/api/v1/tickets/${ticket.id}`, {
        title: 'Printer still on fire',
        done: true,
      });
      expect(allowed.status).toBe(200);
      expect(allowed.body).toMatchObject({ title: 'Printer still on fire', done: true, modifiedBy: carol.userId });
      const noDelete = await carol.api('DELETE', `/api/v1/tickets/${ticket.id}`);
      expect(noDelete.status).toBe(403);
      expect(noDelete.body.code).toBe('ACCESS_ROLE_REQUIRED');
    });

    it('gives a foreign tenant exactly the answer for a missing id, and changes nothing', async () => {
      const before = t.readRow('tickets', ticket.id);
      const missing = 'tck_00000000000000000000000000000000';
      for (
        const [method, body] of [['GET', undefined], ['PATCH', { title: 'pwned' }], ['DELETE', undefined]] as const
      ) {
        const foreign = await bob.api(method, `/api/v1/tickets/${ticket.id}`, body);
        const absent = await bob.api(method, `/api/v1/tickets/${missing}`, body);
        expect(foreign.status).toBe(403);
        expect(foreign.body).toEqual(absent.body);
        expect(foreign.body).toMatchObject({ layer: 'firewall', code: 'FIREWALL_NOT_FOUND' });
      }
      expect(t.readRow('tickets', ticket.id)).toEqual(before);
      const list = await bob.api('GET', '/api/v1/tickets');
      expect(list.body.data).toEqual([]);
    });

    it('never takes organizationId (or other server fields) from a body', async () => {
      const count = t.countRows('tickets');
      const create = await carol.api('POST', '/api/v1/tickets', { title: 'sneaky', organizationId: 'org_other' });
      expect(create.status).toBe(400);
      expect(create.body).toMatchObject({
        layer: 'guards',
        code: 'GUARD_SYSTEM_MANAGED',
        details: { fields: ['organizationId'] },
      });
      expect(t.countRows('tickets')).toBe(count);
      const before = t.readRow('tickets', ticket.id);
      for (const field of ['organizationId', 'createdBy', 'id', 'deletedAt']) {
        const patch = await alice.api('PATCH', `/api/v1/tickets/${ticket.id}`, { [field]: 'x', title: 'ok' });
        expect(patch.status).toBe(400);
        expect(patch.body.code).toBe('GUARD_SYSTEM_MANAGED');
      }
      expect(t.readRow('tickets', ticket.id)).toEqual(before);
    });

    it('rejects bad bodies with 4xx, never 500', async () => {
      const cases: [unknown, number, string][] = [
        [{}, 400, 'VALIDATION_FAILED'],
        [{ title: 'x'.repeat(141) }, 400, 'VALIDATION_FAILED'],
        [{ title: 'ok', estimate: 'abc' }, 400, 'VALIDATION_FAILED'],
        [{ title: 'ok', estimate: -1 }, 400, 'VALIDATION_FAILED'],
        [{ title: 'ok', priority: 'urgent' }, 400, 'GUARD_FIELD_PROTECTED'],
        [{ title: 'ok', nope: 1 }, 400, 'VALIDATION_FAILED'],
        ['{not json', 400, 'INVALID_JSON'],
        ['[1,2]', 400, 'VALIDATION_FAILED'],
      ];
      for (const [body, status, code] of cases) {
        const res = await carol.api('POST', '/api/v1/tickets', body);
        expect({ body, status: res.status, code: res.body.code }).toEqual({ body, status, code });
        expect(res.body.layer).toBeDefined();
      }
      const form = await carol.api('POST', '/api/v1/tickets', 'title=x', {
        'content-type': 'application/x-www-form-urlencoded',
      });
      expect(form.status).toBe(415);
      const huge = await carol.api('POST', '/api/v1/tickets', { title: 'x', assigneeId: 'y'.repeat(1_100_000) });
      expect(huge.status).toBe(413);
      expect(huge.body.code).toBe('PAYLOAD_TOO_LARGE');
    });

    it('renders 404 and 405 with the error body', async () => {
      const unknown = await carol.api('GET', '/api/v1/nothing-here');
      expect(unknown.status).toBe(404);
      expect(unknown.body).toMatchObject({ layer: 'routing', code: 'ROUTE_NOT_FOUND' });
      const method = await carol.api('PUT', '/api/v1/tickets');
      expect(method.status).toBe(405);
      expect(method.body.code).toBe('METHOD_NOT_ALLOWED');
    });

    it('filters, searches and paginates lists', async () => {
      for (const [title, estimate] of [['Coffee machine', 1], ['Coffee beans', 5], ['Desk', 1]] as const) {
        expect((await carol.api('POST', '/api/v1/tickets', { title, estimate })).status).toBe(201);
      }
      const low = await carol.api('GET', '/api/v1/tickets?estimate=1');
      expect(low.body.data.map((r: any) => r.title).sort()).toEqual(['Coffee machine', 'Desk']);
      const search = await carol.api('GET', '/api/v1/tickets?search=coffee&sort=title');
      expect(search.body.data.map((r: any) => r.title)).toEqual(['Coffee beans', 'Coffee machine']);
      const page = await carol.api('GET', '/api/v1/tickets?limit=2&total=true');
      expect(page.body.pagination).toMatchObject({ limit: 2, count: 2, hasMore: true, total: 4 });
      const clamped = await carol.api('GET', '/api/v1/tickets?limit=5000&nope=1');
      expect(clamped.body.pagination.limit).toBe(100);
      const wildcard = await carol.api('GET', '/api/v1/tickets?search=%25');
      expect(wildcard.body.data).toEqual([]);
    });

    it('soft-deletes for admins; the row is then invisible but kept', async () => {
      const removed = await alice.api('DELETE', `/api/v1/tickets/${ticket.id}`);
      expect(removed.status).toBe(200);
      expect(removed.body).toEqual({ success: true });
      expect((await alice.api('GET', `/api/v1/tickets/${ticket.id}`)).status).toBe(403);
      const row = t.readRow('tickets', ticket.id)!;
      expect(row.deleted_at).toEqual(expect.any(String));
      expect(row.deleted_by).toBe(alice.userId);
    });

    it('isolates owner-scoped rows per user', async () => {
      const note = await carol.api('POST', '/api/v1/notes', { body: 'private' });
      expect(note.status).toBe(201);
      expect(note.body.ownerId).toBe(carol.userId);
      const other = await alice.api('GET', `/api/v1/notes/${note.body.id}`);
      const missing = await alice.api('GET', '/api/v1/notes/nte_00000000000000000000000000000000');
      expect(other.status).toBe(403);
      expect(other.body).toEqual(missing.body);
      expect((await alice.api('GET', '/api/v1/notes')).body.data).toEqual([]);
    });

    it('maps constraint failures to 4xx (foreign key)', async () => {
      const res = await carol.api('POST', '/api/v1/ticket-comments', { ticketId: 'tck_missing', body: 'hello' });
      expect(res.status).toBe(409);
      expect(res.body).toMatchObject({ layer: 'database', code: 'FOREIGN_KEY_VIOLATION' });
    });
  });
}
