/**
 * @module compiler/cache/types
 * What the incremental compile keeps between runs. Every entry is keyed by content hashes, so a
 * stale entry can only ever miss, never be used: a definition file's entry by the file's hash and
 * the hashes of every project file it imports; a migration plan by the hash of everything the
 * plan is computed from.
 */
import type { EmittedFile } from '../emit/contract.js';
import type { Diagnostic } from '../../shared/diagnostics.js';
import type { ActionsInput, ResourceInput } from '../load/inputs.js';

/** What loading one definition file yielded, as plain data. */
export interface CachedDefinitions {
  resources: ResourceInput[];
  /** Action specs without their zod `input` (its JSON Schema is kept in `resolved`). */
  actions: ActionsInput[];
  diagnostics: Diagnostic[];
}

export interface CachedFile {
  /** sha256 of the file. */
  hash: string;
  /** Project-relative path → sha256 of every project file it imports, directly or not. */
  deps: Record<string, string>;
  definitions: CachedDefinitions;
}

export interface CachedMigration {
  /** sha256 of the tables, renames and history the plan was computed from. */
  key: string;
  files: EmittedFile[];
}

/** An output file as the last compile left it (see write/disk-state.ts). */
export interface OutputRecord {
  sha256: string;
  size: number;
  mtimeMs: number;
  ctimeMs: number;
  ino: number;
  /** When the record was taken (ms since the epoch). */
  recordedAt: number;
}

/** esbuild's output for one module (see load/transform.ts). */
export interface CachedTransform {
  /** sha256 of the source it was made from. */
  hash: string;
  code: string;
  imports: string[];
}

export interface CacheData {
  files: Record<string, CachedFile>;
  /** Absolute module path → its transform (the config, the DSL, and the modules the last compile loaded). */
  transforms: Record<string, CachedTransform>;
  migrations: Record<string, CachedMigration>;
  /** Project-relative output path → its record. */
  outputs: Record<string, OutputRecord>;
  /** sha256 of an emitted TypeScript file as printed → the same file formatted (see emit/format.ts). */
  formatted: Record<string, string>;
}

/** One compile's view of the cache: what it may reuse, and what it leaves for the next run. */
export interface CompileCache {
  /** Compiler version, cache format, V8 version and lockfile: a different one discards the cache. */
  envKey: string;
  previous: CacheData;
  next: CacheData;
  /** Definition files taken from the cache / loaded from source in this run (project-relative). */
  reused: string[];
  loaded: string[];
}

export const emptyCacheData = (): CacheData => ({
  files: {},
  transforms: {},
  migrations: {},
  outputs: {},
  formatted: {},
});
