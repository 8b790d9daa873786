/**
 * @module compiler/emit/contract
 * The plug-in contract: an emitter maps the AppModel to files. Emitters are pure and synchronous,
 * never touch the filesystem, and never read another emitter's output.
 */
import type { AppModel } from '../model/ir.js';

/**
 * - `compiler`: rewritten on every compile; hand edits are refused (drift).
 * - `seed`: written once when absent, the user's from then on.
 * - `history`: append-only state (migrations): written when absent or changed, never deleted.
 */
export type Ownership = 'compiler' | 'seed' | 'history';

/**
 * Which folder an emitted path is relative to. `output` (the default): the app's output directory
 * (`build.outputDir`), where every generated file lives. `project`: the project root, for the
 * user-owned seeds written next to the definitions (action handlers, inbound webhook handlers).
 * The emit driver joins each path with its base and returns `project` files; from then on every
 * path is project-relative, as the write stage, the migrations and the cache hold them.
 */
export type Base = 'output' | 'project';

export interface EmittedFile {
  /** POSIX path relative to `base`. */
  path: string;
  /** Absent: `output`. */
  base?: Base;
  contents: string;
  ownership: Ownership;
  /** Emitter id, recorded in the manifest. */
  emitter: string;
}

/**
 * Reuse of per-feature work between compiles of one process (watch mode). `use` returns what
 * `compute` returned in an earlier compile whose `deps` were equal, else computes. `deps` must be
 * every input `compute` reads (plain data: IR objects, strings, numbers); the result must not be
 * mutated by the caller, since a later compile may return the same value again.
 */
export interface EmitMemo {
  use<T>(scope: string, deps: readonly unknown[], compute: () => T): T;
}

/** No reuse: every compile computes everything (one-shot compiles, tests). */
export const noMemo: EmitMemo = { use: (_scope, _deps, compute) => compute() };

export interface EmitContext {
  /** Source text of the hand-written runtime files (src/runtime), keyed by file name. */
  runtimeSources: Record<string, string>;
  memo?: EmitMemo;
  /** The journals the app ships, by migrations folder (quickback/drizzle/<name>): tags in order and the last `when`. */
  migrations?: ShippedJournals;
}

export type ShippedJournals = Partial<Record<'features' | 'auth', { tags: readonly string[]; when: number }>>;

export interface Emitter {
  id: string;
  /** Whether this emitter has anything to do for the model's targets. */
  applies(model: AppModel): boolean;
  /** Each file's path is relative to its `base` (mostly `output`). */
  emit(model: AppModel, context: EmitContext): EmittedFile[];
}
