/**
 * Issue #30 part 2 on PostgreSQL (neon config, node-postgres to the local server): an unmigrated
 * database answers 503 DATABASE_MIGRATIONS_PENDING until `quickback migrate` (no restart); a
 * database that does not exist 503 DATABASE_NOT_FOUND with the createdb command; a server that
 * does not answer 503 DATABASE_UNAVAILABLE. The real bin, the app as its own process, Better
 * Auth's own client, real HTTP.
 */
import { rmSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../cli/run-cli.js';
import { createCaller } from '../helpers/client.js';
import { createTestDatabase, PGLITE, type TestDatabase } from '../helpers/postgres.js';
import { copyFixture, SECRET } from '../helpers/project.js';
import { freePort, startServer } from '../helpers/server.js';
import { expectNoSecrets } from '../helpers/no-secrets.js';

const NEON: [string, string][] = [['defineDatabase("better-sqlite3"', 'defineDatabase("neon"']];
const root = copyFixture('helpdesk', 'pending-pg', { config: NEON });
const databases: TestDatabase[] = [];
const servers: { stop(): Promise<void> }[] = [];
afterAll(async () => {
  for (const server of servers) await server.stop();
  for (const database of databases) await database.drop();
  rmSync(root, { recursive: true, force: true });
});

async function start(url: string) {
  const server = await startServer(root, 'node', false, { env: { DATABASE_URL: url }, unhealthy: true });
  servers.push(server);
  return { ...server, ann: createCaller(fetch, server.baseURL) };
}

async function health(baseURL: string) {
  const res = await fetch(`${baseURL}/health`);
  return { status: res.status, body: await res.json() };
}

/** A session cookie sent while the database is down (issue #31 part 3: it must not reach the log). */
const FORGED = `${'Qx7'.repeat(11)}.c2lnbmF0dXJl`;
const credentials = () => ({
  email: `ann-${Math.random().toString(36).slice(2, 8)}@example.com`,
  password: 'correct-horse-battery',
  name: 'Ann',
});

describe('pending migrations on PostgreSQL', () => {
  it(
    'an unmigrated database: sign-up 503 DATABASE_MIGRATIONS_PENDING, /health 503; quickback migrate heals the running server',
    async () => {
      expect((await runCli(['compile', '--cwd', root])).code).toBe(0);
      const database = await createTestDatabase('pending');
      databases.push(database);
      const server = await start(database.url);
      expect(await health(server.baseURL)).toEqual({
        status: 503,
        body: { status: 'error', database: 'migrations pending' },
      });
      const refused = await server.ann.auth.signUp.email(credentials());
      expect(refused.error).toMatchObject({ status: 503, code: 'DATABASE_MIGRATIONS_PENDING' });
      expect((refused.error as { hint?: string }).hint).toContain('npm run db:migrate');

      const migrated = await runCli(['migrate', '--cwd', root], { DATABASE_URL: database.url });
      expect(migrated.code, migrated.stderr).toBe(0);
      for (let i = 0; i < 100 && (await fetch(`${server.baseURL}/health`)).status !== 200; i++)
        await new Promise((r) => setTimeout(r, 100));
      expect(await health(server.baseURL)).toEqual({ status: 200, body: { status: 'ok' } });
      const { data, error } = await server.ann.auth.signUp.email(credentials());
      expect(error).toBeNull();
      expect(data?.user.id).toBeTruthy();
      await server.stop();
    },
    120_000,
  );

  // PGlite serves each database on a server of its own: none answers for a database it does not have.
  it.skipIf(PGLITE)(
    'a database that does not exist: 503 DATABASE_NOT_FOUND with the createdb command, not DATABASE_UNAVAILABLE',
    async () => {
      const database = await createTestDatabase('gone');
      await database.drop();
      const name = new URL(database.url).pathname.slice(1);
      const server = await start(database.url);
      expect(await health(server.baseURL)).toEqual({ status: 503, body: { status: 'error', database: 'not found' } });
      const refused = await server.ann.auth.signUp.email(credentials());
      expect(refused.error).toMatchObject({ status: 503, code: 'DATABASE_NOT_FOUND' });
      expect((refused.error as { hint?: string }).hint).toBe(
        `Create it, then migrate: createdb -h 127.0.0.1 -p 5432 -U postgres ${name} && npm run db:migrate`,
      );
      expect((await server.ann.api('GET', '/api/v1/tickets')).body.code).toBe('DATABASE_NOT_FOUND');
      expect((await fetch(`${server.baseURL}/openapi.json`)).status).toBe(200);
      await server.stop();
    },
    120_000,
  );

  it('a server that does not answer: 503 DATABASE_UNAVAILABLE, /health "unavailable"', async () => {
    const server = await start(`postgres://postgres@127.0.0.1:${await freePort()}/app`);
    expect(await health(server.baseURL)).toEqual({ status: 503, body: { status: 'error', database: 'unavailable' } });
    const refused = await server.ann.auth.signUp.email(credentials());
    expect(refused.error).toMatchObject({ status: 503, code: 'DATABASE_UNAVAILABLE' });
    const signIn = await server.ann.api('POST', '/auth/v1/sign-in/email', credentials(), {
      cookie: `better-auth.session_token=${FORGED}`,
    });
    expect(signIn.body.code).toBe('DATABASE_UNAVAILABLE');
    await server.stop();
    expectNoSecrets(server.output(), { password: credentials().password, cookie: FORGED, BETTER_AUTH_SECRET: SECRET });
  }, 120_000);
});
