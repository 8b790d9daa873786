import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { isApiError } from '../core/errors.js';
import { migrationGate, type MigrationsOptions } from './migrations-gate.js';
import type { MigrationState } from './migrations-status.js';

/** A probe that counts its calls and answers what `answer` holds (or throws it). */
function counting(answer: { state: MigrationState | Error }) {
  const probe = { calls: 0 };
  const options: MigrationsOptions = {
    probe: async () => {
      probe.calls++;
      if (answer.state instanceof Error) throw answer.state;
      return answer.state;
    },
    hint: 'Apply them: npm run db:migrate',
    missingHint: 'Create it, then migrate: createdb app && npm run db:migrate',
  };
  return { probe, options };
}

function appWith(gate: ReturnType<typeof migrationGate>) {
  const app = new Hono();
  app.get('/health', (c) => gate.health(c));
  app.use('/api/*', gate.middleware);
  app.get('/api/things', (c) => c.json([]));
  app.get('/openapi.json', (c) => c.json({ openapi: '3.1.0' }));
  app.onError((
    err,
    c,
  ) => (isApiError(err) ? c.json(err.toBody(), err.status as 503) : c.json({ error: String(err) }, 500)));
  return app;
}

describe('migrationGate', () => {
  it('healthy: one probe at boot, then no query per request', async () => {
    const { probe, options } = counting({ state: 'ok' });
    const app = appWith(migrationGate(options));
    for (let i = 0; i < 50; i++) expect((await app.request('/api/things')).status).toBe(200);
    expect((await app.request('/health')).status).toBe(200);
    expect(await (await app.request('/health')).json()).toEqual({ status: 'ok' });
    expect(probe.calls).toBe(1);
  });

  it('pending: 503 with the code and hint, checked again at most once per second, healed without a restart', async () => {
    const answer: { state: MigrationState | Error } = { state: 'pending' };
    const { probe, options } = counting(answer);
    let now = 1_000_000;
    const app = appWith(migrationGate(options, () => now));
    const res = await app.request('/api/things');
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({
      error: 'The database is behind the migrations this app ships',
      layer: 'database',
      code: 'DATABASE_MIGRATIONS_PENDING',
      hint: 'Apply them: npm run db:migrate',
    });
    const health = await app.request('/health');
    expect([health.status, await health.json()]).toEqual([503, { status: 'error', database: 'migrations pending' }]);
    expect((await app.request('/openapi.json')).status).toBe(200);
    expect(probe.calls).toBe(1);
    now += 999;
    answer.state = 'ok';
    expect((await app.request('/api/things')).status).toBe(503);
    expect(probe.calls).toBe(1);
    now += 1;
    expect((await app.request('/api/things')).status).toBe(200);
    expect((await app.request('/api/things')).status).toBe(200);
    expect(probe.calls).toBe(2);
  });

  it('a missing database answers DATABASE_NOT_FOUND with its own hint; an unreachable server is not cached', async () => {
    const answer: { state: MigrationState | Error } = { state: 'missing' };
    const { probe, options } = counting(answer);
    let now = 0;
    const gate = migrationGate(options, () => now);
    const app = appWith(gate);
    expect(await (await app.request('/api/things')).json()).toMatchObject({
      code: 'DATABASE_NOT_FOUND',
      hint: 'Create it, then migrate: createdb app && npm run db:migrate',
    });
    expect(await (await app.request('/health')).json()).toEqual({ status: 'error', database: 'not found' });
    now += 1000;
    answer.state = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' });
    const health = await app.request('/health');
    expect([health.status, await health.json()]).toEqual([503, { status: 'error', database: 'unavailable' }]);
    expect((await app.request('/api/things')).status).toBe(500);
    expect(probe.calls).toBe(3);
  });

  it('recheck forgets an ok state (a query failed for a missing table) and probes now', async () => {
    const answer: { state: MigrationState | Error } = { state: 'ok' };
    const { probe, options } = counting(answer);
    const gate = migrationGate(options, () => 0);
    const app = appWith(gate);
    expect((await app.request('/api/things')).status).toBe(200);
    answer.state = 'pending';
    expect((await app.request('/api/things')).status).toBe(200);
    const c = {} as Parameters<typeof gate.recheck>[0];
    expect(await gate.recheck(c)).toBe('pending');
    expect((await app.request('/api/things')).status).toBe(503);
    expect(probe.calls).toBe(2);
  });
});
