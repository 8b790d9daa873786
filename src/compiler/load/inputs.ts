/**
 * @module compiler/load/inputs
 * One resource and one actions file as the load stage reads them, in one uniform shape whichever
 * authoring form they used. A leaf: the load stage's project (load/types.ts) and the incremental
 * cache's entries (cache/types.ts) both hold these.
 */
import type { ColumnSpec } from '../../dsl/columns/spec.js';
import type { ActionSpec } from '../../dsl/actions.js';
import type { ResourceSpec } from '../../dsl/feature.js';
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
  drizzle?: {
    table: string;
    columns: Record<
      string,
      { sqlName: string; storage: ColumnStorage; primaryKey: boolean; autoIncrement: boolean; notNull: boolean }
    >;
  };
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
