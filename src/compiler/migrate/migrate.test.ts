import Database from 'better-sqlite3';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { QuickbackError } from '../../shared/errors.js';
import { readMigrationHistory } from '../load/migrations.js';
import type { TableModel } from '../model/ir.js';
import { applyMigrations } from './apply.js';
import { planMigration, type PlannedMigration } from './index.js';
import { col, DIR, projects, table, tasks } from './migrate.testkit.js';

const roots: string[] = [];
afterAll(() => roots.forEach((r) => rmSync(r, { recursive: true, force: true })));

function project(): string {
  const root = mkdtempSync(path.join(tmpdir(), 'qb-migrate-'));
  roots.push(root);
  return root;
}

function write(root: string, planned: PlannedMigration): void {
  for (const f of planned.files) {
    mkdirSync(path.dirname(path.join(root, f.path)), { recursive: true });
    writeFileSync(path.join(root, f.path), f.contents);
  }
}

async function step(
  root: string,
  tables: TableModel[],
  renames = { tables: {}, columns: {} },
): Promise<PlannedMigration> {
  const planned = await planMigration({ dir: DIR, tables, history: readMigrationHistory(root, DIR), renames });
  write(root, planned);
  return planned;
}

const db = (root: string) => new Database(path.join(root, 'app.db'));
const apply = (root: string, driver: 'better-sqlite3' | 'libsql' = 'better-sqlite3') =>
  applyMigrations({ driver, url: `file:${path.join(root, 'app.db')}`, migrationsFolder: path.join(root, DIR) });
const columns = (root: string, name: string) => {
  const d = db(root);
  try {
    return (d.prepare(`PRAGMA table_info("${name}")`).all() as { name: string }[]).map((c) => c.name);
  } finally {
    d.close();
  }
};

