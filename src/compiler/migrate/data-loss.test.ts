/**
 * The rows pending migrations would destroy, on real migrations from the planner applied to a real
 * SQLite file: a dropped column counts its non-null rows, a dropped table all its rows, and
 * drizzle-kit's table rebuild (CREATE __new_t, INSERT ... SELECT, DROP t, rename) counts the rows
 * of each column the copy leaves out. Nothing at stake in empty columns or tables.
 */
import Database from 'better-sqlite3';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readMigrationHistory } from '../load/migrations.js';
import type { TableModel } from '../model/ir.js';
import { applyMigrations } from './apply.js';
import { dataAtStake } from './data-loss.js';
import { planMigration } from './index.js';
import { col, DIR, table } from './migrate.testkit.js';
import { readJournal } from './status.js';
import type { MigrationTarget } from './targets.js';

const roots: string[] = [];
afterAll(() => {
  for (const root of roots) rmSync(root, { recursive: true, force: true });
});

const todos = (columns = [col('title', { notNull: true }), col('notes'), col('n', { storage: 'integer' })]) =>
  table('todos', [col('id', { primaryKey: true, notNull: true }), ...columns]);

async function plan(root: string, tables: TableModel[]): Promise<void> {
  const planned = await planMigration({
    dir: DIR,
    tables,
    history: readMigrationHistory(root, DIR),
    renames: { tables: {}, columns: {} },
  });
  for (const f of planned.files) {
    mkdirSync(path.dirname(path.join(root, f.path)), { recursive: true });
    writeFileSync(path.join(root, f.path), f.contents);
  }
}

/** A database at the first migration holding `rows`, then the next migration planned (not applied): what it puts at stake. */
async function stakeOf(next: TableModel[], rows: [string, string | null][]) {
  const root = mkdtempSync(path.join(tmpdir(), 'qb-data-loss-'));
  roots.push(root);
  const file = path.join(root, 'app.db');
  const migrationsFolder = path.join(root, DIR);
  await plan(root, [todos()]);
  await applyMigrations({ driver: 'better-sqlite3', url: `file:${file}`, migrationsFolder });
  const db = new Database(file);
  for (const [id, notes] of rows)
    db.prepare('INSERT INTO todos (id, title, notes, n) VALUES (?, ?, ?, 1)').run(id, `todo ${id}`, notes);
  db.close();
  await plan(root, next);
  const target: MigrationTarget = {
    database: 'features',
    kind: 'sqlite',
    driver: 'better-sqlite3',
    url: `file:${file}`,
    local: true,
    migrationsFolder,
    appRoot: root,
  };
  return dataAtStake(target, readJournal(migrationsFolder).slice(1));
}

describe('data at stake in pending migrations (SQLite)', () => {
  it('ALTER TABLE DROP COLUMN: the rows where the column has a value', async () => {
    const next = [todos([col('title', { notNull: true }), col('n', { storage: 'integer' })])];
    expect(await stakeOf(next, [['a', 'keep me'], ['b', null]])).toEqual([{
      tag: '0001_alter_todos',
      table: 'todos',
      column: 'notes',
      rows: 1,
    }]);
    expect(await stakeOf(next, [['a', null]])).toEqual([]);
  });

  it("a table rebuild that leaves a column out: that column's rows (the copied ones are kept)", async () => {
    const next = [todos([col('title'), col('n', { storage: 'integer', notNull: true })])];
    expect(await stakeOf(next, [['a', 'x'], ['b', 'y'], ['c', null]])).toEqual([{
      tag: '0001_rebuild_foreign_keys',
      table: 'todos',
      column: 'notes',
      rows: 2,
    }]);
  });

  it('DROP TABLE: every row; an empty table is nothing', async () => {
    expect(await stakeOf([], [['a', null], ['b', null]])).toEqual([{
      tag: '0001_drop_todos',
      table: 'todos',
      rows: 2,
    }]);
    expect(await stakeOf([], [])).toEqual([]);
  });
});
