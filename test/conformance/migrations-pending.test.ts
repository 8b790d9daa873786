/**
 * Issue #30 part 2 on Node + SQLite: an app whose databases are behind the migrations it ships
 * answers 503 DATABASE_MIGRATIONS_PENDING with the command that fixes it (Better Auth's sign-up
 * included, through Better Auth's own client), /health says so, and `quickback migrate` heals the
 * running server without a restart. The real `quickback` bin, the app as its own process, real HTTP.
 */
import Database from 'better-sqlite3';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { applyMigrations } from '../../src/compiler/migrate/apply.js';
import { runCli } from '../cli/run-cli.js';
import { createCaller, signUp } from '../helpers/client.js';
import { copyFixture } from '../helpers/project.js';
import { hasBun, startServer } from '../helpers/server.js';
import { databaseFiles, inProcessTarget } from '../helpers/target.js';

const roots: string[] = [];
const servers: { stop(): Promise<void> }[] = [];
afterAll(async () => {
  for (const server of servers) await server.stop();
  for (const root of roots) rmSync(root, { recursive: true, force: true });
});

async function start(root: string, split: boolean, runtime: 'node' | 'bun' = 'node') {
  const server = await startServer(root, runtime, split, { unhealthy: true });
  servers.push(server);
  return server;
}

async function health(baseURL: string) {
  const res = await fetch(`${baseURL}/health`);
  return { status: res.status, body: await res.json() };
}

/** Polls /health until it is 200 (the app checks again at most once a second while pending). */
async function healed(baseURL: string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if ((await fetch(`${baseURL}/health`)).status === 200) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('/health did not turn 200 after the migration');
}

const PENDING = { status: 503, body: { status: 'error', database: 'migrations pending' } };
const credentials = () => ({
  email: `ann-${Math.random().toString(36).slice(2, 8)}@example.com`,
  password: 'correct-horse-battery',
  name: 'Ann',
});

describe('pending migrations on Node + SQLite (libsql, one database)', () => {
  const root = copyFixture('solo', 'pending-solo');
  roots.push(root);

  it(
    'sign-up answers 503 with the code and hint before the first migration, and works after quickback migrate (no restart)',
    async () => {
      expect((await runCli(['compile', '--cwd', root])).code).toBe(0);
      const server = await start(root, false);
      expect(await health(server.baseURL)).toEqual(PENDING);
      const ann = createCaller(fetch, server.baseURL);
      const refused = await ann.auth.signUp.email(credentials());
      expect(refused.error).toMatchObject({ status: 503, code: 'DATABASE_MIGRATIONS_PENDING', layer: 'database' });
      expect((refused.error as { hint?: string }).hint).toContain('npm run db:migrate');
      expect((await ann.api('GET', '/api/v1/bookmarks')).body).toMatchObject({ code: 'DATABASE_MIGRATIONS_PENDING' });
      expect((await fetch(`${server.baseURL}/openapi.json`)).status).toBe(200);

      const migrated = await runCli(['migrate', '--cwd', root]);
      expect(migrated.code, migrated.stderr).toBe(0);
      await healed(server.baseURL);
      expect(await health(server.baseURL)).toEqual({ status: 200, body: { status: 'ok' } });
      const { data, error } = await ann.auth.signUp.email(credentials());
      expect(error).toBeNull();
      expect(data?.user.id).toBeTruthy();
      expect((await ann.api('GET', '/api/v1/bookmarks')).status).toBe(200);
      await server.stop();
    },
    120_000,
  );

  it(
    'a new column compiled but not migrated: 503 on the API and /health after the restart; migrate → 200',
    async () => {
      const file = path.join(root, 'quickback', 'features', 'bookmarks', 'bookmarks.ts');
      writeFileSync(
        file,
        readFileSync(file, 'utf8').replace(
          '    userId: q.scope("user"),',
          '    note: q.text().optional(),\n    userId: q.scope("user"),',
        ),
      );
      expect((await runCli(['compile', '--cwd', root])).code).toBe(0);
      const server = await start(root, false);
      expect(await health(server.baseURL)).toEqual(PENDING);
      const ann = createCaller(fetch, server.baseURL);
      expect((await ann.auth.signUp.email(credentials())).error).toMatchObject({
        status: 503,
        code: 'DATABASE_MIGRATIONS_PENDING',
      });
      expect((await ann.api('GET', '/api/v1/bookmarks')).status).toBe(503);

      expect((await runCli(['migrate', '--cwd', root])).code).toBe(0);
      await healed(server.baseURL);
      expect((await ann.auth.signUp.email(credentials())).error).toBeNull();
      const created = await ann.api('POST', '/api/v1/bookmarks', {
        url: 'https://example.com',
        title: 'x',
        note: 'the new column',
      });
      expect(created.status).toBe(201);
      expect((await ann.api('GET', '/api/v1/bookmarks')).status).toBe(200);

      // Up to date, then the column vanishes under the running server (an undone migration): the query's
      // "no such column" checks again and answers 503 pending instead of 500.
      const sqlite = new Database(databaseFiles(root).features);
      sqlite.exec(
        'DELETE FROM __drizzle_migrations WHERE created_at = (SELECT max(created_at) FROM __drizzle_migrations); ALTER TABLE bookmarks DROP COLUMN note',
      );
      sqlite.close();
      const res = await ann.api('GET', '/api/v1/bookmarks');
      expect([res.status, res.body.code]).toEqual([503, 'DATABASE_MIGRATIONS_PENDING']);
      expect(await health(server.baseURL)).toEqual(PENDING);
      await server.stop();
    },
    120_000,
  );
});