describe('planMigration + applyMigrations', () => {
  it('creates the first migration, journaled like drizzle-kit, and applies it once with either driver', async () => {
    for (const driver of ['better-sqlite3', 'libsql'] as const) {
      const root = project();
      const first = await step(root, [projects(), tasks()]);
      expect(first.tag).toBe('0000_init');
      expect(first.files.map((f) => f.path)).toEqual([
        `${DIR}/0000_init.sql`,
        `${DIR}/meta/0000_snapshot.json`,
        `${DIR}/meta/_journal.json`,
      ]);
      expect(first.files.every((f) => f.ownership === 'history')).toBe(true);
      expect(JSON.parse(first.files[2].contents)).toEqual({
        version: '7',
        dialect: 'sqlite',
        entries: [{ idx: 0, version: '6', when: 1_700_000_000_000, tag: '0000_init', breakpoints: true }],
      });
      expect(first.files[0].contents).toContain('--> statement-breakpoint');
      expect(await apply(root, driver)).toEqual({ applied: 1 });
      expect(await apply(root, driver)).toEqual({ applied: 0 });
      const d = db(root);
      d.prepare("INSERT INTO projects (id, name) VALUES ('p1', 'Apollo')").run();
      d.prepare("INSERT INTO tasks (id, projectId) VALUES ('t1', 'p1')").run();
      const row = d.prepare("SELECT * FROM tasks WHERE id = 't1'").get() as Record<string, unknown>;
      expect(row).toMatchObject({
        title: 'untitled',
        done: 0,
        tags: '[]',
        due: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
        at: expect.any(Number),
      });
      expect((d.prepare('PRAGMA foreign_key_list("tasks")').all() as { table: string; on_delete: string }[])[0])
        .toMatchObject({ table: 'projects', on_delete: 'CASCADE' });
      d.close();
      expect(await step(root, [projects(), tasks()])).toEqual({ files: [], statements: [], tag: null });
    }
  });

  it('is deterministic: the same inputs give byte-identical files', async () => {
    const [a, b] = [project(), project()];
    expect((await step(a, [projects(), tasks()])).files).toEqual((await step(b, [projects(), tasks()])).files);
  });

  it('adds a column as a new migration without touching history', async () => {
    const root = project();
    const first = await step(root, [projects(), tasks()]);
    await apply(root);
    const second = await step(root, [projects(), tasks([col('notes')])]);
    expect(second.tag).toBe('0001_alter_tasks');
    expect(second.statements).toEqual(['ALTER TABLE `tasks` ADD `notes` text;']);
    expect(second.files.find((f) => f.path.endsWith('0000_init.sql'))).toBeUndefined();
    const journal = JSON.parse(second.files.find((f) => f.path.endsWith('_journal.json'))!.contents);
    expect(journal.entries.map((e: { when: number }) => e.when)).toEqual([1_700_000_000_000, 1_700_000_000_001]);
    const snapshot = JSON.parse(second.files.find((f) => f.path.endsWith('0001_snapshot.json'))!.contents);
    expect(snapshot.prevId).toBe(JSON.parse(first.files[1].contents).id);
    expect(await apply(root)).toEqual({ applied: 1 });
    expect(columns(root, 'tasks')).toContain('notes');
  });

  it('never prompts on a drop + add: it drops and adds, and other data survives', async () => {
    const root = project();
    await step(root, [projects(), tasks([col('color')])]);
    await apply(root);
    const d = db(root);
    d.prepare("INSERT INTO projects (id, name) VALUES ('p1', 'Apollo')").run();
    d.close();
    const planned = await step(root, [
      table('projects', [...projects().columns.filter((c) => c.key !== 'name'), col('title')]),
      tasks([col('colour')]),
      table('labels', [col('id', { primaryKey: true, notNull: true })]),
    ]);
    expect(planned.statements.join('\n')).toMatch(/ADD `title`/);
    expect(planned.statements.join('\n')).toMatch(/DROP COLUMN `name`/);
    expect(planned.statements.join('\n')).toMatch(/CREATE TABLE `labels`/);
    expect(await apply(root)).toEqual({ applied: 1 });
    expect(columns(root, 'projects')).toEqual(['id', 'createdAt', 'title']);
    expect(columns(root, 'tasks')).toContain('colour');
    const after = db(root);
    expect(after.prepare('SELECT id FROM projects').all()).toEqual([{ id: 'p1' }]);
    after.close();
  });

  it('performs declared renames with ALTER ... RENAME, keeps the data, and skips them once applied', async () => {
    const root = project();
    await step(root, [projects()]);
    await apply(root);
    const d = db(root);
    d.prepare("INSERT INTO projects (id, name) VALUES ('p1', 'Apollo')").run();
    d.close();
    const renamed = table('missions', [
      col('id', { primaryKey: true, notNull: true }),
      col('title', { notNull: true }),
      col('createdAt', { default: { kind: 'now' } }),
    ]);
    const renames = { tables: { projects: 'missions' }, columns: { 'projects.name': 'title' } };
    const planned = await step(root, [renamed], renames);
    expect(planned.statements).toEqual([
      'ALTER TABLE `projects` RENAME TO `missions`;',
      'ALTER TABLE `missions` RENAME COLUMN `name` TO `title`;',
    ]);
    await apply(root);
    const after = db(root);
    expect(after.prepare('SELECT id, title FROM missions').all()).toEqual([{ id: 'p1', title: 'Apollo' }]);
    after.close();
    expect(await step(root, [renamed], renames)).toEqual({ files: [], statements: [], tag: null });
  });

  it('rejects a rename whose target is not in the schema', async () => {
    const root = project();
    await step(root, [projects()]);
    await expect(step(root, [projects()], { tables: { projects: 'nowhere' }, columns: {} })).rejects.toMatchObject({
      code: 'QB_VALIDATE_RENAME',
    });
  });

  it('reports a corrupt journal or a missing snapshot as QB_LOAD_BAD_MIGRATIONS', async () => {
    const root = project();
    await step(root, [projects()]);
    rmSync(path.join(root, DIR, 'meta/0000_snapshot.json'));
    expect(() => readMigrationHistory(root, DIR)).toThrow(QuickbackError);
    writeFileSync(path.join(root, DIR, 'meta/_journal.json'), '{ nope');
    try {
      readMigrationHistory(root, DIR);
      expect.fail('expected a throw');
    } catch (error) {
      expect(error).toMatchObject({ code: 'QB_LOAD_BAD_MIGRATIONS', file: `${DIR}/meta/_journal.json` });
    }
  });
});
