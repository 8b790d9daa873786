/**
 * Masking: ≥ 1,000 records with random secret values per masked column (fixed seed), read back
 * by every role through every path that carries rows (list pages, get, batch results, create and
 * update echoes, error bodies). A role outside `show` must never see a raw value anywhere in the
 * response text and must see the documented mask format; a role inside must see the raw value.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FeatureModel, MaskModel } from '../../src/compiler/model/ir.js';
import { createBody, createKeys, secretValue } from './values.js';
import { createWorld, SEED, type Actor, type World } from './world.js';

let world: World;
beforeAll(async () => {
  world = await createWorld('attack-mask', 1);
}, 120_000);
afterAll(async () => world?.t.close());

const RECORDS = 1000;
const FORMAT: Record<string, RegExp> = {
  email: /^.\*\*\*@.?\*\*\*\.[a-z]+$/,
  phone: /^\*+\d{4}$/,
  ssn: /^\*+\d{4}$/,
  creditCard: /^\*+\d{4}$/,
  name: /^(.\*\*\* ?)+$/,
  redact: /^\[REDACTED\]$/,
};

function sees(mask: MaskModel, actor: Actor, row: Record<string, unknown>): boolean {
  if (mask.show.roles.some((r) => actor.roles.includes(r))) return true;
  return mask.show.owner !== undefined && actor.userId !== null && row[mask.show.owner] === actor.userId;
}

async function seed(feature: FeatureModel, writer: Actor, masked: string[]): Promise<Map<string, string>> {
  const values = fc.sample(fc.tuple(...masked.map((k) => secretValue(feature.masking[k].type))), {
    numRuns: RECORDS,
    seed: SEED,
  });
  const secrets = new Map<string, string>();
  for (let start = 0; start < RECORDS; start += 100) {
    const records = values.slice(start, start + 100).map((tuple, i) => ({
      ...createBody(feature, start + i, (t) => world.rows[t]?.A[0]),
      ...Object.fromEntries(masked.map((k, j) => [k, tuple[j]])),
    }));
    const res = await writer.caller.api('POST', `${feature.routePath}/batch`, { records });
    expect(res.status).toBe(201);
    for (const [i, row] of res.body.success.entries())
      for (const [j, k] of masked.entries())
        secrets.set(`${row[feature.id.key]}:${k}`, String(records[i][k] ?? values[start + i][j]));
    scan(feature, writer, JSON.stringify(res.body), res.body.success, secrets);
  }
  return secrets;
}

const leaks: unknown[] = [];
const wrongFormat: unknown[] = [];
const hidden: unknown[] = [];
let checked = 0;

/** Every row of a response, judged column by column, and the whole text searched for raw values of hidden cells. */
function scan(
  feature: FeatureModel,
  actor: Actor,
  text: string,
  rows: Record<string, unknown>[],
  secrets: Map<string, string>,
) {
  for (const row of rows) {
    for (const [key, mask] of Object.entries(feature.masking)) {
      const raw = secrets.get(`${row[feature.id.key]}:${key}`);
      if (raw === undefined || !(key in row)) continue;
      checked++;
      if (sees(mask, actor, row)) {
        if (row[key] !== raw) hidden.push({ actor: actor.name, key, got: row[key] });
      } else {
        if (text.includes(raw)) leaks.push({ actor: actor.name, key, raw });
        if (!FORMAT[mask.type]?.test(String(row[key]))) wrongFormat.push({ actor: actor.name, key, got: row[key] });
      }
    }
  }
}

describe('masking', () => {
  it('never reveals a masked value to a role outside show, on any response path', async () => {
    const features = world.features.filter((f) =>
      Object.keys(f.masking).some((k) => createKeys(f).includes(k)) && f.batch.create
    );
    expect(features.length).toBeGreaterThan(0);
    const readers = (['ownerA', 'adminA', 'memberA'] as const).map((n) => world.actors[n]);
    for (const feature of features) {
      const masked = Object.keys(feature.masking).filter((k) => createKeys(feature).includes(k));
      const secrets = await seed(feature, world.actors.memberA, masked);
      for (const reader of readers) {
        for (let offset = 0;; offset += 100) {
          const page = await reader.caller.api('GET', `${feature.routePath}?limit=100&offset=${offset}`);
          scan(feature, reader, JSON.stringify(page.body), page.body.data, secrets);
          if (!page.body.pagination.hasMore) break;
        }
        const ids = [...secrets.keys()].slice(0, 40).map((k) => k.split(':')[0]);
        for (const id of ids) {
          const res = await reader.caller.api('GET', `${feature.routePath}/${id}`);
          scan(feature, reader, JSON.stringify(res.body), [res.body], secrets);
        }
        for (const key of masked) {
          const raw = secrets.values().next().value!;
          const probe = await reader.caller.api(
            'GET',
            `${feature.routePath}?${key}=${encodeURIComponent(raw)}&search=${encodeURIComponent(raw)}&sort=${key}`,
          );
          scan(feature, reader, JSON.stringify(probe.body), probe.body.data ?? [], secrets);
          const bad = await reader.caller.api('POST', feature.routePath, {
            ...createBody(feature, 1, (t) => world.rows[t]?.A[0]),
            [key]: { raw },
          });
          if (JSON.stringify(bad.body).includes(raw)) leaks.push({ actor: reader.name, key, path: 'error body' });
        }
      }
    }
    console.log(
      `[attack] masking: ${checked} masked cells checked across ${readers.length} roles (seed ${SEED}), ${leaks.length} leaks, ${wrongFormat.length} wrong formats, ${hidden.length} hidden from allowed roles`,
    );
    expect(leaks.slice(0, 5)).toEqual([]);
    expect(wrongFormat.slice(0, 5)).toEqual([]);
    expect(hidden.slice(0, 5)).toEqual([]);
    expect(checked).toBeGreaterThanOrEqual(RECORDS * readers.length);
  }, 180_000);
});
