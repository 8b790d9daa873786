/**
 * @module compiler/load/types
 * What the load stage hands to validate and model: the raw config, every resource in one
 * uniform shape whichever authoring form it used, and the migration history on disk.
 */
import type { QuickbackConfigInput } from '../../dsl/config.js';
import type { Diagnostic } from '../../shared/diagnostics.js';
import type { CompileCache } from '../cache/types.js';
import type { ActionsInput, ResourceInput } from './inputs.js';

export type { ActionsInput, AuthoringForm, ResolvedAction, ResourceInput } from './inputs.js';

export interface MigrationJournalEntry {
  idx: number;
  version: string;
  when: number;
  tag: string;
  breakpoints: boolean;
}
export interface MigrationJournal {
  version: string;
  dialect: string;
  entries: MigrationJournalEntry[];
}

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
