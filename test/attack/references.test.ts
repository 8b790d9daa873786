/**
 * References through the firewall, on SQLite and PostgreSQL: for every write path (POST, PATCH,
 * PUT create/update, batch create/update/upsert, an action's `db` insert and update) × caller of
 * organization A × reference column, randomized with fast-check (logged seed): a value naming a row
 * the caller cannot see (organization B's, another user's note, a soft-deleted row) gets exactly
 * the answer of an id that exists nowhere (409 FOREIGN_KEY_VIOLATION naming the column), a visible
 * one is written, and no stored row ends up pointing into another tenant. A tenant's delete is
 * never blocked by another tenant's rows.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Caller } from '../helpers/client.js';
import { referencesWorld, type Dialect } from './references-world.js';
import { SEED, type ActorName, type World } from './world.js';

const RUNS = 40;
const FAMILIES = [
  'POST /',
  'PATCH /:id',
  'PUT /:id (create)',
  'PUT /:id (update)',
  'POST /batch',
  'PATCH /batch',
  'PUT /batch',
  'action db insert',
  'action db update',
] as const;
type Family = (typeof FAMILIES)[number];
type Column = 'eventId' | 'ticketId' | 'noteId';
type Kind = 'foreign' | 'missing' | 'deleted';
const WRITERS: ActorName[] = ['ownerA', 'adminA', 'memberA'];
const BASE = '/api/v1/rsvps';

let fresh = 0;
const freshId = (tag: string) => `rsvp-${tag}-${++fresh}`;

/** Everything a run needs: per writer its own note and its own soft-deleted note, plus rows of A and B. */
interface Fixture {
  world: World;
  notes: Record<string, { own: string; deleted: string }>;
  deletedTicket: string;
}

async function created(caller: Caller, path: string, body: Record<string, unknown>): Promise<string> {
  const res = await caller.api('POST', path, body);
  if (res.status !== 201) throw new Error(`${path}: ${res.status} ${JSON.stringify(res.body)}`);
  return String(res.body.id);
}

async function fixture(world: World): Promise<Fixture> {
  const notes: Fixture['notes'] = {};
  for (const name of [...WRITERS, 'ownerB'] as ActorName[]) {
    const caller = world.actors[name].caller;
    const own = await created(caller, '/api/v1/notes', { id: `note-${name}`, body: 'mine' });
    const deleted = await created(caller, '/api/v1/notes', { id: `note-${name}-gone`, body: 'gone' });
    expect((await caller.api('DELETE', `/api/v1/notes/${deleted}`)).status).toBe(200);
    notes[name] = { own, deleted };
  }
  const owner = world.actors.ownerA.caller;
  const deletedTicket = await created(owner, '/api/v1/tickets', { id: 'ticket-A-gone', title: 'Gone' });
  expect((await owner.api('DELETE', `/api/v1/tickets/${deletedTicket}`)).status).toBe(200);
  return { world, notes, deletedTicket };
}

/** A value of `column` for the caller: one it can see, or one of `kind` it cannot. */
function value(f: Fixture, actor: ActorName, column: Column, kind: Kind | 'own', n: number): string {
  const rows = f.world.rows;
  const pick = (ids: string[]) => ids[n % ids.length];
  if (kind === 'missing') return `${column}-missing-${n}`;
  if (column === 'eventId') return pick(kind === 'own' ? rows.events.A : rows.events.B);
  if (column === 'ticketId')
    return kind === 'own' ? pick(rows.tickets.A) : kind === 'deleted' ? f.deletedTicket : pick(rows.tickets.B);
  if (kind === 'own') return f.notes[actor].own;
  if (kind === 'deleted') return f.notes[actor].deleted;
  return pick([f.notes.ownerB.own, ...WRITERS.filter((w) => w !== actor).map((w) => f.notes[w].own)]);
}

