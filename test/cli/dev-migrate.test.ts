/**
 * `quickback dev` migrates the local database (issue #30 part 1), through the real bin in a child
 * process and real HTTP: a fresh project's databases are migrated before the server starts; a saved
 * column is applied right after the compile writes its migration, so the API stores and returns
 * it with no manual migrate (before: 500 "no column named title"); dropping that column while a row
 * holds a value is held back (QB_DEV_DATA_LOSS naming table, column and rows) and the server keeps
 * serving; restarted with --accept-data-loss, dev applies it. Node + SQLite here; Bun, local D1 and
 * PostgreSQL in dev-migrate-targets.test.ts. A database not on this machine (libsql://, a PostgreSQL
 * host elsewhere) is never connected to.
 */
import { rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { copyFixture } from '../helpers/project.js';
import { freePort } from '../helpers/server.js';
import { appEnv } from '../helpers/target.js';
import { addThenDrop, answer, listening, ok, startDev } from './dev-run.js';

const cleanup: (() => unknown)[] = [];
afterAll(async () => {
  for (const undo of cleanup) await undo();
});

describe('quickback dev migrates the local databases', () => {
  it('Node + SQLite: a fresh clone, a saved column, a held-back drop, then --accept-data-loss', async () => {
    const root = copyFixture('helpdesk', 'dev-migrate');
    cleanup.push(() => rmSync(root, { recursive: true, force: true }));
    const port = await freePort();
    const baseURL = `http://127.0.0.1:${port}`;
    const env = appEnv(root, baseURL);
    let dev = startDev(root, port, env);
    try {
      const first = () => dev.log();
      await dev.until('GET /health', () => ok(`${baseURL}/health`));
      expect(first()).toMatch(/✔ features: applied 0000_init \(data\/features\.db\)/);
      expect(first()).toMatch(/✔ auth: applied 0000_init \(data\/auth\.db\)/);
      // Migrated before the server starts.
      expect(first().indexOf('applied 0000_init')).toBeLessThan(first().indexOf('Starting the dev server'));
      const { id, caller } = await addThenDrop(dev, baseURL, root);
      expect(await dev.stop()).toBe(0);

      dev = startDev(root, port, env, ['--accept-data-loss']);
      await dev.until('GET /health', () => ok(`${baseURL}/health`));
      expect(dev.log()).toMatch(/✔ features: applied 0002_alter_notes \(data\/features\.db\)/);
      const note = (await caller.api('GET', `/api/v1/notes/${id}`)).body;
      expect(note.body).toBe('with a title');
      expect(note).not.toHaveProperty('title');
    } finally {
      await dev.stop();
    }
  }, 180_000);

  it('a database not on this machine (libsql://) is not connected to: dev says which command migrates it', async () => {
    const root = copyFixture('helpdesk', 'dev-remote', {
      config: [['defineDatabase("better-sqlite3"', 'defineDatabase("libsql"']],
    });
    cleanup.push(() => rmSync(root, { recursive: true, force: true }));
    let connections = 0;
    const remote: Server = createServer((socket) => {
      connections += 1;
      socket.destroy();
    });
    await new Promise<void>((resolve) => remote.listen(0, '127.0.0.1', resolve));
    cleanup.push(() => new Promise((resolve) => remote.close(resolve)));
    const url = `libsql://127.0.0.1:${(remote.address() as { port: number }).port}`;
    const port = await freePort();
    const dev = startDev(root, port, { ...appEnv(root, `http://127.0.0.1:${port}`), DATABASE_URL: url });
    try {
      await dev.until(
        'the dev server starting',
        () => (dev.log().includes('Starting the dev server') ? true : undefined),
      );
      expect(dev.log()).toContain(
        `features: quickback dev does not migrate ${url}: it is not a database on this machine (newest migration 0000_init)`,
      );
      expect(dev.log()).toContain('npm run db:migrate');
      // The local auth database is migrated as usual.
      expect(dev.log()).toMatch(/✔ auth: applied 0000_init/);
      expect(dev.log()).toContain('warning QB_DEV_REMOTE_DATABASE');
      // dev itself never connected: the server listens and nothing reached the remote database.
      await dev.until('the server listening', () => listening(port));
      expect(connections).toBe(0);
      // The app's own check does, and answers a coded 503 instead of a 500.
      expect((await dev.until('GET /health', () => answer(`http://127.0.0.1:${port}/health`))).status).toBe(503);
      expect(await dev.stop()).toBe(0);
    } finally {
      await dev.stop();
    }
  }, 120_000);

  it(
    'a PostgreSQL server elsewhere is not connected to either: no connection error, the command that migrates it',
    async () => {
      const root = copyFixture('helpdesk', 'dev-remote-pg', {
        config: [['defineDatabase("better-sqlite3"', 'defineDatabase("neon"']],
      });
      cleanup.push(() => rmSync(root, { recursive: true, force: true }));
      const port = await freePort();
      const url = 'postgres://app:secret@db.example.invalid:5432/helpdesk';
      const dev = startDev(root, port, { ...appEnv(root, `http://127.0.0.1:${port}`), DATABASE_URL: url });
      try {
        await dev.until(
          'the dev server starting',
          () => (dev.log().includes('Starting the dev server') ? true : undefined),
        );
        expect(dev.log()).toContain(
          'warning QB_DEV_REMOTE_DATABASE: features: quickback dev does not migrate postgres://app:***@db.example.invalid:5432/helpdesk',
        );
        expect(dev.log()).toContain('hint: Apply pending migrations to it yourself: npm run db:migrate');
        expect(dev.log()).not.toMatch(/QB_MIGRATE_UNREACHABLE|ENOTFOUND|secret/);
        const health = await dev.until('GET /health', () => answer(`http://127.0.0.1:${port}/health`));
        expect(health).toMatchObject({ status: 503, body: { database: 'unavailable' } });
        expect(await dev.stop()).toBe(0);
      } finally {
        await dev.stop();
      }
    },
    120_000,
  );
});
