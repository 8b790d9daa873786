/**
 * Mass assignment: every property a client may not write (id, scope and audit columns, and the
 * fields the guards keep out of create or update) is injected into otherwise valid creates and
 * updates, with random values (fixed seed). Each must be refused by the guards and persist nothing.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anyValue, createBody, createKeys, updateBody, updateKeys } from './values.js';
import { createWorld, SEED, snapshotRows, type World } from './world.js';

let world: World;
beforeAll(async () => {
  world = await createWorld('attack-mass');
}, 120_000);
afterAll(async () => world?.t.close());

const RUNS_PER_FIELD = 5;

describe('mass assignment', () => {
  it('refuses every non-writable property on create and update, and persists none of them', async () => {
    const owner = world.actors.ownerA;
    let attempts = 0;
    const persisted: unknown[] = [];
    const unguarded: unknown[] = [];
    for (const feature of world.features) {
      const createOk = new Set(createKeys(feature));
      const updateOk = new Set(updateKeys(feature));
      const id = world.rows[feature.name].A[0];
      const patch = updateBody(feature, 1) ?? {};
      for (const field of feature.fields) {
        for (const op of ['create', 'update'] as const) {
          if ((op === 'create' ? createOk : updateOk).has(field.key)) continue;
          await fc.assert(
            fc.asyncProperty(anyValue(field), async (value) => {
              attempts++;
              const count = world.t.countRows(feature.table.sqlName);
              const before = snapshotRows(world, feature, [id]);
              const res = op === 'create'
                ? await owner.caller.api('POST', feature.routePath, {
                  ...createBody(feature, attempts, (t) => world.rows[t]?.A[0]),
                  [field.key]: value,
                })
                : await owner.caller.api('PATCH', `${feature.routePath}/${id}`, { ...patch, [field.key]: value });
              if (res.status !== 400 || res.body.layer !== 'guards')
                unguarded.push({
                  feature: feature.name,
                  op,
                  field: field.key,
                  status: res.status,
                  code: res.body.code,
                });
              if (world.t.countRows(feature.table.sqlName) !== count || snapshotRows(world, feature, [id]) !== before)
                persisted.push({ feature: feature.name, op, field: field.key, value });
            }),
            { numRuns: RUNS_PER_FIELD, seed: SEED },
          );
        }
      }
    }
    console.log(
      `[attack] mass assignment: ${attempts} attempts (seed ${SEED}), ${persisted.length} persisted, ${unguarded.length} not refused by the guards`,
    );
    expect(persisted).toEqual([]);
    expect(unguarded).toEqual([]);
    expect(attempts).toBeGreaterThan(100);
  }, 120_000);
});