async function send(f: Fixture, family: Family, caller: Caller, refs: Record<string, string>, n: number) {
  const body = { eventId: f.world.rows.events.A[0], ...refs };
  const existing = f.world.rows.rsvps.A[n % f.world.rows.rsvps.A.length];
  switch (family) {
    case 'POST /':
      return caller.api('POST', BASE, { id: freshId('post'), ...body });
    case 'PATCH /:id':
      return caller.api('PATCH', `${BASE}/${existing}`, refs);
    case 'PUT /:id (create)':
      return caller.api('PUT', `${BASE}/${freshId('put')}`, body);
    case 'PUT /:id (update)':
      return caller.api('PUT', `${BASE}/${existing}`, body);
    case 'POST /batch':
      return caller.api('POST', `${BASE}/batch`, { records: [{ id: freshId('batch'), ...body }] });
    case 'PATCH /batch':
      return caller.api('PATCH', `${BASE}/batch`, { records: [{ id: existing, ...refs }] });
    case 'PUT /batch':
      return caller.api('PUT', `${BASE}/batch`, { records: [{ id: n % 2 ? existing : freshId('upsert'), ...body }] });
    case 'action db insert':
      return caller.api('POST', `${BASE}/link`, { id: freshId('link'), ...body });
    default:
      return caller.api('POST', `${BASE}/${existing}/move`, refs);
  }
}

/** What may differ between two refusals: only the id a batch error echoes. */
function comparable(res: { status: number; body: any }) {
  const body = res.body?.errors
    ? { ...res.body, errors: res.body.errors.map(({ id: _echo, ...rest }: Record<string, unknown>) => rest) }
    : res.body;
  return JSON.stringify({ status: res.status, body });
}

function refusal(res: { status: number; body: any }): { code?: string; column?: unknown } {
  const error = res.body?.errors?.[0]?.error ?? res.body;
  return { code: error?.code, column: error?.details?.column };
}

async function listAll(caller: Caller, path: string): Promise<Record<string, unknown>[]> {
  const out: Record<string, unknown>[] = [];
  for (let offset = 0;; offset += 100) {
    const page = (await caller.api('GET', `${path}?limit=100&offset=${offset}`)).body.data as Record<string, unknown>[];
    out.push(...page);
    if (page.length < 100) return out;
  }
}

/**
 * Every RSVP of organization A (where the writers work) points at events and tickets that A's
 * owner sees and at notes of A's writers: read through the API, so no row links elsewhere.
 */
async function crossTenantLinks(f: Fixture): Promise<string[]> {
  const owner = f.world.actors.ownerA.caller;
  const seen = async (path: string) => new Set((await listAll(owner, path)).map((row) => row.id));
  const [events, tickets] = [await seen('/api/v1/events'), await seen('/api/v1/tickets')];
  const notes = new Set<unknown>([...f.world.rows.notes.A, ...WRITERS.map((w) => f.notes[w].own)]);
  const out: string[] = [];
  for (const rsvp of await listAll(owner, BASE)) {
    if (!events.has(rsvp.eventId)) out.push(`${rsvp.id}.eventId`);
    if (rsvp.ticketId != null && !tickets.has(rsvp.ticketId)) out.push(`${rsvp.id}.ticketId`);
    if (rsvp.noteId != null && !notes.has(rsvp.noteId)) out.push(`${rsvp.id}.noteId`);
  }
  return out;
}

