/**
 * Optimistic concurrency, outside-in (runtime/preconditions.ts): If-Match / If-None-Match on
 * PATCH, PUT, DELETE and record actions of the helpdesk fixture, against the ETag the record's GET
 * sends, and racing writers that all hold the same ETag: exactly one wins, the rest get 412.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';
import { signUp } from '../helpers/client.js';
import { addMember, createOrg, type User } from '../helpers/orgs.js';
import { REPO } from '../helpers/project.js';
import type { ConformanceTarget } from '../helpers/target.js';

const ACTIONS = path.join(REPO, 'examples', 'helpdesk', 'quickback', 'features', 'tickets', 'actions.ts');

/** The helpdesk plus a record action without a transition (`note`), which If-Match claims by stamping modifiedAt. */
export const NOTE_ACTION: Record<string, string> = {
  'quickback/features/tickets/actions.ts': readFileSync(ACTIONS, 'utf8').replace(
    '  // GET /api/v1/tickets/open-count',
    [
      '  note: {',
      '    description: "Leave a comment on a ticket",',
      '    input: z.object({ body: z.string().min(1).max(300) }),',
      '    access: { roles: ["admin+"] },',
      '    handler: "./handlers/note",',
      '  },',
      '  // GET /api/v1/tickets/open-count',
    ].join('\n'),
  ),
  'quickback/features/tickets/handlers/note.ts': [
    'import type { ActionHandler } from "#quickback";',
    'import type { TicketsActionInput } from "../../../../src/features/tickets/tickets.actions.js";',
    'import { ticketComments } from "../../../../src/features/ticket-comments/ticket-comments.schema.js";',
    '',
    'export const execute: ActionHandler<TicketsActionInput<"note">> = async ({ db, record, input }) => {',
    '  if (input.body === "fail") throw new Error("handler failed");',
    '  await db.insert(ticketComments).values({ id: crypto.randomUUID(), ticketId: record!.id as string, body: input.body });',
    '  return { noted: record!.id };',
    '};',
    '',
  ].join('\n'),
};

export interface Desk {
  owner: User;
  member: User;
  orgId: string;
}

export async function desk(t: ConformanceTarget): Promise<Desk> {
  const owner = await signUp(t.fetch, t.baseURL, 'Owner');
  const member = await signUp(t.fetch, t.baseURL, 'Member');
  const orgId = await createOrg(owner, 'Race');
  await addMember(owner, member, orgId, 'member');
  return { owner, member, orgId };
}

/** A new ticket and the ETag its GET sends to `user`. */
export async function ticket(user: User, fields: Record<string, unknown> = {}): Promise<{ id: string; etag: string }> {
  const created = await user.api('POST', '/api/v1/tickets', {
    id: `tk-${Math.random().toString(36).slice(2, 10)}`,
    title: 'Printer on fire',
    ...fields,
  });
  expect(created.status).toBe(201);
  const read = await user.api('GET', `/api/v1/tickets/${created.body.id}`);
  expect(read.status).toBe(200);
  const etag = read.headers.get('etag')!;
  expect(etag).toMatch(/^W\/"[0-9a-f]{16}"$/);
  // A write answers the ETag its next GET sends.
  expect(created.headers.get('etag')).toBe(etag);
  return { id: created.body.id, etag };
}

/** `n` PATCHes at once, all with the same If-Match: exactly one 200, the rest 412, and the row is the winner's. */
export async function racePatches(t: ConformanceTarget, user: User, n: number): Promise<void> {
  const { id, etag } = await ticket(user);
  const results = await Promise.all(
    Array.from(
      { length: n },
      (_, i) => user.api('PATCH', `/api/v1/tickets/${id}`, { title: `writer ${i}` }, { 'if-match': etag }),
    ),
  );
  const statuses = results.map((r) => r.status);
  expect(statuses.filter((s) => s === 200)).toHaveLength(1);
  expect(statuses.filter((s) => s === 412)).toHaveLength(n - 1);
  const winner = results.find((r) => r.status === 200)!;
  expect(results.find((r) => r.status === 412)!.body).toMatchObject({
    code: 'PRECONDITION_FAILED',
    details: { header: 'If-Match' },
    hint: expect.stringContaining('GET it again'),
  });
  expect(t.readRow('tickets', id)).toMatchObject({ title: winner.body.title });
  const after = await user.api('GET', `/api/v1/tickets/${id}`);
  expect(after.headers.get('etag')).toBe(winner.headers.get('etag'));
}
