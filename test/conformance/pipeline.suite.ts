/**
 * Security pipeline conformance over HTTP (reference §1.4–§1.9, §5, §6): guards and their code
 * precedence, masking on every response path, views, batch, soft-delete cascade, list record
 * conditions as SQL, `?organizationId=` addressing, ETag/304 and security headers. Written once;
 * every target runs it against the helpdesk example plus the `tasks` feature below.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMember, createOrg, signUpAll, type User } from '../helpers/orgs.js';
import type { ConformanceTarget } from '../helpers/target.js';

/** Extra feature for the suite: members see only the tasks assigned to them (a record condition on read). */
export const TASKS_FEATURE = `import { feature, q } from "@quickback/compiler";
export default feature("tasks", {
  columns: { id: q.id(), title: q.text().required(), assigneeId: q.text().optional(), organizationId: q.scope("organization") },
  read: { access: { or: [{ roles: ["admin+"] }, { roles: ["member"], record: { assigneeId: { equals: "$ctx.userId" } } }] } },
  create: { access: { roles: ["admin+"] } },
});
`;

/** Extra feature: rows isolated per team (teams live inside organizations). */
export const STANDUPS_FEATURE = `import { feature, q } from "@quickback/compiler";
export default feature("standups", {
  columns: { id: q.id(), note: q.text().required(), teamId: q.scope("team") },
  read: { access: { roles: ["member+"] } },
  create: { access: { roles: ["member+"] } },
});
`;

