/**
 * BFLA: every route × method × role cell of every feature, run once each. A cell the oracle
 * denies must never answer 2xx (batches: no item may succeed); a cell it allows must answer 2xx,
 * which proves the matrix can fail both ways. Rows are taken from the caller's own tenant.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AccessModel, FeatureModel } from '../../src/compiler/model/ir.js';
import { apiRow, granted, hasScope, passes, visible } from './oracle.js';
import { createBody, sampleInput, updateBody } from './values.js';
import { createWorld, type Actor, type World } from './world.js';

let world: World;
beforeAll(async () => {
  world = await createWorld('attack-bfla');
}, 120_000);
afterAll(async () => world?.t.close());

interface Cell {
  feature: string;
  route: string;
  actor: string;
  expected: boolean;
  status: number;
  ok: boolean;
}

/** A fresh row in the actor's tenant, made by someone allowed to (the actor for owner-scoped tables). */
async function freshRow(feature: FeatureModel, actor: Actor, i: number): Promise<string | undefined> {
  const maker = feature.scope.owner ? actor : world.actors[actor.org === 'B' ? 'ownerB' : 'ownerA'];
  if (maker.userId === null) return world.rows[feature.name].A[0];
  const org = maker.org ?? 'A';
  const res = await maker.caller.api(
    'POST',
    feature.routePath,
    createBody(feature, 100 + i, (t) => world.rows[t]?.[org][0]),
  );
  return res.status === 201 ? String(res.body[feature.id.key]) : world.rows[feature.name].A[0];
}

async function cells(feature: FeatureModel, actor: Actor, i: number): Promise<Cell[]> {
  const out: Cell[] = [];
  const scope = hasScope(feature, actor);
  const org = actor.org ?? 'A';
  const record = (route: string, expected: boolean, res: { status: number; body: unknown }) =>
    out.push({ feature: feature.name, route, actor: actor.name, expected, status: res.status, ok: granted(res) });
  const rowAllows = (rule: AccessModel, id: string) => {
    const row = apiRow(feature, world.t.readRow(feature.table.sqlName, id))!;
    return scope && visible(feature, actor, row, world.orgIds) && passes(rule, actor, world.orgIds, row);
  };
  const a = feature.access;
  record('GET /', scope && passes(a.read, actor, world.orgIds), await actor.caller.api('GET', feature.routePath));
  for (const view of feature.views)
    record(
      `GET /views/${view.name}`,
      scope && passes(view.access, actor, world.orgIds),
      await actor.caller.api('GET', `${feature.routePath}/views/${view.name}`),
    );
  const body = createBody(feature, 200 + i, (t) => world.rows[t]?.[org][0]);
  record(
    'POST /',
    scope && passes(a.create, actor, world.orgIds),
    await actor.caller.api('POST', feature.routePath, body),
  );
  if (feature.batch.create)
    record(
      'POST /batch',
      scope && passes(a.create, actor, world.orgIds),
      await actor.caller.api('POST', `${feature.routePath}/batch`, { records: [body] }),
    );
  const id = (await freshRow(feature, actor, i))!;
  record('GET /:id', rowAllows(a.read, id), await actor.caller.api('GET', `${feature.routePath}/${id}`));
  const patch = updateBody(feature, i);
  if (patch) {
    const expected = rowAllows(a.update, id);
    record('PATCH /:id', expected, await actor.caller.api('PATCH', `${feature.routePath}/${id}`, patch));
    if (feature.batch.update)
      record(
        'PATCH /batch',
        rowAllows(a.update, id),
        await actor.caller.api('PATCH', `${feature.routePath}/batch`, {
          records: [{ ...patch, [feature.id.key]: id }],
        }),
      );
  }
  const doomed = (await freshRow(feature, actor, i + 50))!;
  if (feature.batch.delete) {
    const other = (await freshRow(feature, actor, i + 70))!;
    record(
      'DELETE /batch',
      rowAllows(a.delete, other),
      await actor.caller.api('DELETE', `${feature.routePath}/batch`, { ids: [other] }),
    );
  }
  record(
    'DELETE /:id',
    rowAllows(a.delete, doomed),
    await actor.caller.api('DELETE', `${feature.routePath}/${doomed}`),
  );
  for (const action of feature.actions) {
    const input = action.method === 'GET' ? undefined : sampleInput(action.input);
    // Unsafe actions need a platform admin, and the cast has none: every cell is a deny cell.
    if (action.kind === 'standalone') {
      const expected = !action.unsafe && scope && passes(action.access, actor, world.orgIds);
      record(`${action.method} ${action.path}`, expected, await actor.caller.api(action.method, action.path, input));
      continue;
    }
    const target = (await freshRow(feature, actor, i + 90))!;
    record(
      `${action.method} /:id/${action.name}`,
      !action.unsafe && rowAllows(action.access, target),
      await actor.caller.api(action.method, `${feature.routePath}/${target}/${action.name}`, input),
    );
  }
  return out;
}

describe('BFLA matrix', () => {
  it('answers every denied cell with a non-2xx and every allowed cell with a 2xx', async () => {
    const all: Cell[] = [];
    let i = 0;
    for (const feature of world.features)
      for (const actor of Object.values(world.actors)) all.push(...(await cells(feature, actor, i++)));
    const leaks = all.filter((c) => !c.expected && c.ok);
    const refused = all.filter((c) => c.expected && !c.ok);
    console.log(
      `[attack] BFLA: ${all.length} cells (${all.filter((c) => !c.expected).length} deny, ${
        all.filter((c) => c.expected).length
      } allow), ${leaks.length} leaks, ${refused.length} wrongly refused`,
    );
    expect(leaks).toEqual([]);
    expect(refused).toEqual([]);
    expect(all.filter((c) => !c.expected).length).toBeGreaterThan(20);
    expect(all.filter((c) => c.expected).length).toBeGreaterThan(20);
  }, 120_000);
});
