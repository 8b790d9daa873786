/**
 * Migration status against real local databases: a SQLite file (drizzle's created_at rule), a
 * PostgreSQL database (drizzle.__drizzle_migrations), and wrangler's local D1 state (d1_migrations,
 * the file miniflare names after the database id): all pending before `quickback migrate`, all
 * applied after it, the next compile's migration pending; a remote database is never read.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../test/cli/run-cli.js';
import { createTestDatabase } from '../../../test/helpers/postgres.js';
import { copyFixture } from '../../../test/helpers/project.js';
import { analyze } from '../index.js';
import { migrationStatus, type DatabaseMigrationStatus } from './status.js';

const cleanup: (() => unknown)[] = [];
afterAll(async () => {
  for (const undo of cleanup) await undo();
});

function project(label: string, config: [string, string][] = []): string {
  const root = copyFixture('solo', label, { config });
  cleanup.push(() => rmSync(root, { recursive: true, force: true }));
  return root;
}

async function status(root: string, env: Record<string, string> = {}): Promise<DatabaseMigrationStatus[]> {
  const saved = { ...process.env };
  Object.assign(process.env, env);
  try {
    const { project: loaded, model } = await analyze(root);
    return await migrationStatus(loaded.root, model);
  } finally {
    process.env = saved;
  }
}

const tags = (list: { tag: string }[] | null) => list?.map((m) => m.tag) ?? null;

async function compile(root: string, env: Record<string, string> = {}): Promise<void> {
  const result = await runCli(['compile', '--cwd', root], env);
  expect(result.code, result.stderr).toBe(0);
}

/** Adds `notes` to the bookmarks: the next compile writes 0001_alter_bookmarks. */
function addNotes(root: string): void {
  const file = path.join(root, 'quickback/features/bookmarks/bookmarks.ts');
  writeFileSync(file, readFileSync(file, 'utf8').replace('columns: {', 'columns: {\n    notes: q.text().optional(),'));
}

/** Compile, status, quickback migrate, status, add a column, compile, status; `state`: before the first migrate. */
async function roundTrip(
  root: string,
  state: 'missing' | 'checked',
  env: Record<string, string> = {},
): Promise<DatabaseMigrationStatus> {
  await compile(root, env);
  const [before] = await status(root, env);
  const first = tags(before.shipped)!;
  expect(first[0]).toBe('0000_init');
  expect(before.shipped.map((m) => path.basename(m.file))).toEqual(first.map((tag) => `${tag}.sql`));
  expect([before.state, tags(before.applied), tags(before.pending)]).toEqual([state, [], first]);

  const migrated = await runCli(['migrate', '--cwd', root], env);
  expect(migrated.code, migrated.stderr).toBe(0);
  const [after] = await status(root, env);
  expect([after.state, tags(after.applied), tags(after.pending)]).toEqual(['checked', first, []]);

  addNotes(root);
  await compile(root, env);
  const [next] = await status(root, env);
  expect(tags(next.applied)).toEqual(first);
  expect(tags(next.pending)).toContain(`${String(first.length).padStart(4, '0')}_alter_bookmarks`);
  expect(tags(next.shipped)).toEqual([...first, ...tags(next.pending)!]);
  return next;
}

describe('migration status', () => {
  it('SQLite file: pending, applied by quickback migrate, the next migration pending', async () => {
    const next = await roundTrip(project('status-sqlite'), 'missing');
    expect([next.target.kind, next.target.local, next.target.url]).toEqual([
      'sqlite',
      true,
      `file:${path.join(next.target.appRoot, 'data', 'features.db')}`,
    ]);
  }, 60_000);

  it('PostgreSQL on this machine: drizzle.__drizzle_migrations', async () => {
    const db = await createTestDatabase('status');
    cleanup.push(db.drop);
    const next = await roundTrip(
      project('status-pg', [['defineDatabase("libsql"', 'defineDatabase("neon"']]),
      'checked',
      { DATABASE_URL: db.url },
    );
    expect([next.target.kind, next.target.local]).toEqual(['postgresql', true]);
  }, 60_000);

  it("local D1: wrangler's d1_migrations in the state wrangler dev reads", async () => {
    const root = project('status-d1', [
      ['defineRuntime("node")', 'defineRuntime("cloudflare")'],
      ['defineDatabase("libsql"', 'defineDatabase("cloudflare-d1"'],
    ]);
    const next = await roundTrip(root, 'missing');
    expect([next.target.kind, next.target.local, next.target.d1?.binding]).toEqual(['d1', true, 'DB']);
    expect(next.target.url).toMatch(/\.wrangler\/state\/v3\/d1\/miniflare-D1DatabaseObject\/[0-9a-f]{64}\.sqlite$/);
  }, 120_000);

  it(
    'a remote database is not read: libsql://, a PostgreSQL server elsewhere and D1 with experimentalRemote are unchecked',
    async () => {
      const root = project('status-remote');
      await compile(root);
      const [libsql] = await status(root, { DATABASE_URL: 'libsql://solo-app.example.turso.io' });
      expect([libsql.target.local, libsql.state, libsql.applied, libsql.pending, libsql.shipped.length]).toEqual([
        false,
        'unchecked',
        null,
        null,
        1,
      ]);
      const pgRoot = project('status-remote-pg', [['defineDatabase("libsql"', 'defineDatabase("neon"']]);
      const url = 'postgres://app:secret@db.example.invalid:5432/app';
      await compile(pgRoot, { DATABASE_URL: url });
      const [remote] = await status(pgRoot, { DATABASE_URL: url });
      expect([remote.target.local, remote.state, remote.pending]).toEqual([false, 'unchecked', null]);
      const d1Root = project('status-remote-d1', [
        ['defineRuntime("node")', 'defineRuntime("cloudflare")'],
        ['defineDatabase("libsql", {', 'defineDatabase("cloudflare-d1", { experimentalRemote: { features: true },'],
      ]);
      await compile(d1Root);
      const [d1] = await status(d1Root);
      expect([d1.target.kind, d1.target.local, d1.state, d1.pending]).toEqual(['d1', false, 'unchecked', null]);
    },
    60_000,
  );
});
