/**
 * NUL (U+0000) and unpaired surrogates in every place a request carries text: JSON bodies (top
 * level, nested, keys), batch records, action inputs, list filters, search, sort, path ids, the
 * API key parameter and Better Auth's own bodies. Each answers 400 VALIDATION_FAILED naming the
 * field, the same on SQLite, PostgreSQL and Workers + D1, and nothing is written.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pgInProcessTarget } from '../helpers/pg-target.js';
import { CLOUDFLARE, workerTarget } from '../helpers/worker.js';
import { createWorld, type World } from './world.js';

const NEON: [string, string] = ['defineDatabase("better-sqlite3"', 'defineDatabase("neon"'];

const targets: [string, (label: string) => Promise<World>][] = [
  ['SQLite', (label) => createWorld(label, 1)],
  ['PostgreSQL', (label) => createWorld(label, 1, (root) => pgInProcessTarget(root, label.replace(/-/g, '_')), [NEON])],
  ['Workers + D1 (real HTTP)', (label) => createWorld(label, 1, (root) => workerTarget(root), CLOUDFLARE)],
];

/** Raw JSON text: JSON.stringify would keep the escapes, but these are the bytes a client sends. */
const NUL_TITLE = '{"title":"a\\u0000b"}';
const HIGH_TITLE = '{"title":"a\\ud800b"}';
const LOW_TITLE = '{"title":"\\udc00"}';

describe.each(targets)('NUL and unpaired surrogates on %s', (name, make) => {
  let world: World;
  beforeAll(async () => {
    world = await make(`bad-text-${name.split(' ')[0].toLowerCase()}`);
  }, 180_000);
  afterAll(async () => world?.t.close());

  const owner = () => world.actors.ownerA.caller;
  const ticket = () => world.rows.tickets.A[0];
  async function refused(method: string, path: string, body: string | undefined, field: string): Promise<void> {
    const before = world.t.countRows('tickets');
    const res = await owner().api(method, path, body);
    expect({ status: res.status, code: res.body?.code, layer: res.body?.layer }, `${method} ${path} ${body ?? ''}`)
      .toEqual({ status: 400, code: 'VALIDATION_FAILED', layer: 'validation' });
    expect(Object.keys(res.body.details.fields)).toEqual([field]);
    expect(world.t.countRows('tickets')).toBe(before);
  }

  it('refuses them in create and update bodies, naming the field', async () => {
    await refused('POST', '/api/v1/tickets', NUL_TITLE, 'title');
    await refused('POST', '/api/v1/tickets', HIGH_TITLE, 'title');
    await refused('POST', '/api/v1/tickets', LOW_TITLE, 'title');
    await refused('POST', '/api/v1/tickets', '{"title":"ok","ti\\u0000tle":"x"}', 'ti\u0000tle');
    const stored = JSON.stringify(world.t.readRow('tickets', ticket()));
    await refused('PATCH', `/api/v1/tickets/${ticket()}`, NUL_TITLE, 'title');
    await refused('PATCH', `/api/v1/tickets/${ticket()}`, HIGH_TITLE, 'title');
    expect(JSON.stringify(world.t.readRow('tickets', ticket()))).toBe(stored);
  });

  it('refuses them nested in batch records and action inputs', async () => {
    await refused(
      'POST',
      '/api/v1/tickets/batch',
      '{"records":[{"title":"fine"},{"title":"x\\u0000"}]}',
      'records.1.title',
    );
    await refused('POST', `/api/v1/tickets/${ticket()}/escalate`, '{"reason":"because\\ud83d"}', 'reason');
  });

  it('refuses them in filters, search, sort, other parameters and path ids', async () => {
    await refused('GET', '/api/v1/tickets?customerEmail.eq=%00', undefined, 'customerEmail');
    await refused('GET', '/api/v1/tickets?priority.in=low,%00', undefined, 'priority');
    await refused('GET', '/api/v1/tickets?search=a%00b', undefined, 'search');
    await refused('GET', '/api/v1/tickets?sort=title%00', undefined, 'sort');
    await refused('GET', '/api/v1/tickets?view=%00', undefined, 'view');
    await refused('GET', '/api/v1/tickets/open-count?assigneeId=%00', undefined, 'assigneeId');
    await refused('GET', '/api/v1/tickets?search=%ED%A0%80', undefined, 'search');
    await refused('GET', '/api/v1/tickets/%00', undefined, 'path');
    await refused('PATCH', '/api/v1/tickets/tk%00', '{"title":"fine"}', 'path');
    await refused('DELETE', '/api/v1/tickets/%ED%B0%80', undefined, 'path');
  });

  it('refuses them before authentication (an API key parameter) and in Better Auth bodies', async () => {
    const anonymous = world.actors.anonymous.caller;
    const res = await anonymous.api('GET', '/api/v1/tickets?api_key=qb_%00');
    expect([res.status, res.body.code, Object.keys(res.body.details.fields)]).toEqual([400, 'VALIDATION_FAILED', [
      'api_key',
    ]]);
    const signUp = await anonymous.api(
      'POST',
      '/auth/v1/sign-up/email',
      '{"email":"nul@example.com","password":"correct-horse-battery","name":"a\\u0000b"}',
    );
    expect([signUp.status, signUp.body.code, Object.keys(signUp.body.details.fields)]).toEqual([
      400,
      'VALIDATION_FAILED',
      ['name'],
    ]);
    const signIn = await anonymous.api('GET', '/auth/v1/verify-email?token=%00');
    expect([signIn.status, signIn.body.code]).toEqual([400, 'VALIDATION_FAILED']);
  });

  it('still stores and finds the characters around them (an emoji is a valid surrogate pair)', async () => {
    const created = await owner().api('POST', '/api/v1/tickets', { title: 'pair 😀 and ü' });
    expect(created.status).toBe(201);
    const found = await owner().api('GET', `/api/v1/tickets?search=${encodeURIComponent('😀')}`);
    expect(found.body.data.map((r: { title: string }) => r.title)).toEqual(['pair 😀 and ü']);
  });
});
