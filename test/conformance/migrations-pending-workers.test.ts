/**
 * Issue #30 part 2 on Cloudflare Workers + D1 (miniflare under workerd, real HTTP): before the D1
 * migrations are applied the Worker answers 503 DATABASE_MIGRATIONS_PENDING naming the wrangler
 * script, sign-up included (Better Auth's own client), and /health says so; migrations applied the
 * way wrangler records them (d1_migrations) heal the running Worker. A new column compiled but not
 * applied is pending again after the Worker is rebuilt.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { compile } from '../../src/compiler/index.js';
import { createCaller } from '../helpers/client.js';
import { copyFixture } from '../helpers/project.js';
import { CLOUDFLARE, migrate, startWorker } from '../helpers/worker.js';

const root = copyFixture('helpdesk', 'pending-cf', { config: CLOUDFLARE });
const workers: { mf: { dispose(): Promise<void> } }[] = [];
afterAll(async () => {
  for (const w of workers) await w.mf.dispose();
  rmSync(root, { recursive: true, force: true });
});

async function health(baseURL: string) {
  const res = await fetch(`${baseURL}/health`);
  return { status: res.status, body: await res.json() };
}

async function healed(baseURL: string): Promise<void> {
  for (let i = 0; i < 100 && (await fetch(`${baseURL}/health`)).status !== 200; i++)
    await new Promise((r) => setTimeout(r, 100));
}

const PENDING = { status: 503, body: { status: 'error', database: 'migrations pending' } };
const credentials = () => ({
  email: `ann-${Math.random().toString(36).slice(2, 8)}@example.com`,
  password: 'correct-horse-battery',
  name: 'Ann',
});

describe('pending migrations on Workers + D1', () => {
  it(
    'unmigrated D1: sign-up 503 with the wrangler script in the hint; applying the migrations heals the running Worker',
    async () => {
      await compile({ cwd: root });
      const w = await startWorker(root, { migrate: false });
      workers.push(w);
      expect(await health(w.baseURL)).toEqual(PENDING);
      const ann = createCaller(fetch, w.baseURL);
      const refused = await ann.auth.signUp.email(credentials());
      expect(refused.error).toMatchObject({ status: 503, code: 'DATABASE_MIGRATIONS_PENDING' });
      expect((refused.error as { hint?: string }).hint).toContain('npm run db:migrate:local');
      expect((await fetch(`${w.baseURL}/openapi.json`)).status).toBe(200);

      await migrate(w.mf, root, w.wrangler.name);
      await healed(w.baseURL);
      expect(await health(w.baseURL)).toEqual({ status: 200, body: { status: 'ok' } });
      expect((await ann.auth.signUp.email(credentials())).error).toBeNull();
      await workers.pop()!.mf.dispose();
    },
    120_000,
  );

  it(
    'a new column compiled, not applied: 503 on the API and /health of the rebuilt Worker; applied → 200',
    async () => {
      const file = path.join(root, 'quickback', 'features', 'tickets', 'tickets.ts');
      writeFileSync(
        file,
        readFileSync(file, 'utf8').replace(
          '    assigneeId: q.text().optional(),',
          '    assigneeId: q.text().optional(),\n    channel: q.text().optional(),',
        ),
      );
      await compile({ cwd: root });
      const w = await startWorker(root, { migrate: false });
      workers.push(w);
      expect(await health(w.baseURL)).toEqual(PENDING);
      const ann = createCaller(fetch, w.baseURL);
      expect((await ann.api('GET', '/api/v1/tickets')).body).toMatchObject({ code: 'DATABASE_MIGRATIONS_PENDING' });
      await migrate(w.mf, root, w.wrangler.name);
      await healed(w.baseURL);
      expect(await health(w.baseURL)).toEqual({ status: 200, body: { status: 'ok' } });
      expect((await ann.auth.signUp.email(credentials())).error).toBeNull();
      expect((await ann.api('GET', '/api/v1/tickets')).status).not.toBe(503);
    },
    120_000,
  );
});
