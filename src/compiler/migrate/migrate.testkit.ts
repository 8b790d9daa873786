/**
 * The tables the migration tests plan (SQLite and PostgreSQL alike): projects, and tasks that
 * reference them, with every storage type and default the model has.
 */
import type { ColumnModel, TableModel } from '../model/ir.js';

export const DIR = 'quickback/drizzle/features';

export const col = (key: string, extra: Partial<ColumnModel> = {}): ColumnModel => ({
  key,
  sqlName: key,
  storage: 'text',
  notNull: false,
  unique: false,
  ...extra,
});

export const table = (name: string, columns: ColumnModel[], indexes: TableModel['indexes'] = []): TableModel => ({
  name,
  exportName: name,
  sqlName: name,
  database: 'features',
  columns,
  indexes,
});

export const projects = () =>
  table('projects', [
    col('id', { primaryKey: true, notNull: true }),
    col('name', { notNull: true }),
    col('createdAt', { default: { kind: 'now' } }),
  ]);

export const tasks = (extra: ColumnModel[] = []) =>
  table(
    'tasks',
    [
      col('id', { primaryKey: true, notNull: true }),
      col('title', { notNull: true, default: { kind: 'value', value: 'untitled' } }),
      col('done', { storage: 'boolean', notNull: true, default: { kind: 'value', value: false } }),
      col('tags', { storage: 'json', default: { kind: 'json', value: [] } }),
      col('estimate', { storage: 'real' }),
      col('due', { default: { kind: 'today' } }),
      col('at', { storage: 'timestamp_ms', default: { kind: 'now' } }),
      col('projectId', { references: { table: 'projects', column: 'id', onDelete: 'cascade' } }),
      ...extra,
    ],
    [{ name: 'tasks_title_idx', columns: ['title'], unique: false }],
  );
