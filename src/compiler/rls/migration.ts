/**
 * @module compiler/rls/migration
 * Appends the RLS layer to the PostgreSQL journal (seed 001) as `<idx>_quickback_rls_<hash>.sql`,
 * content-addressed: when the journal's latest RLS entry has the same hash, nothing is appended,
 * so a recompile with unchanged security writes nothing, and a changed firewall appends exactly
 * one entry after any schema migration of the same compile. Its snapshot repeats the schema
 * snapshot (as `drizzle-kit generate --custom` does), so the next schema diff starts from it.
 */
import type { EmittedFile } from '../emit/contract.js';
import { QuickbackError } from '../../shared/errors.js';
import { sha256 } from '../../shared/hash.js';
import type { MigrationHistory, MigrationJournal } from '../load/types.js';
import { BREAKPOINT } from '../migrate/plan.js';
import { snapshotId } from '../migrate/snapshot.js';

const RLS_TAG = /_quickback_rls_([0-9a-f]{12})$/;
const FIRST_WHEN = 1_700_000_000_000;

/** The hash in an RLS migration's tag, or null. */
export function rlsHashOf(tag: string): string | null {
  return RLS_TAG.exec(tag)?.[1] ?? null;
}

function parsed<T>(files: EmittedFile[], suffix: string): T | undefined {
  const file = files.find((f) => f.path.endsWith(suffix));
  return file ? (JSON.parse(file.contents) as T) : undefined;
}

/**
 * `schemaFiles`: what the schema planner emitted this compile (maybe nothing); `history`: the
 * folder as on disk. Returns the RLS migration's files, or none when the layer is unchanged.
 */
export function planRlsMigration(
  dir: string,
  statements: string[],
  history: MigrationHistory | null,
  schemaFiles: EmittedFile[],
): EmittedFile[] {
  const sql = `${statements.map((s) => s.trimEnd()).join(BREAKPOINT)}\n`;
  const hash = sha256(sql).slice(0, 12);
  const journal = parsed<MigrationJournal>(schemaFiles, 'meta/_journal.json') ?? history?.journal;
  if (!journal)
    throw new QuickbackError('QB_INTERNAL', `${dir}: no schema migration precedes the RLS layer`, {
      hint: 'Report it with --debug output.',
    });
  const latest = [...journal.entries].reverse().map((e) => rlsHashOf(e.tag)).find((h) => h !== null);
  if (latest === hash) return [];
  const snapshotFile = schemaFiles.find((f) => /meta\/\d{4}_snapshot\.json$/.test(f.path));
  const snapshot = snapshotFile ? JSON.parse(snapshotFile.contents) : history?.lastSnapshot;
  if (!snapshot)
    throw new QuickbackError('QB_INTERNAL', `${dir}: no schema snapshot precedes the RLS layer`, {
      hint: 'Report it with --debug output.',
    });
  const idx = journal.entries.length;
  const tag = `${String(idx).padStart(4, '0')}_quickback_rls_${hash}`;
  const when = journal.entries.length > 0 ? Math.max(...journal.entries.map((e) => e.when)) + 1 : FIRST_WHEN;
  const next: MigrationJournal = {
    ...journal,
    entries: [...journal.entries, { idx, version: journal.entries[0]?.version ?? '7', when, tag, breakpoints: true }],
  };
  const copy = { ...snapshot, prevId: snapshot.id, id: snapshotId(snapshot.tables, `${snapshot.id}:${hash}`) };
  const file = (path: string, contents: string): EmittedFile => ({
    path: `${dir}/${path}`,
    base: 'project',
    contents,
    ownership: 'history',
    emitter: 'migrations',
  });
  return [
    file(`${tag}.sql`, sql),
    file(`meta/${String(idx).padStart(4, '0')}_snapshot.json`, `${JSON.stringify(copy, null, 2)}\n`),
    file('meta/_journal.json', `${JSON.stringify(next, null, 2)}\n`),
  ];
}