describe('pending migrations on Node + SQLite (better-sqlite3, split auth and features databases)', () => {
  it('the auth database behind while the features database is migrated: sign-up 503 until both are', async () => {
    const root = copyFixture('helpdesk', 'pending-split');
    roots.push(root);
    expect((await runCli(['compile', '--cwd', root])).code).toBe(0);
    await applyMigrations({
      driver: 'better-sqlite3',
      url: `file:${databaseFiles(root).features}`,
      migrationsFolder: path.join(root, 'quickback/drizzle/features'),
    });
    const server = await start(root, true);
    expect(await health(server.baseURL)).toEqual(PENDING);
    const ann = createCaller(fetch, server.baseURL);
    expect((await ann.auth.signUp.email(credentials())).error).toMatchObject({
      status: 503,
      code: 'DATABASE_MIGRATIONS_PENDING',
    });
    expect((await runCli(['migrate', '--cwd', root])).code).toBe(0);
    await healed(server.baseURL);
    expect((await ann.auth.signUp.email(credentials())).error).toBeNull();
  }, 120_000);
});

describe.skipIf(!hasBun())('pending migrations on Bun + SQLite', () => {
  it('sign-up 503 DATABASE_MIGRATIONS_PENDING before quickback migrate, signed up after it (no restart)', async () => {
    const root = copyFixture('solo', 'pending-bun', { config: [['defineRuntime("node")', 'defineRuntime("bun")']] });
    roots.push(root);
    expect((await runCli(['compile', '--cwd', root])).code).toBe(0);
    const server = await start(root, false, 'bun');
    expect(await health(server.baseURL)).toEqual(PENDING);
    const ann = createCaller(fetch, server.baseURL);
    expect((await ann.auth.signUp.email(credentials())).error).toMatchObject({
      status: 503,
      code: 'DATABASE_MIGRATIONS_PENDING',
    });
    expect((await runCli(['migrate', '--cwd', root])).code).toBe(0);
    await healed(server.baseURL);
    expect((await ann.auth.signUp.email(credentials())).error).toBeNull();
  }, 120_000);
});

describe('the cost when up to date (better-sqlite3, counted at the driver)', () => {
  it('reads the migrations table once, at the first request, and never per request after it', async () => {
    const root = copyFixture('helpdesk', 'pending-cost');
    roots.push(root);
    // The app imports the same better-sqlite3 module: every statement it prepares passes here.
    const prepare = vi.spyOn(Database.prototype, 'prepare');
    const probes = () => prepare.mock.calls.filter(([text]) => String(text).includes('__drizzle_migrations')).length;
    try {
      const target = await inProcessTarget(root, 'better-sqlite3');
      const before = probes();
      const ann = await signUp(target.fetch, target.baseURL, 'Ann');
      for (let i = 0; i < 20; i++) {
        expect((await ann.api('GET', '/api/v1/tickets')).status).not.toBe(503);
        expect((await target.fetch(new Request(`${target.baseURL}/health`))).status).toBe(200);
      }
      expect(probes() - before).toBe(2); // one per database (features, auth), once
    } finally {
      prepare.mockRestore();
    }
  }, 120_000);
});
