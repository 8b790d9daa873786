/**
 * BOLA across a read → write race: PATCH reads the row through the firewall, then reads its body,
 * then UPDATEs. If the row leaves the caller's organization in between, the UPDATE itself must
 * still carry the firewall predicate, or the caller writes into another tenant's row.
 *
 * The interleaving is deterministic, not a timing race: the request body is a stream that the
 * app pulls only after its firewall read (the route authorizes and loads the row before it
 * reads the body), and the pull moves the row to organization B before handing over the JSON.
 */
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FeatureModel } from '../../src/compiler/model/ir.js';
import { databaseFiles, inProcessTarget } from '../helpers/target.js';
import { createWorld, type Actor, type World } from './world.js';

let world: World;
let root: string;
beforeAll(async () => {
  world = await createWorld('attack-race', 1, async (dir) => inProcessTarget(root = dir, 'better-sqlite3'));
}, 120_000);
afterAll(async () => world?.t.close());

const orgColumn = (feature: FeatureModel) =>
  feature.table.columns.find((c) => c.key === feature.scope.organization)!.sqlName;

/** A PATCH whose JSON body is produced only when the app reads it, after `beforeBody` ran. */
async function patchWithHook(
  actor: Actor,
  feature: FeatureModel,
  id: string,
  body: Record<string, unknown>,
  beforeBody: () => void,
) {
  const bytes = new TextEncoder().encode(JSON.stringify(body));
  let pulled = false;
  const stream = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        pulled = true;
        beforeBody();
        controller.enqueue(bytes);
        controller.close();
      },
    },
    { highWaterMark: 0 },
  );
  const request = new Request(new URL(`${feature.routePath}/${id}`, world.t.baseURL), {
    method: 'PATCH',
    body: stream,
    duplex: 'half',
    headers: {
      'content-type': 'application/json',
      'content-length': String(bytes.byteLength),
      origin: world.t.baseURL,
      cookie: [...actor.caller.jar].map(([k, v]) => `${k}=${v}`).join('; '),
    },
  } as RequestInit);
  const response = await world.t.fetch(request);
  return { status: response.status, body: await response.json(), pulled };
}

function moveRow(feature: FeatureModel, id: string, org: string): void {
  const db = new Database(databaseFiles(root).features);
  try {
    const moved = db.prepare(`UPDATE "${feature.table.sqlName}" SET "${orgColumn(feature)}" = ? WHERE id = ?`).run(
      org,
      id,
    );
    if (moved.changes !== 1) throw new Error(`could not move ${feature.name}/${id}`);
  } finally {
    db.close();
  }
}

describe('BOLA: a row that leaves the firewall between the read and the write', () => {
  const tickets = () => world.features.find((f) => f.name === 'tickets')!;

  it('the streamed PATCH works when nothing moves (the harness reaches the UPDATE)', async () => {
    const id = world.rows.tickets.A[0];
    const res = await patchWithHook(world.actors.ownerA, tickets(), id, { title: 'streamed' }, () => {});
    expect(res).toMatchObject({ status: 200, pulled: true, body: { title: 'streamed' } });
  });

  it('is not written: the UPDATE carries the firewall predicate (answered like a foreign row, the moved row unchanged)', async () => {
    const feature = tickets();
    const id = world.rows.tickets.A[0];
    const title = world.t.readRow(feature.table.sqlName, id)!.title;
    const res = await patchWithHook(
      world.actors.ownerA,
      feature,
      id,
      { title: 'written across tenants' },
      () => moveRow(feature, id, world.orgIds.B),
    );
    const stored = world.t.readRow(feature.table.sqlName, id)!;
    expect(res.pulled).toBe(true);
    expect(stored[orgColumn(feature)]).toBe(world.orgIds.B);
    expect(stored.title).toBe(title);
    // The same answer as a PATCH of a row that was in organization B all along.
    const foreign = await world.actors.ownerA.caller.api('PATCH', `${feature.routePath}/${world.rows.tickets.B[0]}`, {
      title: 'x',
    });
    expect(foreign.status).toBeGreaterThanOrEqual(400);
    expect({ status: res.status, body: res.body }).toEqual({ status: foreign.status, body: foreign.body });
  });
});
