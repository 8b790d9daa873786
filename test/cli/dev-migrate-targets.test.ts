/**
 * `quickback dev` migrates the local database on every target (issue #30 part 1), through the real
 * bin in a child process and real HTTP: Bun + SQLite (bun from node_modules/.bin), Workers + local
 * D1 (`wrangler dev`, migrated with `wrangler d1 migrations apply --local` on the same .wrangler
 * state while it runs), Node + PostgreSQL on 127.0.0.1 (a database of its own). Each: a fresh
 * project migrated before the server starts, a saved column usable through the API with no manual
 * migrate, its removal held back while a row holds a value, applied after a restart with
 * --accept-data-loss. Node + SQLite and the remote case: dev-migrate.test.ts.
 */
import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestDatabase, PGLITE } from '../helpers/postgres.js';
import { copyFixture, DEVELOPMENT, SECRET } from '../helpers/project.js';
import { freePort, hasBun } from '../helpers/server.js';
import { appEnv } from '../helpers/target.js';
import { CLOUDFLARE } from '../helpers/worker.js';
import { addThenDrop, ok, startDev } from './dev-run.js';

const cleanup: (() => unknown)[] = [];
afterAll(async () => {
  for (const undo of cleanup.reverse()) await undo();
});

interface Case {
  label: string;
  config: [string, string][];
  server: string;
  env(root: string, baseURL: string): Promise<Record<string, string>>;
  where: RegExp;
}

/** A fresh project under dev: migrated at start, the add/drop round trip, then --accept-data-loss applies the drop. */
async function roundTrip(c: Case): Promise<void> {
  const root = copyFixture('helpdesk', c.label, { config: c.config });
  cleanup.push(() => rmSync(root, { recursive: true, force: true }));
  const port = await freePort();
  const baseURL = `http://127.0.0.1:${port}`;
  const env = await c.env(root, baseURL);
  let dev = startDev(root, port, env);
  try {
    await dev.until('GET /health', () => ok(`${baseURL}/health`));
    const log = dev.log();
    expect(log).toContain(c.server);
    expect(log).toMatch(new RegExp(`✔ features: applied 0000_init[^\\n]*${c.where.source}`));
    expect(log.indexOf('✔ features: applied 0000_init')).toBeLessThan(log.indexOf('Starting the dev server'));
    const { id, caller } = await addThenDrop(dev, baseURL, root);
    expect(await dev.stop()).toBe(0);

    dev = startDev(root, port, env, ['--accept-data-loss']);
    await dev.until('GET /health', () => ok(`${baseURL}/health`));
    expect(dev.log()).toMatch(/✔ features: applied \d{4}_alter_notes/);
    const note = await dev.until('the note without its title', async () => {
      const response = await caller.api('GET', `/api/v1/notes/${id}`);
      return response.status === 200 ? response.body : undefined;
    });
    expect(note.body).toBe('with a title');
    expect(note).not.toHaveProperty('title');
  } finally {
    await dev.stop();
  }
}

describe('quickback dev migrates the local database on each target', () => {
  it.runIf(hasBun())('Bun + SQLite', () => roundTrip({
    label: 'dev-migrate-bun',
    config: [['defineRuntime("node")', 'defineRuntime("bun")']],
    server: 'bun --watch src/server.ts',
    env: async (root, baseURL) => appEnv(root, baseURL),
    where: /\(data\/features\.db\)/,
  }), 240_000);

  it('Workers + local D1 under wrangler dev', () => roundTrip({
    label: 'dev-migrate-d1',
    config: CLOUDFLARE,
    server: 'wrangler dev --ip 127.0.0.1',
    async env(root, baseURL) {
      writeFileSync(
        path.join(root, '.dev.vars'),
        `BETTER_AUTH_SECRET=${SECRET}\nBETTER_AUTH_URL=${baseURL}\nQUICKBACK_DEV=1\n`,
      );
      return {};
    },
    where: /\(DB, local D1\)/,
  }), 300_000);

  it.skipIf(PGLITE)('Node + PostgreSQL on 127.0.0.1', () => roundTrip({
    label: 'dev-migrate-pg',
    config: [['defineDatabase("better-sqlite3"', 'defineDatabase("neon"']],
    server: 'node --enable-source-maps node_modules/.cache/quickback-dev/server.mjs',
    async env(_root, baseURL) {
      const database = await createTestDatabase('dev_migrate');
      cleanup.push(database.drop);
      return {
        BETTER_AUTH_SECRET: SECRET,
        BETTER_AUTH_URL: baseURL,
        DATABASE_URL: database.url,
        NODE_ENV: 'test',
        ...DEVELOPMENT,
      };
    },
    where: /\(postgres:\/\/postgres@127\.0\.0\.1/,
  }), 240_000);
});
