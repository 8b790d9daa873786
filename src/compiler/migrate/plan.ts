/**
 * @module compiler/migrate/plan
 * The next migration of one folder: diff the previous snapshot (with declared renames applied)
 * against the model through drizzle-kit's programmatic API, never letting it prompt, and lay
 * out `NNNN_tag.sql`, `meta/NNNN_snapshot.json` and `meta/_journal.json` as drizzle-kit does.
 */
import type { EmittedFile } from '../emit/contract.js';
import { QuickbackError } from '../../shared/errors.js';
import type { MigrationHistory, MigrationJournal } from '../load/types.js';
import type { TableModel } from '../model/ir.js';
import { applyRenames, type Renames } from './renames.js';
import { dialectOps, type DialectOps, type MigrationDialect } from './dialects.js';
import { clone, snapshotId, splitAmbiguity, type Snapshot } from './snapshot.js';

export const BREAKPOINT = '\n--> statement-breakpoint\n';
const FIRST_WHEN = 1_700_000_000_000;

export interface PlanMigrationInput {
  dir: string;
  tables: readonly TableModel[];
  history: MigrationHistory | null;
  renames: Renames;
  dialect?: MigrationDialect;
}
export interface PlannedMigration {
  files: EmittedFile[];
  statements: string[];
  tag: string | null;
}

async function diff(dialect: DialectOps, prev: Snapshot, next: Snapshot): Promise<string[]> {
  try {
    return await dialect.diff(prev, next);
  } catch (cause) {
    throw new QuickbackError(
      'QB_MIGRATE_DIFF_FAILED',
      `drizzle-kit could not diff the schema: ${cause instanceof Error ? cause.message : String(cause)}`,
      { cause, hint: 'Run with --debug and report it.' },
    );
  }
}

/** A readable, deterministic tag word from the first statement: `create_tickets`, `alter_notes`. */
function tagWord(idx: number, statements: string[]): string {
  if (idx === 0) return 'init';
  const m = /^(CREATE TABLE|ALTER TABLE|DROP TABLE|CREATE (?:UNIQUE )?INDEX|DROP INDEX|PRAGMA)\s*[`"]?([\w]+)?/i.exec(
    statements[0]?.trim() ?? '',
  );
  const verb = (m?.[1] ?? 'change').split(' ')[0].toLowerCase();
  const what = (m?.[2] ?? '').toLowerCase();
  return `${verb === 'pragma' ? 'rebuild' : verb}${what ? `_${what}` : ''}`.slice(0, 40);
}

export async function planMigration(input: PlanMigrationInput): Promise<PlannedMigration> {
  const dialect = dialectOps(input.dialect);
  const written = input.history?.journal.dialect;
  if (written && written !== dialect.name) {
    throw new QuickbackError(
      'QB_LOAD_BAD_MIGRATIONS',
      `${input.dir} holds ${written} migrations, but the database is now ${dialect.name}`,
      {
        file: `${input.dir}/meta/_journal.json`,
        hint:
          `Migrations do not carry over between dialects: move ${input.dir} aside (keep it for the old database) and recompile to start a ${dialect.name} history.`,
      },
    );
  }
  const previous = input.history?.lastSnapshot
    ? (clone(input.history.lastSnapshot) as unknown as Snapshot)
    : await dialect.empty();
  const generated = await dialect.snapshot(input.tables, previous.id);
  const next: Snapshot = { ...generated, id: snapshotId(generated.tables, previous.id), prevId: previous.id };
  const base = clone(previous);
  const renameStatements = applyRenames(base, next, input.renames, dialect);
  const middle = splitAmbiguity(base, next);
  const statements = [
    ...renameStatements,
    ...(middle
      ? [...(await diff(dialect, base, middle)), ...(await diff(dialect, middle, next))]
      : await diff(dialect, base, next)),
  ];
  if (statements.length === 0) return { files: [], statements: [], tag: null };

  const entries = input.history?.journal.entries ?? [];
  const idx = entries.length;
  const tag = `${String(idx).padStart(4, '0')}_${
    tagWord(
      idx,
      statements.slice(renameStatements.length).length ? statements.slice(renameStatements.length) : statements,
    )
  }`;
  const when = entries.length > 0 ? Math.max(...entries.map((e) => e.when)) + 1 : FIRST_WHEN;
  const journal: MigrationJournal = {
    version: '7',
    dialect: dialect.name,
    entries: [...entries, { idx, version: '6', when, tag, breakpoints: true }],
  };
  const file = (path: string, contents: string): EmittedFile => ({
    path: `${input.dir}/${path}`,
    base: 'project',
    contents,
    ownership: 'history',
    emitter: 'migrations',
  });
  return {
    files: [
      file(`${tag}.sql`, `${statements.map((s) => s.trimEnd()).join(BREAKPOINT)}\n`),
      file(`meta/${String(idx).padStart(4, '0')}_snapshot.json`, `${JSON.stringify(next, null, 2)}\n`),
      file('meta/_journal.json', `${JSON.stringify(journal, null, 2)}\n`),
    ],
    statements,
    tag,
  };
}
