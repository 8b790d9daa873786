/**
 * PostgreSQL schema modules: the printed pg-core source, imported for real, snapshots exactly as
 * the tables the migration planner builds (so schema files and migrations cannot disagree), and
 * the column types the printer chooses.
 */
import { generateDrizzleJson } from 'drizzle-kit/api';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { OUT } from '../../../test/helpers/project.js';
import { buildPgTables } from '../../compiler/migrate/pg-tables.js';
import { authTableModels } from '../../compiler/model/auth/tables.js';
import type { ColumnModel, TableModel } from '../../compiler/model/ir.js';
import { printSchemaModule } from '../drizzle-sqlite/print/module.js';
import { POSTGRES } from './print/schema.js';

const col = (key: string, extra: Partial<ColumnModel> = {}): ColumnModel => ({
  key,
  sqlName: key,
  storage: 'text',
  notNull: false,
  unique: false,
  ...extra,
});
const tasks: TableModel = {
  name: 'tasks',
  exportName: 'tasks',
  sqlName: 'tasks',
  database: 'features',
  indexes: [{ name: 'tasks_title_idx', columns: ['title'], unique: false }],
  columns: [
    col('id', { primaryKey: true, notNull: true }),
    col('title', { notNull: true, default: { kind: 'value', value: 'untitled' } }),
    col('state', { enumValues: ['open', 'done'] }),
    col('done', { storage: 'boolean', default: { kind: 'value', value: false } }),
    col('tags', { storage: 'json', default: { kind: 'json', value: [] } }),
    col('estimate', { storage: 'real' }),
    col('count', { storage: 'integer' }),
    col('createdAt', { notNull: true, default: { kind: 'now' } }),
    col('at', { storage: 'timestamp_ms' }),
    col('parentId', { references: { table: 'tasks', column: 'id', onDelete: 'set null' } }),
  ],
};

describe('pg-core schema modules', () => {
  it('print what the migration planner builds: identical drizzle-kit snapshots', async () => {
    const auth = authTableModels(['organization'], {
      usePlurals: false,
      namingConvention: 'snake_case',
      database: 'features',
    });
    const all = [...auth, tasks];
    const source = printSchemaModule(all, all, () => './schema.js', POSTGRES);
    const dir = path.join(OUT, `pg-schema-${Math.random().toString(36).slice(2, 10)}`);
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'schema.ts'), source);
    const printed = await import(pathToFileURL(path.join(dir, 'schema.ts')).href);
    const strip = (json: ReturnType<typeof generateDrizzleJson>) => ({ ...json, id: '', prevId: '' });
    expect(strip(generateDrizzleJson(printed))).toEqual(strip(generateDrizzleJson(buildPgTables(all))));
    expect(source).toContain(
      'import { boolean, doublePrecision, index, integer, jsonb, pgTable, text, timestamp } from "drizzle-orm/pg-core";',
    );
    expect(source).toContain('import type { AnyPgColumn } from "drizzle-orm/pg-core";');
    expect(source).toContain('at: timestamp("at", { withTimezone: true, mode: "date" }),');
    expect(source).toContain('state: text("state", { enum: ["open","done"] }),');
    expect(source).toContain(
      'parentId: text("parentId").references((): AnyPgColumn => tasks.id, { onDelete: "set null" }),',
    );
  });
});
