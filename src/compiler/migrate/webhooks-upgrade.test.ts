/**
 * An app whose webhook tables predate `webhook_endpoints.roles` (issue #29) upgrades through the
 * ordinary planner: the next compile journals one `ADD roles` migration (SQLite, which D1 applies
 * with wrangler, and PostgreSQL), history untouched; applied, existing endpoints keep their rows
 * with roles NULL (read as the least of webhookAdminRoles).
 */
import Database from 'better-sqlite3';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestDatabase, query } from '../../../test/helpers/postgres.js';
import { readMigrationHistory } from '../load/migrations.js';
import type { TableModel } from '../model/ir.js';
import { webhooksModel } from '../model/webhooks.js';
import { applyMigrations } from './apply.js';
import { planMigration } from './index.js';
import { DIR } from './migrate.testkit.js';

const cleanup: (() => unknown)[] = [];
afterAll(async () => {
  for (const undo of cleanup) await undo();
});

const current = () => {
  const model = webhooksModel({ webhooks: {}, providers: { database: { name: 'better-sqlite3' } } } as never, [
    'member',
    'admin',
    'owner',
  ])!;
  return [model.tables.endpoints, model.tables.deliveries, model.tables.events];
};
/** The tables as apps compiled them before roles were recorded. */
const before = (): TableModel[] =>
  current().map((
    t,
  ) => (t.sqlName === 'webhook_endpoints' ? { ...t, columns: t.columns.filter((c) => c.key !== 'roles') } : t));

async function step(root: string, tables: TableModel[], dialect: 'sqlite' | 'postgresql') {
  const planned = await planMigration({
    dir: DIR,
    tables,
    history: readMigrationHistory(root, DIR),
    renames: { tables: {}, columns: {} },
    ...(dialect === 'postgresql' ? { dialect } : {}),
  });
  for (const f of planned.files) {
    mkdirSync(path.dirname(path.join(root, f.path)), { recursive: true });
    writeFileSync(path.join(root, f.path), f.contents);
  }
  return planned;
}

const root = () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'qb-webhooks-upgrade-'));
  cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
};
const INSERT =
  "INSERT INTO webhook_endpoints (id, organization_id, url, secret, events, created_by) VALUES ('wep_old', 'org1', 'https://example.com/h', 'whsec_x', '[\"*\"]', 'u1')";

describe('webhook_endpoints.roles on an existing app', () => {
  it('SQLite (and D1): one ADD migration, applied over the old rows', async () => {
    const dir = root();
    await step(dir, before(), 'sqlite');
    const url = `file:${path.join(dir, 'app.db')}`;
    await applyMigrations({ driver: 'better-sqlite3', url, migrationsFolder: path.join(dir, DIR) });
    new Database(path.join(dir, 'app.db')).exec(INSERT).close();
    const upgrade = await step(dir, current(), 'sqlite');
    expect([upgrade.tag, upgrade.statements]).toEqual(['0001_alter_webhook_endpoints', [
      'ALTER TABLE `webhook_endpoints` ADD `roles` text;',
    ]]);
    expect(await applyMigrations({ driver: 'better-sqlite3', url, migrationsFolder: path.join(dir, DIR) })).toEqual({
      applied: 1,
    });
    const db = new Database(path.join(dir, 'app.db'));
    expect(db.prepare('SELECT id, roles FROM webhook_endpoints').all()).toEqual([{ id: 'wep_old', roles: null }]);
    db.close();
    expect((await step(dir, current(), 'sqlite')).tag).toBeNull();
  });

  it('PostgreSQL: one ADD migration, applied over the old rows', async () => {
    const dir = root();
    const pg = await createTestDatabase('webhooks_upgrade');
    cleanup.push(pg.drop);
    await step(dir, before(), 'postgresql');
    await applyMigrations({ driver: 'node-postgres', url: pg.url, migrationsFolder: path.join(dir, DIR) });
    await query(pg.url, INSERT.replace('\'["*"]\'', '\'["*"]\'::jsonb'));
    const upgrade = await step(dir, current(), 'postgresql');
    expect([upgrade.tag, upgrade.statements]).toEqual(['0001_alter_webhook_endpoints', [
      'ALTER TABLE "webhook_endpoints" ADD COLUMN "roles" jsonb;',
    ]]);
    expect(await applyMigrations({ driver: 'node-postgres', url: pg.url, migrationsFolder: path.join(dir, DIR) }))
      .toEqual({ applied: 1 });
    expect(await query(pg.url, 'SELECT id, roles FROM webhook_endpoints')).toEqual([{ id: 'wep_old', roles: null }]);
  });
});
