/**
 * PostgreSQL migrations (the groundwork of the neon and supabase targets) against the real
 * PostgreSQL server at 127.0.0.1:5432: the same planner as SQLite with drizzle-kit's pg snapshot
 * and diff, journaled with dialect "postgresql", applied with drizzle's node-postgres migrator
 * (idempotently), column types and defaults as the API expects them, Better Auth's tables,
 * declared renames with double-quoted ALTERs, and no prompt on a drop + add.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestDatabase, query } from '../../../test/helpers/postgres.js';
import { readMigrationHistory } from '../load/migrations.js';
import { authTableModels } from '../model/auth/tables.js';
import type { TableModel } from '../model/ir.js';
import { applyMigrations } from './apply.js';
import { planMigration, type PlannedMigration } from './index.js';
import { col, DIR, projects, table, tasks } from './migrate.testkit.js';

const cleanup: (() => unknown)[] = [];
afterAll(async () => {
  for (const undo of cleanup) await undo();
});

async function setup(label: string): Promise<{ root: string; url: string }> {
  const root = mkdtempSync(path.join(tmpdir(), 'qb-migrate-pg-'));
  const db = await createTestDatabase(label);
  cleanup.push(() => rmSync(root, { recursive: true, force: true }), db.drop);
  return { root, url: db.url };
}

async function step(
  root: string,
  tables: TableModel[],
  renames = { tables: {}, columns: {} },
): Promise<PlannedMigration> {
  const planned = await planMigration({
    dir: DIR,
    tables,
    history: readMigrationHistory(root, DIR),
    renames,
    dialect: 'postgresql',
  });
  for (const f of planned.files) {
    mkdirSync(path.dirname(path.join(root, f.path)), { recursive: true });
    writeFileSync(path.join(root, f.path), f.contents);
  }
  return planned;
}

const apply = (root: string, url: string) =>
  applyMigrations({ driver: 'node-postgres', url, migrationsFolder: path.join(root, DIR) });
const columnsOf = async (
  url: string,
  name: string,
) => (await query<{ column_name: string; data_type: string }>(
  url,
  'SELECT column_name, data_type FROM information_schema.columns WHERE table_name = $1 ORDER BY ordinal_position',
  [name],
));

describe('planMigration + applyMigrations on PostgreSQL', () => {
  it('creates the first migration (features and Better Auth tables), journaled for postgresql, applied once', async () => {
    const { root, url } = await setup('first');
    const auth = authTableModels(['organization'], {
      usePlurals: false,
      namingConvention: 'snake_case',
      database: 'features',
    });
    const first = await step(root, [...auth, projects(), tasks()]);
    expect(first.tag).toBe('0000_init');
    expect(JSON.parse(first.files[2].contents)).toEqual({
      version: '7',
      dialect: 'postgresql',
      entries: [{ idx: 0, version: '6', when: 1_700_000_000_000, tag: '0000_init', breakpoints: true }],
    });
    expect(await apply(root, url)).toEqual({ applied: 1 });
    expect(await apply(root, url)).toEqual({ applied: 0 });
    expect(Object.fromEntries((await columnsOf(url, 'tasks')).map((c) => [c.column_name, c.data_type]))).toEqual({
      id: 'text',
      title: 'text',
      done: 'boolean',
      tags: 'jsonb',
      estimate: 'double precision',
      due: 'text',
      at: 'timestamp with time zone',
      projectId: 'text',
    });
    await query(url, `INSERT INTO projects (id, name) VALUES ('p1', 'Apollo')`);
    await query(url, `INSERT INTO tasks (id, "projectId") VALUES ('t1', 'p1')`);
    const [row] = await query(url, `SELECT t.*, p."createdAt" FROM tasks t JOIN projects p ON p.id = t."projectId"`);
    expect(row).toMatchObject({
      title: 'untitled',
      done: false,
      tags: [],
      due: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
      at: expect.any(Date),
    });
    expect(new Date(row.createdAt as string).toISOString()).toBe(row.createdAt); // the ISO form the API writes
    await query(url, `DELETE FROM projects WHERE id = 'p1'`);
    expect(await query(url, 'SELECT id FROM tasks')).toEqual([]); // ON DELETE cascade
    expect((await columnsOf(url, 'session')).map((c) => c.column_name)).toContain('active_organization_id');
    expect(await step(root, [...auth, projects(), tasks()])).toEqual({ files: [], statements: [], tag: null });
  });

  it('is deterministic, and adds a column as a new migration', async () => {
    const [a, b] = [await setup('det-a'), await setup('det-b')];
    expect((await step(a.root, [projects(), tasks()])).files).toEqual(
      (await step(b.root, [projects(), tasks()])).files,
    );
    await apply(a.root, a.url);
    const second = await step(a.root, [projects(), tasks([col('notes')])]);
    expect([second.tag, second.statements]).toEqual(['0001_alter_tasks', [
      'ALTER TABLE "tasks" ADD COLUMN "notes" text;',
    ]]);
    expect(await apply(a.root, a.url)).toEqual({ applied: 1 });
    expect((await columnsOf(a.url, 'tasks')).map((c) => c.column_name)).toContain('notes');
  });

  it('never prompts on a drop + add, and performs declared renames keeping the data', async () => {
    const { root, url } = await setup('renames');
    await step(root, [projects(), tasks([col('color')])]);
    await apply(root, url);
    await query(url, `INSERT INTO projects (id, name) VALUES ('p1', 'Apollo')`);
    const dropAdd = await step(root, [projects(), tasks([col('colour')])]);
    expect(dropAdd.statements.join('\n')).toMatch(
      /ADD COLUMN "colour"[\s\S]*DROP COLUMN "color"|DROP COLUMN "color"[\s\S]*ADD COLUMN "colour"/,
    );
    await apply(root, url);
    const missions = table('missions', [
      col('id', { primaryKey: true, notNull: true }),
      col('title', { notNull: true }),
      col('createdAt', { default: { kind: 'now' } }),
    ]);
    const renamedTasks = tasks([col('colour')]);
    renamedTasks.columns = renamedTasks.columns.map((
      c,
    ) => (c.key === 'projectId'
      ? { ...c, references: { table: 'missions', column: 'id', onDelete: 'cascade' as const } }
      : c)
    );
    const renames = { tables: { projects: 'missions' }, columns: { 'projects.name': 'title' } };
    const planned = await step(root, [missions, renamedTasks], renames);
    expect(planned.statements.slice(0, 2)).toEqual([
      'ALTER TABLE "projects" RENAME TO "missions";',
      'ALTER TABLE "missions" RENAME COLUMN "name" TO "title";',
    ]);
    expect(await apply(root, url)).toEqual({ applied: 1 });
    expect(await query(url, 'SELECT id, title FROM missions')).toEqual([{ id: 'p1', title: 'Apollo' }]);
    expect(await step(root, [missions, renamedTasks], renames)).toEqual({ files: [], statements: [], tag: null });
  });

  it('refuses to continue a SQLite history as PostgreSQL (and the reverse), naming the journal', async () => {
    const root = mkdtempSync(path.join(tmpdir(), 'qb-migrate-pg-'));
    cleanup.push(() => rmSync(root, { recursive: true, force: true }));
    const sqlite = await planMigration({
      dir: DIR,
      tables: [projects()],
      history: null,
      renames: { tables: {}, columns: {} },
    });
    for (const f of sqlite.files) {
      mkdirSync(path.dirname(path.join(root, f.path)), { recursive: true });
      writeFileSync(path.join(root, f.path), f.contents);
    }
    await expect(step(root, [projects()])).rejects.toMatchObject({
      code: 'QB_LOAD_BAD_MIGRATIONS',
      file: `${DIR}/meta/_journal.json`,
      message: expect.stringContaining('holds sqlite migrations'),
    });
  });
});
