/**
 * Which migrations a run to undo created that the local database has already applied
 * (compiler/migrate/status). Those stay, and the compile after undo writes the reverse migration;
 * the others are removed with the rest of the run. A database that cannot be read (remote, server
 * down, definitions that do not load) counts as applied: removing a migration a database has run
 * would leave that database ahead of the history.
 */
import path from 'node:path';
import { analyze } from '../../src/compiler/index.js';
import { migrationStatus, type DatabaseMigrationStatus } from '../../src/compiler/migrate/status.js';
import type { JournalFile } from './journal.js';

const MIGRATION = /^quickback\/drizzle\/[^/]+\/\d{4}_[^/]*\.sql$/;

/** The SQL migrations the run created. */
export const createdMigrations = (files: readonly JournalFile[]): string[] =>
  files.filter((f) => f.before === null && MIGRATION.test(f.path)).map((f) => f.path);

export interface Kept {
  path: string;
  reason: string;
}

function verdict(root: string, rel: string, statuses: DatabaseMigrationStatus[]): string | null {
  const folder = path.resolve(root, path.dirname(rel));
  const tag = path.basename(rel, '.sql');
  for (const status of statuses.filter((s) => path.resolve(s.target.migrationsFolder) === folder)) {
    if (status.applied === null)
      return `the ${status.target.database} database is not local, so it could not be checked`;
    if (status.applied.some((m) => m.tag === tag)) return `the local ${status.target.database} database has applied it`;
  }
  return null;
}

/** Of `migrations` (project-relative), the ones to keep, each with why. */
export async function keptMigrations(root: string, migrations: readonly string[]): Promise<Kept[]> {
  if (migrations.length === 0) return [];
  let statuses: DatabaseMigrationStatus[];
  try {
    const { model } = await analyze(root);
    statuses = await migrationStatus(root, model);
  } catch (error) {
    const reason = `the local database could not be checked (${
      error instanceof Error ? error.message : String(error)
    })`;
    return migrations.map((rel) => ({ path: rel, reason }));
  }
  return migrations.flatMap((rel) => {
    const reason = verdict(root, rel, statuses);
    return reason === null ? [] : [{ path: rel, reason }];
  });
}
