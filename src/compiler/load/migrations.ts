/**
 * @module compiler/load/migrations
 * Reads a migrations folder's journal and the snapshot of its last entry: all the next diff needs.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { QuickbackError } from '../../shared/errors.js';
import type { MigrationHistory } from './types.js';

const journalSchema = z.object({
  version: z.string(),
  dialect: z.enum(['sqlite', 'postgresql']),
  entries: z.array(
    z.object({
      idx: z.number().int().min(0),
      version: z.string(),
      when: z.number(),
      tag: z.string().min(1),
      breakpoints: z.boolean(),
    }),
  ),
});

const snapshotSchema = z.looseObject({
  id: z.string(),
  prevId: z.string(),
  dialect: z.enum(['sqlite', 'postgresql']),
  tables: z.record(z.string(), z.unknown()),
});

function bad(file: string, message: string): QuickbackError {
  return new QuickbackError('QB_LOAD_BAD_MIGRATIONS', message, {
    file,
    hint:
      'Restore the folder from version control; if the database is disposable, delete the folder and recompile to start a new history.',
  });
}

function readJson(root: string, rel: string): unknown {
  try {
    return JSON.parse(readFileSync(path.join(root, rel), 'utf8'));
  } catch (cause) {
    throw bad(rel, `${rel} is not valid JSON: ${cause instanceof Error ? cause.message : String(cause)}`);
  }
}

export function readMigrationHistory(root: string, dir: string): MigrationHistory | null {
  const journalFile = `${dir}/meta/_journal.json`;
  if (!existsSync(path.join(root, journalFile))) return null;
  const journal = journalSchema.safeParse(readJson(root, journalFile));
  if (!journal.success)
    throw bad(
      journalFile,
      `${journalFile} is not a drizzle-kit journal: ${journal.error.issues[0]?.message ?? 'invalid'}`,
    );
  const last = journal.data.entries.at(-1);
  if (!last) return { dir, journal: journal.data, lastSnapshot: null };
  const snapshotFile = `${dir}/meta/${String(last.idx).padStart(4, '0')}_snapshot.json`;
  if (!existsSync(path.join(root, snapshotFile)))
    throw bad(snapshotFile, `${snapshotFile} is missing (the journal's last entry is ${last.tag})`);
  const snapshot = snapshotSchema.safeParse(readJson(root, snapshotFile));
  if (!snapshot.success) throw bad(snapshotFile, `${snapshotFile} is not a drizzle-kit snapshot`);
  if (snapshot.data.dialect !== journal.data.dialect)
    throw bad(
      snapshotFile,
      `${snapshotFile} is a ${snapshot.data.dialect} snapshot in a ${journal.data.dialect} journal`,
    );
  for (const entry of journal.data.entries) {
    if (!existsSync(path.join(root, dir, `${entry.tag}.sql`)))
      throw bad(`${dir}/${entry.tag}.sql`, `${dir}/${entry.tag}.sql is listed in the journal but missing`);
  }
  return { dir, journal: journal.data, lastSnapshot: snapshot.data as Record<string, unknown> };
}
