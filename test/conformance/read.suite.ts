/**
 * Read-path conformance over HTTP (reference §1.7, §1.8, §5.3, §5.4): masking on every response
 * path, views, list record conditions as SQL, `?organizationId=` addressing, ETag/304, security
 * headers and the body limit. Written once; every target runs it.
 */
import { describe, expect, it } from 'vitest';
import type { ConformanceTarget } from '../helpers/target.js';
import { useCast } from './pipeline-cast.js';

/** `oneBackend`: the database has a single backend (PGlite), so tests whose request queries a second connection skip. */
export function readConformance(
  label: string,
  setup: () => Promise<ConformanceTarget>,
  options: { oneBackend?: boolean } = {},
): void {
  describe(`read conformance: ${label}`, () => {
    const cast = useCast(setup);

    it('masks on every response path for roles outside show, and only there', async () => {
      const { alice, carol } = cast;
      const email = 'jane.doe@example.com';
      const created = await carol.api('POST', '/api/v1/tickets', { title: 'Masked', customerEmail: email });
      expect(created.body.customerEmail).toBe('j***@e***.com');
      const id = created.body.id;
      expect((await carol.api('GET', `/api/v1/tickets/${id}`)).body.customerEmail).toBe('j***@e***.com');
      expect((await alice.api('GET', `/api/v1/tickets/${id}`)).body.customerEmail).toBe(email);
      const carolList = await carol.api('GET', '/api/v1/tickets?limit=100');
      expect(JSON.stringify(carolList.body)).not.toContain(email);
      const batch = await carol.api('POST', '/api/v1/tickets/batch', {
        records: [{ title: 'B1', customerEmail: 'bob.smith@corp.io' }],
      });
      expect(batch.status).toBe(201);
      expect(batch.body.success[0].customerEmail).toBe('b***@c***.io');
      expect((await alice.api('PATCH', `/api/v1/tickets/${id}`, { title: 'Masked 2' })).body.customerEmail).toBe(email);
      // Filtering on a masked column is dropped for members (no oracle), honoured for admins.
      const probe = await carol.api('GET', `/api/v1/tickets?limit=100&customerEmail=${encodeURIComponent(email)}`);
      expect(probe.body.data.length).toBe((await carol.api('GET', '/api/v1/tickets?limit=100')).body.data.length);
      const admin = await alice.api('GET', `/api/v1/tickets?customerEmail=${encodeURIComponent(email)}`);
      expect(admin.body.data.length).toBeGreaterThan(0);
      expect(admin.body.data.every((r: any) => r.customerEmail === email)).toBe(true);
      expect(admin.body.data.map((r: any) => r.id)).toContain(id);
    });

    it('serves views with their projection, access and allowlists, by query and by path', async () => {
      const { alice, carol } = cast;
      const ticket = (await carol.api('POST', '/api/v1/tickets', { title: 'Thread' })).body;
      for (const body of ['first', 'second'])
        expect((await carol.api('POST', '/api/v1/ticket-comments', { ticketId: ticket.id, body })).status).toBe(201);
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

    it('turns list record conditions into a filter, not a 403', async () => {
      const { alice, carol } = cast;
      for (const assigneeId of [carol.userId, alice.userId, null])
        expect((await alice.api('POST', '/api/v1/tasks', { title: 'T', assigneeId })).status).toBe(201);
      const mine = await carol.api('GET', '/api/v1/tasks');
      expect(mine.status).toBe(200);
      expect(mine.body.data.map((r: any) => r.assigneeId)).toEqual([carol.userId]);
      expect((await alice.api('GET', '/api/v1/tasks')).body.data).toHaveLength(3);
    });

    it.skipIf(options.oneBackend)(
      'addresses organizations with ?organizationId= only where the rules allow',
      async () => {
        const { carol, dave, erin, orgA, orgB } = cast;
        const cross = await carol.api('GET', `/api/v1/tickets?organizationId=${orgB}`);
        expect(cross.status).toBe(403);
        expect(cross.body).toMatchObject({ layer: 'access', code: 'ACCESS_CROSS_TENANT_FORBIDDEN' });
        expect((await dave.api('GET', `/api/v1/tickets?organizationId=${orgA}`)).body.code).toBe(
          'ACCESS_CROSS_TENANT_FORBIDDEN',
        );
        expect((await erin.api('GET', '/api/v1/tickets')).body.code).toBe('ORG_REQUIRED');
        const member = await erin.api('GET', `/api/v1/tickets?organizationId=${orgA}`);
        expect(member.status).toBe(200);
        expect(member.body.data.length).toBeGreaterThan(0);
        expect((await carol.api('GET', `/api/v1/tickets?organizationId=${orgA}`)).status).toBe(200);
      },
    );

    it('sends a weak ETag computed after masking and answers If-None-Match with 304', async () => {
      const { alice, carol } = cast;
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

    it('limits bodies on every route, auth included, with the same 413', async () => {
      const { carol } = cast;
      const big = JSON.stringify({ email: 'x@example.com', password: 'y'.repeat(1_100_000) });
      for (const path of ['/auth/v1/sign-in/email', '/api/v1/tickets', '/api/v1/tickets/batch']) {
        const res = await carol.api('POST', path, big);
        expect({ path, status: res.status, code: res.body.code }).toEqual({
          path,
          status: 413,
          code: 'PAYLOAD_TOO_LARGE',
        });
      }
    });

    it('sets the security headers on every response', async () => {
      const { carol, orgA } = cast;
      for (const res of [
        await carol.api('GET', '/health'),
        await carol.api('GET', '/api/v1/tickets'),
        await carol.api('GET', '/api/v1/nope'),
      ]) {
        expect(res.headers.get('strict-transport-security')).toBe('max-age=31536000; includeSubDomains; preload');
        expect(res.headers.get('content-security-policy')).toBe("default-src 'none'; frame-ancestors 'self'");
        expect(res.headers.get('x-frame-options')).toBe('SAMEORIGIN');
        expect(res.headers.get('x-content-type-options')).toBe('nosniff');
        expect(res.headers.get('cross-origin-opener-policy')).toBe('same-origin');
      }
    });
  });
}
