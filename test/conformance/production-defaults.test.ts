/**
 * Production is the default on Node too: the helpdesk app started without the development marker
 * (and without NODE_ENV, as a plain `npm start` may be) trusts none of the local development
 * origins, and Better Auth's sign-in rate limit is on (repeated wrong passwords get 429), per
 * client (x-forwarded-for).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyFixture } from '../helpers/project.js';
import { inProcessTarget, type ConformanceTarget } from '../helpers/target.js';

describe('a Node app without the development marker', () => {
  let t: ConformanceTarget;
  beforeAll(async () => {
    t = await inProcessTarget(copyFixture('helpdesk', 'node-production'), 'better-sqlite3', true, {
      QUICKBACK_DEV: '',
      NODE_ENV: '',
    });
  }, 60_000);
  afterAll(async () => t?.close());

  it('trusts none of the development origins', async () => {
    for (const origin of ['http://localhost:5173', 'http://127.0.0.1:5173', 'http://localhost:3000']) {
      const res = await t.fetch(
        new Request(`${t.baseURL}/api/v1/tickets`, {
          method: 'OPTIONS',
          headers: { origin, 'access-control-request-method': 'POST' },
        }),
      );
      expect(res.headers.get('access-control-allow-origin'), origin).toBeNull();
    }
  });

  it('rate-limits repeated wrong passwords with 429, per client', async () => {
    const attempt = (ip: string, i: number) =>
      t.fetch(new Request(`${t.baseURL}/auth/v1/sign-in/email`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: t.baseURL, 'x-forwarded-for': ip },
        body: JSON.stringify({ email: 'nobody@example.com', password: `wrong-password-${i}` }),
      })).then((r) => r.status);
    const statuses: number[] = [];
    for (let i = 0; i < 10; i++) statuses.push(await attempt('10.1.1.1', i));
    expect(statuses.filter((s) => s !== 401 && s !== 429)).toEqual([]);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(5);
    expect(await attempt('10.1.1.2', 0)).toBe(401);
  }, 60_000);
});
