/**
 * Write-path conformance over HTTP (reference §1.6, §1.9, §5.4): guards and their code
 * precedence, batch (201/207, per-index errors, caps, ids), failFast rollback, soft-delete
 * cascade, team isolation. Written once; every target runs it.
 */
import { describe, expect, it } from 'vitest';
import type { ConformanceTarget } from '../helpers/target.js';
import { useCast } from './pipeline-cast.js';

export function writeConformance(label: string, setup: () => Promise<ConformanceTarget>): void {
  describe(`write conformance: ${label}`, () => {
    const cast = useCast(setup);

    it('checks body keys before values, in the documented precedence, and writes nothing on failure', async () => {
      const { t, alice, carol } = cast;
      const count = t.countRows('tickets');
      const cases: [string, Record<string, unknown>, string, unknown?][] = [
        ['POST', { title: 'x', priority: 'urgent', done: true, organizationId: 'o' }, 'GUARD_SYSTEM_MANAGED', [
          'organizationId',
        ]],
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
      const created = await carol.api('POST', '/api/v1/tickets', {
        title: 'Guarded',
        customerEmail: 'jane.doe@example.com',
      });
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

    it('runs batches per item with 201/207 and per-index errors, caps them, and needs ids to update', async () => {
      const { t, alice, bob, carol } = cast;
      const ok = await carol.api('POST', '/api/v1/tickets/batch', { records: [{ title: 'A' }, { title: 'B' }] });
      expect(ok.status).toBe(201);
      expect(ok.body.meta).toEqual({ total: 2, succeeded: 2, failed: 0, failFast: false, transactional: true });
      const partial = await carol.api('POST', '/api/v1/tickets/batch', {
        records: [{ title: 'C' }, { title: 'D', done: true }, 'x'],
      });
      expect(partial.status).toBe(207);
      expect(partial.body.errors.map((e: any) => [e.index, e.error.code])).toEqual([
        [1, 'GUARD_FIELD_NOT_CREATEABLE'],
        [2, 'VALIDATION_FAILED'],
      ]);
      const tooMany = await carol.api('POST', '/api/v1/tickets/batch', {
        records: Array.from({ length: 101 }, () => ({ title: 'x' })),
      });
      expect(tooMany.body.code).toBe('BATCH_SIZE_EXCEEDED');
      const noIds = await alice.api('PATCH', '/api/v1/tickets/batch', { records: [{ title: 'y' }] });
      expect(noIds.body).toMatchObject({ code: 'BATCH_MISSING_IDS', details: { indexes: [0] } });
      const foreign = (await bob.api('POST', '/api/v1/tickets', { title: 'Bob only' })).body;
      const update = await alice.api('PATCH', '/api/v1/tickets/batch', {
        records: [
          { id: ok.body.success[0].id, title: 'A2' },
          { id: foreign.id, title: 'pwned' },
          { id: 'tck_missing', title: 'x' },
        ],
      });
      expect(update.status).toBe(207);
      expect(update.body.errors[0].error).toEqual(update.body.errors[1].error);
      expect(t.readRow('tickets', foreign.id)!.title).toBe('Bob only');
      const extra = await alice.api('DELETE', '/api/v1/tickets/batch', { ids: [], atomic: true });
      expect(extra.body.code).toBe('VALIDATION_FAILED');
      const removed = await alice.api('DELETE', '/api/v1/tickets/batch', { ids: [ok.body.success[1].id] });
      expect(removed.body).toMatchObject({ success: [{ id: ok.body.success[1].id }], meta: { succeeded: 1 } });
    });

    it('rolls a failFast batch back completely when a later statement fails', async () => {
      const { t, carol } = cast;
      const ticket = (await carol.api('POST', '/api/v1/tickets', { title: 'FK' })).body;
      const count = t.countRows('ticket_comments');
      const res = await carol.api('POST', '/api/v1/ticket-comments/batch', {
        records: [
          { ticketId: ticket.id, body: 'one' },
          { ticketId: ticket.id, body: 'two' },
          { ticketId: 'tck_missing', body: 'three' },
        ],
        options: { failFast: true },
      });
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({
        code: 'BATCH_FAIL_FAST_STOPPED',
        details: { index: 2, error: { code: 'FOREIGN_KEY_VIOLATION' } },
      });
      expect(t.countRows('ticket_comments')).toBe(count);
    });

    it('cascades a soft delete to child rows', async () => {
      const { t, alice, carol } = cast;
      const ticket = (await carol.api('POST', '/api/v1/tickets', { title: 'Cascade' })).body;
      const comment = (await carol.api('POST', '/api/v1/ticket-comments', { ticketId: ticket.id, body: 'bye' })).body;
      expect((await alice.api('DELETE', `/api/v1/tickets/${ticket.id}`)).status).toBe(200);
      expect(t.readRow('ticket_comments', comment.id)!.deleted_by).toBe(alice.userId);
      expect((await carol.api('GET', `/api/v1/ticket-comments?ticketId=${ticket.id}`)).body.data).toEqual([]);
    });

    it('isolates team-scoped rows by the verified active team', async () => {
      const { alice, carol, orgA } = cast;
      const team = async (name: string) =>
        (await alice.api('POST', '/auth/v1/organization/create-team', { name, organizationId: orgA })).body
          .id as string;
      const [red, blue] = [await team('Red'), await team('Blue')];
      expect(
        (await alice.api('POST', '/auth/v1/organization/add-team-member', { teamId: red, userId: carol.userId }))
          .status,
      ).toBe(200);
      expect(
        (await alice.api('POST', '/auth/v1/organization/add-team-member', { teamId: blue, userId: alice.userId }))
          .status,
      ).toBe(200);
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
      expect(
        (await alice.api('POST', '/auth/v1/organization/remove-team-member', { teamId: red, userId: carol.userId }))
          .status,
      ).toBe(200);
      expect((await carol.api('GET', '/api/v1/standups')).body.code).toBe('TEAM_REQUIRED');
    });
  });
}