export function pipelineConformance(label: string, setup: () => Promise<ConformanceTarget>): void {
  describe(`pipeline conformance: ${label}`, () => {
    let t: ConformanceTarget;
    let alice: User; let bob: User; let carol: User; let dave: User; let erin: User;
    let orgA: string; let orgB: string;

    beforeAll(async () => {
      t = await setup();
      [alice, bob, carol, dave, erin] = await signUpAll(t.fetch, t.baseURL, ['Alice', 'Bob', 'Carol', 'Dave', 'Erin']);
      orgA = await createOrg(alice, 'Acme');
      orgB = await createOrg(bob, 'Bobco');
      await addMember(alice, carol, orgA, 'member');
      await addMember(alice, erin, orgA, 'member');
      await erin.auth.organization.setActive({ organizationId: null });
    }, 120_000);
    afterAll(async () => t?.close());

    it('checks body keys before values, in the documented precedence, and writes nothing on failure', async () => {
      const count = t.countRows('tickets');
      const cases: [string, Record<string, unknown>, string, unknown?][] = [
        ['POST', { title: 'x', priority: 'urgent', done: true, organizationId: 'o' }, 'GUARD_SYSTEM_MANAGED', ['organizationId']],
        ['POST', { title: 'x', priority: 'urgent', done: true }, 'GUARD_FIELD_PROTECTED', ['priority']],
        ['POST', { title: 'x', done: true, nope: 1 }, 'GUARD_FIELD_NOT_CREATEABLE', ['done']],
        ['POST', { title: 'x', nope: 1 }, 'VALIDATION_FAILED'],
      ];
      for (const [method, body, code, fields] of cases) {
        const res = await carol.api(method, '/api/v1/tickets', body);
        expect({ body, status: res.status, code: res.body.code }).toEqual({ body, status: 400, code });
        if (fields) expect(res.body.details.fields).toEqual(fields);
      }
      expect(t.countRows('tickets')).toBe(count);
      const created = await carol.api('POST', '/api/v1/tickets', { title: 'Guarded', customerEmail: 'jane.doe@example.com' });
      expect(created.status).toBe(201);
      const id = created.body.id;
      const before = t.readRow('tickets', id);
      const updates: [Record<string, unknown>, string][] = [
        [{ customerEmail: 'x@y.z', priority: 'low', createdBy: 'me' }, 'GUARD_SYSTEM_MANAGED'],
        [{ customerEmail: 'x@y.z', priority: 'low' }, 'GUARD_FIELD_IMMUTABLE'],
        [{ priority: 'low', title: 'ok' }, 'GUARD_FIELD_PROTECTED'],
      ];
      for (const [body, code] of updates) {
        const res = await alice.api('PATCH', `/api/v1/tickets/${id}`, body);
        expect({ body, code: res.body.code, layer: res.body.layer }).toEqual({ body, code, layer: 'guards' });
      }
      const protectedField = await alice.api('PATCH', `/api/v1/tickets/${id}`, { priority: 'low' });
      expect(protectedField.body.details).toEqual({ fields: ['priority'], actions: { priority: ['escalate'] } });
      expect(t.readRow('tickets', id)).toEqual(before);
    });

    it('masks on every response path for roles outside show, and only there', async () => {
      const email = 'jane.doe@example.com';
      const created = await carol.api('POST', '/api/v1/tickets', { title: 'Masked', customerEmail: email });
      expect(created.body.customerEmail).toBe('j***@e***.com');
      const id = created.body.id;
      expect((await carol.api('GET', `/api/v1/tickets/${id}`)).body.customerEmail).toBe('j***@e***.com');
      expect((await alice.api('GET', `/api/v1/tickets/${id}`)).body.customerEmail).toBe(email);
      const carolList = await carol.api('GET', '/api/v1/tickets?limit=100');
      expect(JSON.stringify(carolList.body)).not.toContain(email);
      const batch = await carol.api('POST', '/api/v1/tickets/batch', { records: [{ title: 'B1', customerEmail: 'bob.smith@corp.io' }] });
      expect(batch.status).toBe(201);
      expect(batch.body.success[0].customerEmail).toBe('b***@c***.io');
      expect((await alice.api('PATCH', `/api/v1/tickets/${id}`, { title: 'Masked 2' })).body.customerEmail).toBe(email);
      // Filtering on a masked column is dropped for members (no oracle), honoured for admins.
      const probe = await carol.api('GET', `/api/v1/tickets?limit=100&customerEmail=${encodeURIComponent(email)}`);
      expect(probe.body.data.length).toBe((await carol.api('GET', '/api/v1/tickets?limit=100')).body.data.length);
      const admin = await alice.api('GET', `/api/v1/tickets?customerEmail=${encodeURIComponent(email)}`);
      expect(admin.body.data.map((r: any) => r.customerEmail)).toEqual([email, email]);
      expect(admin.body.data.map((r: any) => r.id)).toContain(id);
    });

    it('serves views with their projection, access and allowlists, by query and by path', async () => {
      const ticket = (await carol.api('POST', '/api/v1/tickets', { title: 'Thread' })).body;
      for (const body of ['first', 'second']) expect((await carol.api('POST', '/api/v1/ticket-comments', { ticketId: ticket.id, body })).status).toBe(201);
      const thread = await carol.api('GET', `/api/v1/ticket-comments?ticketId=${ticket.id}`);
      expect(thread.status).toBe(200);
      expect(thread.body.view).toBe('thread');
      expect(thread.body.data.map((r: any) => r.body)).toEqual(['first', 'second']);
      expect(Object.keys(thread.body.data[0]).sort()).toEqual(['body', 'createdAt', 'createdBy', 'id', 'ticketId']);
      const notAllowed = await carol.api('GET', `/api/v1/ticket-comments?ticketId=${ticket.id}&body=first`);
      expect(notAllowed.body.data).toHaveLength(2);
      const moderation = await carol.api('GET', '/api/v1/ticket-comments?view=moderation');
      expect(moderation.status).toBe(403);
      expect(moderation.body.code).toBe('ACCESS_ROLE_REQUIRED');
      const byPath = await alice.api('GET', '/api/v1/ticket-comments/views/moderation');
      expect(byPath.status).toBe(200);
      expect(byPath.body.view).toBe('moderation');
      expect(Object.keys(byPath.body.data[0]).sort()).toEqual(['body', 'createdBy', 'deletedAt', 'id', 'ticketId']);
      const unknown = await alice.api('GET', '/api/v1/ticket-comments?view=nope');
      expect(unknown.status).toBe(400);
      expect(unknown.body).toMatchObject({ code: 'VIEW_NOT_FOUND', details: { views: ['moderation', 'thread'] } });
    });

    it('runs batches per item with 201/207 and per-index errors, caps them, and needs ids to update', async () => {
      const ok = await carol.api('POST', '/api/v1/tickets/batch', { records: [{ title: 'A' }, { title: 'B' }] });
      expect(ok.status).toBe(201);
      expect(ok.body.meta).toEqual({ total: 2, succeeded: 2, failed: 0, failFast: false, transactional: false });
      const partial = await carol.api('POST', '/api/v1/tickets/batch', { records: [{ title: 'C' }, { title: 'D', done: true }, 'x'] });
      expect(partial.status).toBe(207);
      expect(partial.body.errors.map((e: any) => [e.index, e.error.code])).toEqual([[1, 'GUARD_FIELD_NOT_CREATEABLE'], [2, 'VALIDATION_FAILED']]);
      const tooMany = await carol.api('POST', '/api/v1/tickets/batch', { records: Array.from({ length: 101 }, () => ({ title: 'x' })) });
      expect(tooMany.body.code).toBe('BATCH_SIZE_EXCEEDED');
      const noIds = await alice.api('PATCH', '/api/v1/tickets/batch', { records: [{ title: 'y' }] });
      expect(noIds.body).toMatchObject({ code: 'BATCH_MISSING_IDS', details: { indexes: [0] } });
      const foreign = (await bob.api('POST', '/api/v1/tickets', { title: 'Bob only' })).body;
      const update = await alice.api('PATCH', '/api/v1/tickets/batch', { records: [{ id: ok.body.success[0].id, title: 'A2' }, { id: foreign.id, title: 'pwned' }, { id: 'tck_missing', title: 'x' }] });
      expect(update.status).toBe(207);
      expect(update.body.errors[0].error).toEqual(update.body.errors[1].error);
      expect(t.readRow('tickets', foreign.id)!.title).toBe('Bob only');
      const extra = await alice.api('DELETE', '/api/v1/tickets/batch', { ids: [], atomic: true });
      expect(extra.body.code).toBe('VALIDATION_FAILED');
      const removed = await alice.api('DELETE', '/api/v1/tickets/batch', { ids: [ok.body.success[1].id] });
      expect(removed.body).toMatchObject({ success: [{ id: ok.body.success[1].id }], meta: { succeeded: 1 } });
    });

    it('rolls a failFast batch back completely when a later statement fails', async () => {
      const ticket = (await carol.api('POST', '/api/v1/tickets', { title: 'FK' })).body;
      const count = t.countRows('ticket_comments');
      const res = await carol.api('POST', '/api/v1/ticket-comments/batch', {
        records: [{ ticketId: ticket.id, body: 'one' }, { ticketId: ticket.id, body: 'two' }, { ticketId: 'tck_missing', body: 'three' }],
        options: { failFast: true },
      });
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ code: 'BATCH_FAIL_FAST_STOPPED', details: { index: 2, error: { code: 'FOREIGN_KEY_VIOLATION' } } });
      expect(t.countRows('ticket_comments')).toBe(count);
    });

    it('cascades a soft delete to child rows', async () => {
      const ticket = (await carol.api('POST', '/api/v1/tickets', { title: 'Cascade' })).body;
      const comment = (await carol.api('POST', '/api/v1/ticket-comments', { ticketId: ticket.id, body: 'bye' })).body;
      expect((await alice.api('DELETE', `/api/v1/tickets/${ticket.id}`)).status).toBe(200);
      expect(t.readRow('ticket_comments', comment.id)!.deleted_by).toBe(alice.userId);
      expect((await carol.api('GET', `/api/v1/ticket-comments?ticketId=${ticket.id}`)).body.data).toEqual([]);
    });

    it('turns list record conditions into a filter, not a 403', async () => {
      for (const assigneeId of [carol.userId, alice.userId, null]) expect((await alice.api('POST', '/api/v1/tasks', { title: 'T', assigneeId })).status).toBe(201);
      const mine = await carol.api('GET', '/api/v1/tasks');
      expect(mine.status).toBe(200);
      expect(mine.body.data.map((r: any) => r.assigneeId)).toEqual([carol.userId]);
      expect((await alice.api('GET', '/api/v1/tasks')).body.data).toHaveLength(3);
    });

    it('addresses organizations with ?organizationId= only where the rules allow', async () => {
      const cross = await carol.api('GET', `/api/v1/tickets?organizationId=${orgB}`);
      expect(cross.status).toBe(403);
      expect(cross.body).toMatchObject({ layer: 'access', code: 'ACCESS_CROSS_TENANT_FORBIDDEN' });
      expect((await dave.api('GET', `/api/v1/tickets?organizationId=${orgA}`)).body.code).toBe('ACCESS_CROSS_TENANT_FORBIDDEN');
      expect((await erin.api('GET', '/api/v1/tickets')).body.code).toBe('ORG_REQUIRED');
      const member = await erin.api('GET', `/api/v1/tickets?organizationId=${orgA}`);
      expect(member.status).toBe(200);
      expect(member.body.data.length).toBeGreaterThan(0);
      expect((await carol.api('GET', `/api/v1/tickets?organizationId=${orgA}`)).status).toBe(200);
    });

    it('sends a weak ETag computed after masking and answers If-None-Match with 304', async () => {
      const first = await carol.api('GET', '/api/v1/tickets?limit=5');
      const tag = first.headers.get('etag')!;
      expect(tag).toMatch(/^W\/"[0-9a-f]{16}"$/);
      expect(first.headers.get('cache-control')).toBe('private, no-cache');
      const again = await carol.api('GET', '/api/v1/tickets?limit=5', undefined, { 'if-none-match': tag });
      expect(again.status).toBe(304);
      expect(again.body).toBe('');
      expect(again.headers.get('x-request-id')).toBeTruthy();
      expect((await alice.api('GET', '/api/v1/tickets?limit=5')).headers.get('etag')).not.toBe(tag);
    });

    it('isolates team-scoped rows by the verified active team', async () => {
      const team = async (name: string) => (await alice.api('POST', '/auth/v1/organization/create-team', { name, organizationId: orgA })).body.id as string;
      const [red, blue] = [await team('Red'), await team('Blue')];
      expect((await alice.api('POST', '/auth/v1/organization/add-team-member', { teamId: red, userId: carol.userId })).status).toBe(200);
      expect((await alice.api('POST', '/auth/v1/organization/add-team-member', { teamId: blue, userId: alice.userId })).status).toBe(200);
      expect((await carol.api('GET', '/api/v1/standups')).body.code).toBe('TEAM_REQUIRED');
      expect((await carol.api('POST', '/auth/v1/organization/set-active-team', { teamId: red })).status).toBe(200);
      const note = await carol.api('POST', '/api/v1/standups', { note: 'shipped', teamId: blue });
      expect(note.body.code).toBe('GUARD_SYSTEM_MANAGED');
      const created = await carol.api('POST', '/api/v1/standups', { note: 'shipped' });
      expect(created.status).toBe(201);
      expect(created.body.teamId).toBe(red);
      expect((await alice.api('POST', '/auth/v1/organization/set-active-team', { teamId: blue })).status).toBe(200);
      expect((await alice.api('GET', '/api/v1/standups')).body.data).toEqual([]);
      const foreign = await alice.api('GET', `/api/v1/standups/${created.body.id}`);
      const missing = await alice.api('GET', '/api/v1/standups/std_00000000000000000000000000000000');
      expect(foreign.status).toBe(403);
      expect(foreign.body).toEqual(missing.body);
      expect((await alice.api('POST', '/auth/v1/organization/remove-team-member', { teamId: red, userId: carol.userId })).status).toBe(200);
      expect((await carol.api('GET', '/api/v1/standups')).body.code).toBe('TEAM_REQUIRED');
    });

    it('limits bodies on every route, auth included, with the same 413', async () => {
      const big = JSON.stringify({ email: 'x@example.com', password: 'y'.repeat(1_100_000) });
      for (const path of ['/auth/v1/sign-in/email', '/api/v1/tickets', '/api/v1/tickets/batch']) {
        const res = await carol.api('POST', path, big);
        expect({ path, status: res.status, code: res.body.code }).toEqual({ path, status: 413, code: 'PAYLOAD_TOO_LARGE' });
      }
    });

    it('sets the security headers on every response', async () => {
      for (const res of [await carol.api('GET', '/health'), await carol.api('GET', '/api/v1/tickets'), await carol.api('GET', '/api/v1/nope')]) {
        expect(res.headers.get('strict-transport-security')).toBe('max-age=31536000; includeSubDomains; preload');
        expect(res.headers.get('content-security-policy')).toBe("default-src 'none'; frame-ancestors 'self'");
        expect(res.headers.get('x-frame-options')).toBe('SAMEORIGIN');
        expect(res.headers.get('x-content-type-options')).toBe('nosniff');
        expect(res.headers.get('cross-origin-opener-policy')).toBe('same-origin');
      }
      void orgA;
    });
  });
}
