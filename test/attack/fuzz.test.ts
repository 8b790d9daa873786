/**
 * Fuzzing: random JSON and non-JSON bodies, content types, query strings and path ids (fixed
 * seed) on every route of every feature, as several callers. No response may be a 5xx, and every
 * error must be the `{ error, layer, code }` body.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorld, SEED, type World } from './world.js';

let world: World;
beforeAll(async () => { world = await createWorld('attack-fuzz', 2); }, 120_000);
afterAll(async () => world?.t.close());

const RUNS = 2500;
const METHODS = ['GET', 'POST', 'PATCH', 'PUT', 'DELETE'];
const RESERVED = ['limit', 'offset', 'sort', 'order', 'fields', 'search', 'total', 'view', 'organizationId'];
const OPS = ['', '.eq', '.ne', '.gt', '.gte', '.lt', '.lte', '.in', '.like', '.isNull', '.between', '.nope'];

const nasty = fc.oneof(
  fc.string(), fc.string({ unit: 'grapheme', maxLength: 40 }), fc.constantFrom('', '..', '%00', '%', '\\', "' OR 1=1 --", 'null', '-1', '1e309', '9'.repeat(40), 'x'.repeat(3000), '__proto__', 'constructor'),
  fc.integer().map(String), fc.double().map(String),
);

const bodyArb = fc.oneof(
  fc.jsonValue(),
  fc.dictionary(fc.oneof(fc.string(), fc.constantFrom('__proto__', 'constructor', 'records', 'ids', 'options', 'id', 'organizationId', 'title', 'createdAt')), fc.jsonValue()),
  fc.record({ records: fc.array(fc.jsonValue(), { maxLength: 5 }), options: fc.jsonValue() }),
  fc.record({ ids: fc.array(fc.jsonValue(), { maxLength: 5 }) }),
).map((v) => JSON.stringify(v));

describe('fuzzing', () => {
  it('never answers 5xx and always answers errors with the error body', async () => {
    const callers = (['ownerA', 'memberA', 'loner', 'anonymous'] as const).map((n) => world.actors[n]);
    const failures: unknown[] = [];
    let attempts = 0;
    await fc.assert(fc.asyncProperty(
      fc.constantFrom(...world.features), fc.constantFrom(...callers), fc.constantFrom(...METHODS),
      fc.oneof(fc.constant(''), fc.constant('/batch'), fc.constant('/views/x'), nasty.map((id) => `/${encodeURIComponent(id)}`), fc.constant('/known'), fc.constant('/known/<action>'), fc.constant('<standalone>')),
      fc.array(fc.tuple(fc.oneof(fc.constantFrom(...RESERVED), fc.string({ maxLength: 12 }), fc.constantFrom('title', 'priority', 'estimate', 'done', 'customerEmail', 'ticketId')), fc.constantFrom(...OPS), nasty), { maxLength: 5 }),
      fc.oneof(bodyArb, fc.string(), fc.constant(undefined)),
      fc.constantFrom('application/json', 'application/json; charset=utf-8', 'text/plain', 'application/x-www-form-urlencoded', 'application/vnd.api+json', ''),
      async (feature, actor, method, suffix, query, body, type) => {
        attempts++;
        const record = feature.actions.find((a) => a.kind === 'record');
        const standalone = feature.actions.find((a) => a.kind === 'standalone');
        const path = suffix === '/known' ? `/${world.rows[feature.name].A[0]}`
          : suffix === '/known/<action>' ? `/${world.rows[feature.name].A[0]}/${record?.name ?? 'nothing'}`
          : suffix === '<standalone>' ? (standalone ? standalone.path.slice(feature.routePath.length) || '' : '') : suffix;
        const qs = query.map(([k, op, v]) => `${encodeURIComponent(k + op)}=${encodeURIComponent(v)}`).join('&');
        const headers: Record<string, string> = type ? { 'content-type': type } : {};
        const res = await actor.caller.api(method, `${feature.routePath}${path}${qs ? `?${qs}` : ''}`, method === 'GET' ? undefined : body, headers);
        const wellFormed = res.status < 400 || (typeof res.body === 'object' && res.body !== null && typeof res.body.error === 'string' && typeof res.body.layer === 'string' && typeof res.body.code === 'string');
        if (res.status >= 500 || !wellFormed) failures.push({ method, path: `${feature.routePath}${path}?${qs}`, body: body?.slice(0, 200), type, status: res.status, response: JSON.stringify(res.body).slice(0, 300) });
      },
    ), { numRuns: RUNS, seed: SEED });
    console.log(`[attack] fuzz: ${attempts} requests (seed ${SEED}), ${failures.length} responses ≥ 500 or malformed`);
    expect(failures.slice(0, 5)).toEqual([]);
  }, 180_000);
});
