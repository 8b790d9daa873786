/**
 * Actions conformance over HTTP (reference §1.10, §6): record and standalone routes, the shared
 * access engine, input from body or query string, foreign = missing ids, transitions (409 on the
 * wrong state, exactly one winner under concurrency), ActionError mapping, file responses, the
 * scoped db, and unsafe actions (platform admin, audit event first, fail closed).
 */
import { describe, expect, it } from 'vitest';
import type { ConformanceTarget } from '../helpers/target.js';
import { createCaller } from '../helpers/client.js';
import { useCast } from './pipeline-cast.js';

export interface ActionsTarget extends ConformanceTarget {
  makeAdmin(userId: string): void;
  /** The same app with AUDIT_DATABASE_URL pointing somewhere unwritable. */
  brokenAudit(): Promise<ConformanceTarget['fetch']>;
  auditRows(): Record<string, unknown>[];
}

/** `oneBackend`: the database has a single backend (PGlite), so tests whose request queries a second connection skip. */
export function actionsConformance(
  label: string,
  setup: () => Promise<ActionsTarget>,
  options: { oneBackend?: boolean } = {},
): void {
  describe(`actions conformance: ${label}`, () => {
    const cast = useCast(setup);
    const target = () => cast.t as ActionsTarget;
    const newTicket = async (title = 'Ticket') => (await cast.alice.api('POST', '/api/v1/tickets', { title })).body;

    it('gates record and standalone actions with the same access engine', async () => {
      const { t, carol } = cast;
      const ticket = await newTicket();
      const anonymous = createCaller(t.fetch, t.baseURL);
      expect((await anonymous.api('POST', `/api/v1/tickets/${ticket.id}/escalate`, { reason: 'now' })).body)
        .toMatchObject({ layer: 'authentication', code: 'AUTH_MISSING' });
      expect((await anonymous.api('GET', '/api/v1/tickets/open-count')).status).toBe(401);
      const member = await carol.api('POST', `/api/v1/tickets/${ticket.id}/escalate`, { reason: 'please' });
      expect(member.body).toMatchObject({ code: 'ACCESS_ROLE_REQUIRED', details: { required: ['admin', 'owner'] } });
      expect((await carol.api('GET', '/api/v1/tickets/export')).status).toBe(403);
      expect(t.readRow('tickets', ticket.id)!.priority).toBe('normal');
    });

    it('answers a foreign record exactly like a missing one', async () => {
      const { alice, bob } = cast;
      const foreignTicket = (await bob.api('POST', '/api/v1/tickets', { title: 'Bob only' })).body;
      const foreign = await alice.api('POST', `/api/v1/tickets/${foreignTicket.id}/escalate`, { reason: 'mine now' });
      const missing = await alice.api('POST', '/api/v1/tickets/tck_00000000000000000000000000000000/escalate', {
        reason: 'mine now',
      });
      expect(foreign.status).toBe(403);
      expect(foreign.body).toEqual(missing.body);
      expect(cast.t.readRow('tickets', foreignTicket.id)!.priority).toBe('normal');
    });

    it('validates input from the body (and refuses non-JSON) before touching the record', async () => {
      const ticket = await newTicket();
      const short = await cast.alice.api('POST', `/api/v1/tickets/${ticket.id}/escalate`, { reason: 'x' });
      expect(short.status).toBe(400);
      expect(short.body).toMatchObject({
        code: 'VALIDATION_FAILED',
        details: { fields: { reason: expect.any(String) } },
      });
      const form = await cast.alice.api('POST', `/api/v1/tickets/${ticket.id}/escalate`, 'reason=now', {
        'content-type': 'application/x-www-form-urlencoded',
      });
      expect(form.status).toBe(415);
    });

    it('runs a transition once: the handler sees the new state, a second call is 409', async () => {
      const { t, alice, orgA } = cast;
      const ticket = await newTicket('Escalate me');
      const ok = await alice.api('POST', `/api/v1/tickets/${ticket.id}/escalate`, { reason: 'customer is angry' });
      expect(ok.status).toBe(200);
      expect(ok.body).toMatchObject({ id: ticket.id, priority: 'urgent', modifiedBy: alice.userId });
      expect(t.readRow('tickets', ticket.id)!.priority).toBe('urgent');
      const comments = await alice.api('GET', `/api/v1/ticket-comments?ticketId=${ticket.id}`);
      expect(comments.body.data.map((c: any) => c.body)).toEqual(['Escalated: customer is angry']);
      expect(t.readRow('ticket_comments', comments.body.data[0].id)).toMatchObject({
        organization_id: orgA,
        created_by: alice.userId,
      });
      const again = await alice.api('POST', `/api/v1/tickets/${ticket.id}/escalate`, { reason: 'even angrier' });
      expect(again.status).toBe(409);
      expect(again.body).toMatchObject({
        layer: 'access',
        code: 'ACCESS_ACTION_NOT_ALLOWED_FOR_STATE',
        details: { field: 'priority', current: 'urgent' },
      });
    });

    it('lets exactly one of several concurrent transitions win (TOCTOU-safe)', async () => {
      const ticket = await newTicket('Race');
      const results = await Promise.all(
        [1, 2, 3].map(() => cast.alice.api('POST', `/api/v1/tickets/${ticket.id}/escalate`, { reason: 'race' })),
      );
      const statuses = results.map((r) => r.status).sort();
      expect(statuses).toEqual([200, 409, 409]);
      // Which 409 depends on timing (read after the winner: wrong state; read before it: lost the claim).
      for (const r of results.filter((x) => x.status === 409))
        expect(['ACCESS_TRANSITION_LOST', 'ACCESS_ACTION_NOT_ALLOWED_FOR_STATE']).toContain(r.body.code);
      const comments = await cast.alice.api('GET', `/api/v1/ticket-comments?ticketId=${ticket.id}`);
      expect(comments.body.data).toHaveLength(1);
    });

    it('reads GET input from the query string and scopes the handler db to the tenant', async () => {
      const { alice, bob, carol } = cast;
      await alice.api('POST', '/api/v1/tickets', { title: 'Assigned', assigneeId: carol.userId });
      const all = await carol.api('GET', '/api/v1/tickets/open-count');
      const list = await carol.api('GET', '/api/v1/tickets?done=false&limit=100');
      expect(all.body).toEqual({ open: list.body.data.length });
      expect((await carol.api('GET', `/api/v1/tickets/open-count?assigneeId=${carol.userId}`)).body).toEqual({
        open: 1,
      });
      expect((await carol.api('GET', `/api/v1/tickets/open-count?assigneeId=${'x'.repeat(300)}`)).body.code).toBe(
        'VALIDATION_FAILED',
      );
      const bobs = await bob.api('GET', '/api/v1/tickets/open-count');
      expect(bobs.body.open).toBe((await bob.api('GET', '/api/v1/tickets?done=false&limit=100')).body.data.length);
    });

    it('passes file responses through and maps ActionError to its status and code', async () => {
      const csv = await cast.alice.api('GET', '/api/v1/tickets/export');
      expect(csv.status).toBe(200);
      expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
      expect(String(csv.body).split('\n')[0]).toBe('id,title,priority,customerEmail');
      const refused = await cast.carol.api('POST', '/api/v1/probes/refuse', { status: 422 });
      expect(refused.status).toBe(422);
      expect(refused.body).toEqual({
        error: 'Refused on purpose',
        layer: 'access',
        code: 'PROBE_REFUSED',
        details: { status: 422 },
      });
      const bogus = await cast.carol.api('POST', '/api/v1/probes/refuse', { status: 200 });
      expect(bogus.status).toBe(500);
      expect(bogus.body).toEqual({ error: 'Internal server error', layer: 'internal', code: 'INTERNAL_SERVER_ERROR' });
    });

    it.skipIf(options.oneBackend)(
      'runs unsafe actions for platform admins only, after writing the audit event, and never without it',
      async () => {
        const { t, alice, dave } = cast;
        const purge = (caller = alice) =>
          caller.api('POST', '/api/v1/maintenance/purge-deleted-tickets', { olderThanDays: 0 });
        expect((await purge()).body.code).toBe('ACCESS_ADMIN_REQUIRED');
        const doomed = await newTicket('Doomed');
        await alice.api('DELETE', `/api/v1/tickets/${doomed.id}`);
        target().makeAdmin(dave.userId);
        const broken = createCaller(await target().brokenAudit(), t.baseURL);
        for (const [k, v] of dave.jar) broken.jar.set(k, v);
        const failed = await purge(broken as typeof dave);
        expect(failed.status).toBe(503);
        expect(failed.body.code).toBe('ACCESS_AUDIT_LOG_FAILED');
        expect(t.readRow('tickets', doomed.id)).toBeDefined();
        const before = target().auditRows().length;
        const done = await purge(dave);
        expect(done.status).toBe(200);
        expect(done.body.removed).toBeGreaterThanOrEqual(1);
        expect(t.readRow('tickets', doomed.id)).toBeUndefined();
        const rows = target().auditRows();
        expect(rows).toHaveLength(before + 1);
        expect(rows.at(-1)).toMatchObject({
          action: 'purgeDeleted',
          feature: 'tickets',
          user_id: dave.userId,
          method: 'POST',
          path: '/api/v1/maintenance/purge-deleted-tickets',
        });
      },
    );
  });
}
