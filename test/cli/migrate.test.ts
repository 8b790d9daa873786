/** `quickback migrate`: applies the compiled migrations to the local SQLite files, idempotently. */
import Database from 'better-sqlite3';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { copyFixture } from '../helpers/project.js';
import { runCli } from './run-cli.js';

const tables = (file: string) => {
  const db = new Database(file, { readonly: true });
  try {
    return (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
      .all() as { name: string }[]).map((r) => r.name);
  } finally {
    db.close();
  }
};

describe('quickback migrate', () => {
  it('refuses with QB_MIGRATE_NOTHING_TO_APPLY before the first compile', async () => {
    const root = copyFixture('helpdesk', 'migrate-empty');
    const result = await runCli(['migrate', '--cwd', root]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('QB_MIGRATE_NOTHING_TO_APPLY');
  });

  it('applies every migration once, to both split databases', async () => {
    const root = copyFixture('helpdesk', 'migrate');
    expect((await runCli(['compile', '--cwd', root])).code).toBe(0);
    const first = await runCli(['migrate', '--cwd', root, '--json']);
    expect(first.code, first.stderr).toBe(0);
    const results = JSON.parse(first.stdout).results as { database: string; applied: number }[];
    expect(results.map((r) => [r.database, r.applied])).toEqual([['features', 1], ['auth', 1]]);
    expect(tables(path.join(root, 'data/features.db'))).toEqual(
      expect.arrayContaining(['notes', 'ticket_comments', 'tickets']),
    );
    expect(tables(path.join(root, 'data/auth.db'))).toEqual(
      expect.arrayContaining(['user', 'session', 'organization', 'member']),
    );

    const again = await runCli(['migrate', '--cwd', root, '--json']);
    expect(JSON.parse(again.stdout).results.map((r: { applied: number }) => r.applied)).toEqual([0, 0]);
  });
});
