/**
 * @module compiler/write/plan
 * planWrite(): compares the emitted files with the disk and the last manifest and decides, per
 * path, whether to create, update, delete or leave it, and which hand edits block the write.
 * Reads the disk but never changes it. Ownership rules are in compiler/emit/contract.ts.
 */
import type { EmittedFile, Ownership } from '../emit/contract.js';
import { error, sortDiagnostics, type Diagnostic } from '../../shared/diagnostics.js';
import { QuickbackError } from '../../shared/errors.js';
import type { OutputRecord } from '../cache/index.js';
import { knownDiskHash } from './disk-state.js';
import { readText } from './fs.js';
import { readManifest, serializeManifest, type Manifest, type ManifestEntry } from './manifest.js';
import { MANIFEST_PATH, compareStrings, normalizeRelPath, resolveInside, sha256 } from './paths.js';

export type ChangeAction = 'create' | 'update' | 'delete';

export interface FileChange {
  path: string;
  action: ChangeAction;
  /** Current disk contents (null for create). */
  before: string | null;
  /** Contents to write (null for delete). */
  after: string | null;
  ownership: Ownership;
  emitter: string;
}

export interface WritePlan {
  /** Sorted by path. Changes blocked by a conflict are listed too (they happen under --force). */
  changes: FileChange[];
  /** Emitted paths whose disk contents stay as they are, sorted. */
  unchanged: string[];
  /** The emitted seeds' paths, sorted: files the output needs, written whenever they are missing. */
  seeds: string[];
  /** Hand edits and foreign files in the way; applyPlan refuses to run while there are any. */
  conflicts: Diagnostic[];
  /** The manifest as it will be once the plan is applied. */
  manifest: Manifest;
  /** Whether that manifest's text differs from the one on disk. */
  manifestChanged: boolean;
}

export interface PlanWriteOptions {
  root: string;
  files: readonly EmittedFile[];
  /** The project files the output is built from (only their paths are recorded). */
  inputs: Record<string, string> | readonly string[];
  compilerVersion: string;
  force?: boolean;
  /** What the last compile left on disk (the cache): files whose stat still matches are not read. */
  outputs?: Record<string, OutputRecord>;
  /** sha256 of contents (a memoising one in watch mode). */
  hash?: (contents: string) => string;
}

interface PlanState {
  force: boolean;
  changes: FileChange[];
  unchanged: string[];
  conflicts: Diagnostic[];
  files: Record<string, ManifestEntry>;
}

const DRIFT_HINT =
  'Put the change into your quickback/ definitions instead, or run quickback compile --force to discard it.';

function indexFiles(files: readonly EmittedFile[]): Map<string, EmittedFile> {
  const byPath = new Map<string, EmittedFile>();
  for (const file of files) {
    const rel = normalizeRelPath(file.path);
    const previous = byPath.get(rel);
    if (previous || rel === MANIFEST_PATH) {
      const other = previous ? `"${previous.emitter}"` : 'the write manifest';
      throw new QuickbackError('QB_EMIT_PATH_COLLISION', `Emitter "${file.emitter}" and ${other} both write ${rel}`, {
        file: rel,
        hint: 'This is a compiler bug; please report it.',
      });
    }
    byPath.set(rel, { ...file, path: rel });
  }
  return byPath;
}

function planEmitted(
  state: PlanState,
  file: EmittedFile & { sha256: string },
  current: string | null,
  prev: ManifestEntry | undefined,
): void {
  const { path, contents, ownership, emitter } = file;
  const entry: ManifestEntry = { sha256: file.sha256, emitter, ownership };
  const change = (action: ChangeAction): void => {
    state.changes.push({ path, action, before: current, after: contents, ownership, emitter });
  };
  if (ownership === 'seed') {
    // The user's from the moment it exists: never overwritten. Emitted because the generated code
    // imports it, so a missing seed is written (again), and the manifest records what was written.
    if (current === null || (!prev && current === contents)) state.files[path] = entry;
    else if (prev) state.files[path] = { ...prev, emitter, ownership };
    if (current === null) change('create');
    else state.unchanged.push(path);
    return;
  }
  state.files[path] = entry;
  if (current === null) return change('create');
  if (current === contents) {
    state.unchanged.push(path);
    return;
  }
  if (ownership === 'compiler' && !state.force) {
    if (!prev) {
      state.conflicts.push(
        error('QB_WRITE_UNOWNED_PATH', `${path} already exists and was not written by the compiler`, {
          file: path,
          hint: 'Move or rename your file, or run quickback compile --force to overwrite it.',
        }),
      );
    } else if (sha256(current) !== prev.sha256) {
      state.conflicts.push(
        error('QB_WRITE_DRIFT', `${path} was edited by hand since the last compile`, { file: path, hint: DRIFT_HINT }),
      );
    }
  }
  change('update');
}

function planStale(state: PlanState, path: string, prev: ManifestEntry, current: string | null): void {
  if (prev.ownership !== 'compiler') {
    state.files[path] = prev; // seed and history output is never deleted
    return;
  }
  if (current === null) return; // already gone: just forget it
  if (sha256(current) !== prev.sha256 && !state.force) {
    state.conflicts.push(
      error('QB_WRITE_DRIFT', `${path} is no longer generated but was edited by hand since the last compile`, {
        file: path,
        hint: DRIFT_HINT,
      }),
    );
  }
  state.changes.push({
    path,
    action: 'delete',
    before: current,
    after: null,
    ownership: prev.ownership,
    emitter: prev.emitter,
  });
}

export async function planWrite(options: PlanWriteOptions): Promise<WritePlan> {
  const { root } = options;
  const emitted = indexFiles(options.files);
  const { manifest: old, text: oldText } = await readManifest(root);
  const oldFiles = old?.files ?? {};
  const paths = [...new Set([...emitted.keys(), ...Object.keys(oldFiles)])].sort(compareStrings);
  const hashOf = options.hash ?? sha256;
  const hashes = new Map([...emitted].map(([p, file]) => [p, hashOf(file.contents)]));
  // An emitted file whose disk copy provably holds the same bytes is not read (see disk-state.ts).
  const provenSame = (p: string) =>
    hashes.has(p) && knownDiskHash(resolveInside(root, p), options.outputs?.[p]) === hashes.get(p);
  const needsDisk = paths.filter((p) => (emitted.has(p) || oldFiles[p]?.ownership === 'compiler') && !provenSame(p));
  const disk = new Map<string, string | null>(
    await Promise.all(needsDisk.map(async (p) => [p, await readText(resolveInside(root, p), p)] as const)),
  );
  for (const p of paths) if (emitted.has(p) && !disk.has(p)) disk.set(p, emitted.get(p)!.contents);

  const state: PlanState = { force: options.force === true, changes: [], unchanged: [], conflicts: [], files: {} };
  for (const p of paths) {
    const file = emitted.get(p);
    if (file) planEmitted(state, { ...file, sha256: hashes.get(p)! }, disk.get(p) ?? null, oldFiles[p]);
    else planStale(state, p, oldFiles[p]!, disk.get(p) ?? null);
  }

  const inputs = (Array.isArray(options.inputs) ? [...options.inputs] : Object.keys(options.inputs)).sort(
    compareStrings,
  );
  const manifest: Manifest = { manifestVersion: 2, compiler: options.compilerVersion, inputs, files: state.files };
  return {
    changes: state.changes,
    unchanged: state.unchanged,
    seeds: paths.filter((p) => emitted.get(p)?.ownership === 'seed'),
    conflicts: sortDiagnostics(state.conflicts),
    manifest,
    manifestChanged: serializeManifest(manifest) !== oldText,
  };
}
