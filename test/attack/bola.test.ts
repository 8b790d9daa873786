/**
 * BOLA: for every id-taking route family × caller × {foreign row, missing id}, randomized with
 * fast-check (fixed seed): a row of the other organization and an id that exists nowhere must get
 * the same status and the same body, and the other organization's rows must not change.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FeatureModel } from '../../src/compiler/model/ir.js';
import { sampleInput, updateBody } from './values.js';
import { createWorld, SEED, snapshotRows, type Actor, type World } from './world.js';

let world: World;
beforeAll(async () => {
  world = await createWorld('attack-bola', 4);
}, 120_000);
afterAll(async () => world?.t.close());

const RUNS = 1000;
type Family = 'GET /:id' | 'PATCH /:id' | 'DELETE /:id' | 'PATCH /batch' | 'DELETE /batch' | 'POST /:id/<action>';
const FAMILIES: Family[] = [
  'GET /:id',
  'PATCH /:id',
  'DELETE /:id',
  'PATCH /batch',
  'DELETE /batch',
  'POST /:id/<action>',
];

function missingId(feature: FeatureModel, n: number): string {
  if (feature.id.type === 'integer') return String(900_000 + n);
  const hex = n.toString(16).padStart(32, '0');
  return feature.id.prefix ? `${feature.id.prefix}_${hex}` : `00000000-0000-4000-8000-${hex.slice(-12)}`;
}

async function send(family: Family, feature: FeatureModel, actor: Actor, id: string, n: number) {
  const base = feature.routePath;
  const body = updateBody(feature, n) ?? {};
  switch (family) {
    case 'GET /:id':
      return actor.caller.api('GET', `${base}/${id}`);
    case 'PATCH /:id':
      return actor.caller.api('PATCH', `${base}/${id}`, body);
    case 'DELETE /:id':
      return actor.caller.api('DELETE', `${base}/${id}`);
    case 'PATCH /batch':
      return actor.caller.api('PATCH', `${base}/batch`, { records: [{ ...body, [feature.id.key]: id }] });
    case 'POST /:id/<action>': {
      const actions = feature.actions.filter((a) => a.kind === 'record');
      const action = actions[n % actions.length];
      return actor.caller.api(
        action.method,
        `${base}/${id}/${action.name}`,
        action.method === 'GET' ? undefined : sampleInput(action.input),
      );
    }
    default:
      return actor.caller.api('DELETE', `${base}/batch`, { ids: [id] });
  }
}

/** What may differ between two answers: only the id the caller sent, echoed in batch errors. */
function comparable(res: { status: number; body: any }) {
  const body = res.body?.errors
    ? { ...res.body, errors: res.body.errors.map(({ id: _echo, ...rest }: Record<string, unknown>) => rest) }
    : res.body;
  return { status: res.status, body };
}

describe('BOLA', () => {
  for (const family of FAMILIES) {
    it(`${family}: a foreign row answers exactly like a missing id, and nothing foreign changes`, async () => {
      const attackers = (['ownerA', 'adminA', 'memberA', 'loner', 'anonymous'] as const).map((n) => world.actors[n]);
      const features = world.features.filter((f) => (family.includes('<action>')
        ? f.actions.some((a) => a.kind === 'record')
        : family.includes('batch')
        ? (family.startsWith('PATCH') ? f.batch.update : f.batch.delete)
        : true)
      );
      const before = features.map((f) => snapshotRows(world, f, world.rows[f.name].B));
      let attempts = 0;
      const mismatches: unknown[] = [];
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom(...features),
          fc.constantFrom(...attackers),
          fc.nat({ max: 3 }),
          fc.nat({ max: 1_000_000 }),
          async (feature, actor, pick, n) => {
            const foreignIds = world.rows[feature.name].B;
            const foreign = await send(family, feature, actor, foreignIds[pick % foreignIds.length], n);
            const missing = await send(family, feature, actor, missingId(feature, n), n);
            attempts++;
            if (JSON.stringify(comparable(foreign)) !== JSON.stringify(comparable(missing)))
              mismatches.push({
                feature: feature.name,
                actor: actor.name,
                foreign: comparable(foreign),
                missing: comparable(missing),
              });
            return foreign.status < 200 || foreign.status >= 300 || family.includes('batch');
          },
        ),
        { numRuns: RUNS, seed: SEED },
      );
      const after = features.map((f) => snapshotRows(world, f, world.rows[f.name].B));
      const changed = features.filter((_, i) => before[i] !== after[i]).map((f) => f.name);
      console.log(
        `[attack] BOLA ${family}: ${attempts} attempts (seed ${SEED}), ${mismatches.length} foreign/missing differences, ${changed.length} foreign tables changed`,
      );
      expect(mismatches.slice(0, 3)).toEqual([]);
      expect(changed).toEqual([]);
      expect(attempts).toBeGreaterThanOrEqual(RUNS);
    }, 120_000);
  }
});
