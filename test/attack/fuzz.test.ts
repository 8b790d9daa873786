/**
 * Fuzzing: random JSON and non-JSON bodies, content types, query strings and path ids (fixed
 * seed) on every route of every feature, as several callers, on SQLite and on PostgreSQL (where
 * NUL is refused by the database itself). Values include NUL and unpaired surrogates. No response
 * may be a 5xx, every error must be the `{ error, layer, code }` body, and a URL carrying NUL or an
 * unpaired surrogate always answers 400 VALIDATION_FAILED. Whatever the app logged meanwhile holds
 * none of the callers' cookies and session tokens, nor BETTER_AUTH_SECRET (issue #31 part 3).
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureConsole, expectNoSecrets, jarSecrets } from '../helpers/no-secrets.js';
import { pgInProcessTarget } from '../helpers/pg-target.js';
import { SECRET } from '../helpers/project.js';
import { unstorableText, UNSTORABLE } from './values.js';
import { createWorld, SEED, type World } from './world.js';

const NEON: [string, string] = ['defineDatabase("better-sqlite3"', 'defineDatabase("neon"'];
const targets: [string, () => Promise<World>][] = [
  ['SQLite', () => createWorld('attack-fuzz', 2)],
  ['PostgreSQL', () => createWorld('attack-fuzz-pg', 2, (root) => pgInProcessTarget(root, 'attack_fuzz'), [NEON])],
];

/** encodeURIComponent, except that an unpaired surrogate goes out as its 3 UTF-8-style bytes (what a careless client sends) instead of throwing. */
function encodeLoose(text: string): string {
  return text.replace(/[\uD800-\uDBFF][\uDC00-\uDFFF]|[\s\S]/g, (ch) => {
    const unit = ch.charCodeAt(0);
    if (ch.length === 1 && unit >= 0xd800 && unit <= 0xdfff)
      return [0xe0 | (unit >> 12), 0x80 | ((unit >> 6) & 0x3f), 0x80 | (unit & 0x3f)].map((b) =>
        `%${b.toString(16).toUpperCase()}`
      ).join('');
    return encodeURIComponent(ch);
  });
}

/** NUL or a surrogate as percent-encoded in a URL (ED A0..BF starts only surrogates; %2500 is a literal "%00"). */
const ENCODED_UNSTORABLE = /%00|%ED%[AB][0-9A-F]/i;

const RUNS = 2500;
const METHODS = ['GET', 'POST', 'PATCH', 'PUT', 'DELETE'];
const RESERVED = ['limit', 'offset', 'sort', 'order', 'fields', 'search', 'total', 'view', 'organizationId'];
const OPS = ['', '.eq', '.ne', '.gt', '.gte', '.lt', '.lte', '.in', '.like', '.isNull', '.between', '.nope'];

const nasty = fc.oneof(
  fc.string(),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.constantFrom(
    '',
    '..',
    '%00',
    '%',
    '\\',
    "' OR 1=1 --",
    'null',
    '-1',
    '1e309',
    '9'.repeat(40),
    'x'.repeat(3000),
    '__proto__',
    'constructor',
  ),
  fc.integer().map(String),
  fc.double().map(String),
  unstorableText,
);

const textArb = fc.oneof({ weight: 3, arbitrary: fc.string() }, { weight: 1, arbitrary: unstorableText });

const json = fc.jsonValue({
  stringUnit: fc.oneof(fc.string({ minLength: 1, maxLength: 1 }), fc.constantFrom(...UNSTORABLE)),
});
const FIELDS = [
  '__proto__',
  'constructor',
  'records',
  'ids',
  'options',
  'id',
  'organizationId',
  'title',
  'reason',
  'createdAt',
];
const bodyArb = fc.oneof(
  json,
  fc.dictionary(fc.oneof(textArb, fc.constantFrom(...FIELDS)), json),
  fc.dictionary(
    fc.constantFrom(...FIELDS),
    fc.oneof(textArb, fc.array(fc.record({ title: textArb }), { maxLength: 3 })),
  ),
  fc.record({ records: fc.array(json, { maxLength: 5 }), options: json }),
  fc.record({ ids: fc.array(json, { maxLength: 5 }) }),
).map((v) => JSON.stringify(v));