export function referencesSuite(dialect: Dialect) {
  describe(`references through the firewall (${dialect})`, () => {
    let f: Fixture;
    beforeAll(async () => {
      f = await fixture(await referencesWorld(dialect));
    }, 180_000);
    afterAll(async () => f?.world.t.close());

    for (const family of FAMILIES) {
      it(
        `${family}: a reference the caller cannot see answers exactly like a missing one; a visible one is written`,
        async () => {
          const mismatches: unknown[] = [];
          let attempts = 0;
          let accepted = 0;
          await fc.assert(
            fc.asyncProperty(
              fc.constantFrom(...WRITERS),
              fc.constantFrom<Column>('eventId', 'ticketId', 'noteId'),
              fc.constantFrom<Kind>('foreign', 'deleted'),
              fc.nat({ max: 1_000_000 }),
              async (actor, column, kind, n) => {
                const caller = f.world.actors[actor].caller;
                const hidden = column === 'eventId' && kind === 'deleted' ? 'foreign' : kind;
                const own = await send(f, family, caller, { [column]: value(f, actor, column, 'own', n) }, n);
                const refused = await send(f, family, caller, { [column]: value(f, actor, column, hidden, n) }, n);
                const missing = await send(f, family, caller, { [column]: value(f, actor, column, 'missing', n) }, n);
                attempts++;
                if (refused.status < 300 && !refused.body?.errors?.length) accepted++;
                const ok = own.status < 300 && !own.body?.errors?.length;
                const same = comparable(refused) === comparable(missing);
                const answer = refusal(missing);
                if (
                  !ok || !same || answer.code !== 'FOREIGN_KEY_VIOLATION' || answer.column !== column
                  || (refused.status !== 409 && refused.status !== 207)
                ) {
                  mismatches.push({
                    actor,
                    column,
                    kind: hidden,
                    own: [own.status, own.body],
                    refused: [refused.status, refused.body],
                    missing: [missing.status, missing.body],
                  });
                }
              },
            ),
            { numRuns: RUNS, seed: SEED },
          );
          const links = await crossTenantLinks(f);
          console.log(
            `[attack] references ${dialect} ${family}: ${attempts} attempts (seed ${SEED}), ${mismatches.length} failures, ${accepted} hidden references written, ${links.length} links out of the tenant stored`,
          );
          expect(mismatches.slice(0, 3)).toEqual([]);
          expect(links).toEqual([]);
        },
        180_000,
      );
    }

    it('checks a whole batch at once: exactly the records naming rows the caller cannot see fail', async () => {
      const caller = f.world.actors.memberA.caller;
      const kinds = fc.sample(fc.constantFrom<Kind | 'own'>('own', 'own', 'foreign', 'missing', 'deleted'), {
        numRuns: 100,
        seed: SEED,
      });
      const columns: Column[] = ['eventId', 'ticketId', 'noteId'];
      const records = kinds.map((kind, i) => {
        const column = columns[i % 3];
        const hidden = column === 'eventId' && kind === 'deleted' ? 'missing' : kind;
        return {
          id: freshId('mixed'),
          eventId: f.world.rows.events.A[0],
          [column]: value(f, 'memberA', column, hidden, i),
        };
      });
      const res = await caller.api('POST', `${BASE}/batch`, { records });
      expect(res.status).toBe(207);
      expect(res.body.errors.map((e: any) => e.index)).toEqual(kinds.flatMap((k, i) => (k === 'own' ? [] : [i])));
      expect(new Set(res.body.errors.map((e: any) => e.error.code))).toEqual(new Set(['FOREIGN_KEY_VIOLATION']));
      expect(res.body.meta).toMatchObject({ total: 100, succeeded: kinds.filter((k) => k === 'own').length });
      expect(await crossTenantLinks(f)).toEqual([]);
    });

    it("never lets one tenant's rows block another tenant's delete (hard-delete parent)", async () => {
      const { actors } = f.world;
      const event = await created(actors.ownerA.caller, '/api/v1/events', { id: `event-A-${++fresh}`, name: 'A only' });
      const bRsvp = f.world.rows.rsvps.B[0];
      const tries = [
        ['POST', BASE, { id: freshId('b'), eventId: event }],
        ['PATCH', `${BASE}/${bRsvp}`, { eventId: event }],
        ['PUT', `${BASE}/${freshId('b')}`, { eventId: event }],
        ['POST', `${BASE}/batch`, { records: [{ id: freshId('b'), eventId: event }] }],
        ['PATCH', `${BASE}/batch`, { records: [{ id: bRsvp, eventId: event }] }],
        ['PUT', `${BASE}/batch`, { records: [{ id: freshId('b'), eventId: event }] }],
        ['POST', `${BASE}/link`, { id: freshId('b'), eventId: event }],
        ['POST', `${BASE}/${bRsvp}/move`, { eventId: event }],
      ] as const;
      for (const [method, path, body] of tries)
        expect(refusal(await actors.memberB.caller.api(method, path, body)), `${method} ${path}`).toEqual({
          code: 'FOREIGN_KEY_VIOLATION',
          column: 'eventId',
        });
      expect((await actors.memberA.caller.api('DELETE', `/api/v1/events/${event}`)).status).toBe(200);
      expect(f.world.t.readRow('events', event)).toBeUndefined();
      // Inside one tenant a link still blocks the delete (the database's own check), so the property above is not vacuous.
      const linked = await created(actors.ownerA.caller, '/api/v1/events', {
        id: `event-A-${++fresh}`,
        name: 'linked',
      });
      expect((await actors.ownerA.caller.api('POST', BASE, { id: freshId('own'), eventId: linked })).status).toBe(201);
      expect(refusal(await actors.ownerA.caller.api('DELETE', `/api/v1/events/${linked}`)).code).toBe(
        'FOREIGN_KEY_VIOLATION',
      );
    });
  });
}

referencesSuite('sqlite');
referencesSuite('postgresql');
