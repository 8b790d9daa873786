/**
 * @module compiler/load/types
 * What the load stage hands to validate and model: the raw config, every resource in one
 * uniform shape whichever authoring form it used, and the migration history on disk.
 */
import type { ColumnSpec } from '../../dsl/columns/spec.js';
import type { QuickbackConfigInput } from '../../dsl/config.js';
import type { ActionSpec } from '../../dsl/actions.js';
import type { ResourceSpec } from '../../dsl/feature.js';
import type { Diagnostic } from '../../shared/diagnostics.js';
import type { CompileCache } from '../cache/types.js';
import type { ColumnStorage } from '../model/ir.js';

export type AuthoringForm = 'feature' | 'qtable' | 'drizzle';

export interface ResourceInput {
  /** Feature name (`feature("tickets")`) or table name (`q.table("tickets")`, `sqliteTable("tickets")`). */
  name: string;
  /** Project-relative POSIX path of the file that defined it. */
  file: string;
  /** Folder name under quickback/features/. */
  featureDir: string;
  form: AuthoringForm;
  /** Columns in declared order, as plain specs. */
  columns: Record<string, ColumnSpec>;
  /** Drizzle tables only: the user's own SQL names and storage, used as-is. */
  drizzle?: { table: string; columns: Record<string, { sqlName: string; storage: ColumnStorage; primaryKey: boolean; autoIncrement: boolean; notNull: boolean }> };
  /** Security and API config (everything except `columns`). */
  config: ResourceSpec;
  /** A file that exports only a table: migrated, no routes. */
  internal: boolean;
}

export interface ActionsInput {
  file: string;
  featureDir: string;
  /** Name of the table the actions bind to, or null for standalone-only actions. */
  table: string | null;
  actions: Record<string, ActionSpec>;
  /** Per action: the handler file, the input and the output as JSON Schema (filled by load). */
  resolved?: Record<string, ResolvedAction>;
}

export interface ResolvedAction {
  /** Project-relative path of the handler module (with extension), and whether it exists yet. */
  handler?: { file: string; exists: boolean };
  input?: { schema: Record<string, unknown> } | { problem: string };
  /** The declared `output` (absent: none declared). */
  output?: { schema: Record<string, unknown> } | { problem: string };
}

export interface MigrationJournalEntry { idx: number; version: string; when: number; tag: string; breakpoints: boolean }
export interface MigrationJournal { version: string; dialect: string; entries: MigrationJournalEntry[] }

/** A migrations folder as found on disk (only what the next diff needs). */
export interface MigrationHistory {
  /** Project-relative folder, e.g. `quickback/drizzle/features`. */
  dir: string;
  journal: MigrationJournal;
  /** The snapshot JSON of the last journal entry (drizzle-kit format). */
  lastSnapshot: Record<string, unknown> | null;
}

export interface LoadedProject {
  /** Absolute project root (the folder that holds quickback/). */
  root: string;
  configFile: string;
  config: QuickbackConfigInput;
  resources: ResourceInput[];
  actions: ActionsInput[];
  /** Every file the load stage read, with its sha256 (the watch set and the manifest inputs). */
  sources: Record<string, string>;
  migrations: { auth: MigrationHistory | null; features: MigrationHistory | null };
  /** Load-time warnings (errors are thrown as a QuickbackError carrying diagnostics). */
  diagnostics: Diagnostic[];
  /** The incremental compile's cache for this run; null with `--no-cache`. */
  cache: CompileCache | null;
}