describe.each(targets)('fuzzing on %s', (_name, make) => {
  let world: World;
  beforeAll(async () => {
    world = await make();
  }, 180_000);
  afterAll(async () => world?.t.close());

  it('never answers 5xx and always answers errors with the error body', async () => {
    const callers = (['ownerA', 'memberA', 'loner', 'anonymous'] as const).map((n) => world.actors[n]);
    const failures: unknown[] = [];
    let attempts = 0;
    let unstorable = 0;
    let serverErrors = 0;
    const logs = captureConsole();
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...world.features),
        fc.constantFrom(...callers),
        fc.constantFrom(...METHODS),
        fc.oneof(
          fc.constant(''),
          fc.constant('/batch'),
          fc.constant('/views/x'),
          nasty.map((id) => `/${encodeLoose(id)}`),
          fc.constant('/known'),
          fc.constant('/known/<action>'),
          fc.constant('<standalone>'),
        ),
        fc.array(
          fc.tuple(
            fc.oneof(
              fc.constantFrom(...RESERVED),
              fc.string({ maxLength: 12 }),
              fc.constantFrom('title', 'priority', 'estimate', 'done', 'customerEmail', 'ticketId'),
            ),
            fc.constantFrom(...OPS),
            nasty,
          ),
          { maxLength: 5 },
        ),
        fc.oneof(bodyArb, fc.string(), fc.constant(undefined)),
        fc.constantFrom(
          'application/json',
          'application/json; charset=utf-8',
          'text/plain',
          'application/x-www-form-urlencoded',
          'application/vnd.api+json',
          '',
        ),
        async (feature, actor, method, suffix, query, body, type) => {
          attempts++;
          const record = feature.actions.find((a) => a.kind === 'record');
          const standalone = feature.actions.find((a) => a.kind === 'standalone');
          const path = suffix === '/known'
            ? `/${world.rows[feature.name].A[0]}`
            : suffix === '/known/<action>'
            ? `/${world.rows[feature.name].A[0]}/${record?.name ?? 'nothing'}`
            : suffix === '<standalone>'
            ? (standalone ? standalone.path.slice(feature.routePath.length) || '' : '')
            : suffix;
          const qs = query.map(([k, op, v]) => `${encodeLoose(k + op)}=${encodeLoose(v)}`).join('&');
          const badUrl = ENCODED_UNSTORABLE.test(`${path}?${qs}`);
          const headers: Record<string, string> = type ? { 'content-type': type } : {};
          const res = await actor.caller.api(
            method,
            `${feature.routePath}${path}${qs ? `?${qs}` : ''}`,
            method === 'GET' ? undefined : body,
            headers,
          );
          const wellFormed = res.status < 400
            || (typeof res.body === 'object' && res.body !== null && typeof res.body.error === 'string'
              && typeof res.body.layer === 'string' && typeof res.body.code === 'string');
          if (badUrl) unstorable++;
          if (res.status >= 500) serverErrors++;
          const refused = !badUrl || (res.status === 400 && res.body?.code === 'VALIDATION_FAILED');
          if (res.status >= 500 || !wellFormed || !refused)
            failures.push({
              method,
              path: `${feature.routePath}${path}?${qs}`,
              body: body?.slice(0, 200),
              type,
              status: res.status,
              response: JSON.stringify(res.body).slice(0, 300),
            });
        },
      ),
      { numRuns: RUNS, seed: SEED },
    ).finally(logs.restore);
    expectNoSecrets(logs.output(), {
      BETTER_AUTH_SECRET: SECRET,
      ...Object.assign({}, ...callers.map((a, i) => jarSecrets(`caller ${i}`, a.caller.jar))),
    });
    console.log(
      `[attack] fuzz on ${world.t.name}: ${attempts} requests (seed ${SEED}; ${unstorable} with NUL or an unpaired surrogate in the URL): ${serverErrors} answered ≥ 500; ${failures.length} failed (≥ 500, malformed, or such a URL not refused)`,
    );
    expect(failures.slice(0, 5)).toEqual([]);
    expect(unstorable).toBeGreaterThan(100);
  }, 300_000);
});
