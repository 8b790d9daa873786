/**
 * A Worker as deployed (wrangler.toml's settings and the secrets, no NODE_ENV, no development
 * marker: `.dev.vars` is never uploaded) runs with production settings under workerd: the local
 * development origins are not trusted by CORS nor by Better Auth, and Better Auth's sign-in rate
 * limit is on (repeated wrong passwords get 429). The same Worker with the development marker
 * (what `quickback dev` and the scaffolded .dev.vars set) trusts them and does not rate-limit.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyFixture } from '../helpers/project.js';
import { CLOUDFLARE, startWorker } from '../helpers/worker.js';
import { compile } from '../../src/compiler/index.js';

const DEV_ORIGINS = [
  'http://localhost:5173',
  'http://127.0.0.1:5173',
  'http://localhost:8787',
  'http://127.0.0.1:8787',
];

describe.each([['production', true], ['development', false]] as const)('a Worker in %s', (mode, production) => {
  let w: Awaited<ReturnType<typeof startWorker>>;
  beforeAll(async () => {
    const root = copyFixture('helpdesk', `cf-${mode}`, { config: CLOUDFLARE });
    await compile({ cwd: root });
    w = await startWorker(root, { production });
  }, 60_000);
  afterAll(async () => w?.mf.dispose());

  it(
    production ? 'trusts none of the development origins, only its own' : 'trusts the development origins',
    async () => {
      for (const origin of DEV_ORIGINS) {
        const preflight = await fetch(`${w.baseURL}/api/v1/tickets`, {
          method: 'OPTIONS',
          headers: { origin, 'access-control-request-method': 'POST' },
        });
        expect(preflight.status, origin).toBeLessThan(500);
        expect(preflight.headers.get('access-control-allow-origin'), origin).toBe(production ? null : origin);
      }
      // Better Auth's origin check (two origins: sign-up allows 3 attempts per 10 s once rate-limited).
      for (const origin of DEV_ORIGINS.slice(0, 2)) {
        const signUp = await fetch(`${w.baseURL}/auth/v1/sign-up/email`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', origin },
          body: JSON.stringify({
            email: `${Math.random().toString(36).slice(2)}@example.com`,
            password: 'long-enough-password',
            name: 'X',
          }),
        });
        expect(signUp.status, origin).toBe(production ? 403 : 200);
      }
      const own = await fetch(`${w.baseURL}/api/v1/tickets`, {
        method: 'OPTIONS',
        headers: { origin: w.baseURL, 'access-control-request-method': 'POST' },
      });
      expect(own.headers.get('access-control-allow-origin')).toBe(w.baseURL);
    },
  );

  it(production ? 'rate-limits repeated wrong passwords with 429' : 'does not rate-limit sign-in', async () => {
    const attempt = (ip: string, i: number, extra: Record<string, string> = {}) =>
      fetch(`${w.baseURL}/auth/v1/sign-in/email`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: w.baseURL, 'cf-connecting-ip': ip, ...extra },
        body: JSON.stringify({ email: 'nobody@example.com', password: `wrong-password-${i}` }),
      }).then((res) => res.status);
    const statuses: number[] = [];
    for (let i = 0; i < 40; i++) statuses.push(await attempt('10.0.0.1', i));
    const limited = statuses.filter((s) => s === 429).length;
    expect(statuses.filter((s) => s !== 401 && s !== 429)).toEqual([]);
    if (!production) return expect(limited).toBe(0);
    expect(limited).toBeGreaterThanOrEqual(30);
    // Per client, by the address Cloudflare sets: another client is not limited, a forged x-forwarded-for does not escape.
    expect(await attempt('10.0.0.2', 0)).toBe(401);
    expect(await attempt('10.0.0.1', 41, { 'x-forwarded-for': '203.0.113.9' })).toBe(429);
  }, 60_000);
});
