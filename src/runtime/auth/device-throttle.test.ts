import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { DEVICE_ATTEMPTS, DEVICE_WINDOW_MS, deviceThrottle } from './device-throttle.js';
import { isApiError } from '../core/errors.js';
import { memoryStore, type KeyValueStore } from './kv-store.js';

function app(now: () => number, store?: KeyValueStore) {
  const hono = new Hono();
  hono.use('/auth/v1/*', deviceThrottle('/auth/v1', now, store && (() => store)));
  // A stand-in for Better Auth: the code RIGHT is valid, anything else is a 400.
  hono.get(
    '/auth/v1/device',
    (
      c,
    ) => (c.req.query('user_code') === 'RIGHT'
      ? c.json({ status: 'pending' })
      : c.json({ error: 'invalid_request' }, 400)),
  );
  hono.post('/auth/v1/sign-in/email', (c) => c.json({ error: 'wrong password' }, 401));
  hono.onError((err, c) => (isApiError(err) ? c.json(err.toBody(), err.status as 429) : c.json({}, 500)));
  return hono;
}

const at = async (hono: Hono, code: string, ip = '203.0.113.7') =>
  hono.request(`/auth/v1/device?user_code=${code}`, { headers: { 'cf-connecting-ip': ip } });

describe('device user-code throttle', () => {
  it('counts wrong codes only, refuses past the budget with 429 and retryAfter, per client, until the window ends', async () => {
    let clock = 1_000_000;
    const hono = app(() => clock);
    for (let i = 0; i < 3; i++) expect((await at(hono, 'RIGHT')).status).toBe(200); // a right code is given back
    for (let i = 0; i < DEVICE_ATTEMPTS; i++) expect((await at(hono, `WRONG${i}`)).status).toBe(400);
    const refused = await at(hono, 'RIGHT');
    expect(refused.status).toBe(429);
    expect(await refused.json()).toMatchObject({
      code: 'AUTH_RATE_LIMITED',
      details: { retryAfter: DEVICE_WINDOW_MS / 1000 },
    });
    expect((await at(hono, 'WRONG', '198.51.100.1')).status).toBe(400); // another client has its own budget
    expect(
      (await hono.request('/auth/v1/sign-in/email', { method: 'POST', headers: { 'cf-connecting-ip': '203.0.113.7' } }))
        .status,
    ).toBe(401); // other routes untouched
    clock += DEVICE_WINDOW_MS;
    expect((await at(hono, 'RIGHT')).status).toBe(200);
  });

  it('parallel guesses cannot outrun the count', async () => {
    const hono = app(() => 0);
    const statuses = await Promise.all(
      Array.from({ length: DEVICE_ATTEMPTS * 3 }, (_, i) => at(hono, `W${i}`).then((r) => r.status)),
    );
    expect(statuses.filter((s) => s === 400).length).toBe(DEVICE_ATTEMPTS);
    expect(statuses.filter((s) => s === 429).length).toBe(DEVICE_ATTEMPTS * 2);
  });

  it("on Node the socket's peer is the client: a rotated cf-connecting-ip buys no new budget", async () => {
    const hono = app(() => 0);
    const node = { incoming: { socket: { remoteAddress: '127.0.0.1' } } };
    const guess = async (i: number) =>
      (await hono.request(
        `/auth/v1/device?user_code=W${i}`,
        { headers: { 'cf-connecting-ip': `198.51.100.${i}` } },
        node,
      )).status;
    const statuses: number[] = [];
    for (let i = 0; i < DEVICE_ATTEMPTS + 2; i++) statuses.push(await guess(i));
    expect(statuses.slice(DEVICE_ATTEMPTS)).toEqual([429, 429]);
  });

  it('with a shared store (Redis), two server processes count into one budget; right codes are given back; parallel guesses cannot outrun it', async () => {
    const store = memoryStore();
    let clock = 5 * DEVICE_WINDOW_MS;
    const [one, two] = [app(() => clock, store), app(() => clock, store)];
    for (let i = 0; i < 3; i++) expect((await at(i % 2 ? one : two, 'RIGHT')).status).toBe(200);
    const statuses = await Promise.all(
      Array.from({ length: DEVICE_ATTEMPTS * 2 }, (_, i) => at(i % 2 ? one : two, `W${i}`).then((r) => r.status)),
    );
    expect(statuses.filter((s) => s === 400).length).toBe(DEVICE_ATTEMPTS);
    for (const process of [one, two]) {
      const refused = await at(process, 'RIGHT');
      expect(refused.status).toBe(429);
      expect(await refused.json()).toMatchObject({ details: { retryAfter: DEVICE_WINDOW_MS / 1000 } });
    }
    clock += DEVICE_WINDOW_MS; // the next window
    expect((await at(two, 'WRONG')).status).toBe(400);
  });

  it('a failing shared store: each process counts on its own instead (still throttled, never a 500)', async () => {
    const broken: KeyValueStore = {
      ...memoryStore(),
      increment: async () => {
        throw new Error('Redis is not reachable');
      },
    };
    const hono = app(() => 0, broken);
    const statuses: number[] = [];
    for (let i = 0; i < DEVICE_ATTEMPTS + 1; i++) statuses.push((await at(hono, `W${i}`)).status);
    expect(statuses.at(-1)).toBe(429);
    expect(statuses.slice(0, DEVICE_ATTEMPTS).every((s) => s === 400)).toBe(true);
  });
});
