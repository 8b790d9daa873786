/**
 * @module compiler/watch
 * `quickback compile --watch`: compiles, then re-compiles when an input changes. The watch set is
 * what the last run's load stage read (config, definitions, handlers, every project file they
 * import), recomputed after each run; new definition files are noticed because all of quickback/
 * is watched, minus outputs and the cache. Events are debounced, only one run happens at a time
 * and at most one follow-up is queued. Relevance is decided when a run starts, against the hashes
 * the previous run read and wrote, so the watcher never re-runs for its own writes; a seed that
 * load does not read (the seam quickback/app.ts) starts a run only when it is deleted, and that
 * run writes it back. A failed run writes nothing (compile stops before its write stage), so good
 * output stays as it was.
 * Each run holds the project lock (compiler/write/lock): while a generator or `undo` holds it,
 * the run waits, then re-checks relevance (their own compile already wrote the output).
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { watch as chokidar, type FSWatcher } from 'chokidar';
import { CompileMemo, type CacheData } from '../cache/index.js';
import { compile, type CompileResult } from '../index.js';
import { findConfig } from '../load/find.js';
import { QUICKBACK_DIR, relativePath } from '../load/paths.js';
import { sha256File as hashFile } from '../../shared/hash.js';
import { acquireLock, type ProjectLock } from '../write/lock.js';
import { isCandidateInput, isIgnoredPath, isRelevantChange } from './relevance.js';

export interface WatchRun {
  /** 1 for the first run, then one more per run that happened. */
  run: number;
  /** Project-relative files whose change started the run (empty for the first run). */
  trigger: string[];
  ms: number;
  result?: CompileResult;
  /** What the run threw (a QuickbackError carrying diagnostics, usually). */
  error?: unknown;
}

export interface WatchOptions {
  cwd: string;
  /** false: `--no-cache` (every run loads every definition from source). */
  cache?: boolean;
  force?: boolean;
  /** Quiet period after the last event before a run starts. */
  debounceMs?: number;
  onRun(run: WatchRun): void;
  /** How the project lock names this watcher to a generator waiting for it. */
  lockCommand?: string;
}

export interface CompileWatcher {
  /** Stops watching; resolves once a run in progress has finished (its writes are atomic). */
  close(): Promise<void>;
}

export async function watchCompile(options: WatchOptions): Promise<CompileWatcher> {
  const root = path.resolve(options.cwd);
  // Not a project at all: fail now (exit 1) rather than wait for a quickback/ folder to appear.
  if (!findConfig(root)) await compile({ cwd: root, check: true });
  const abs = (rel: string) => path.join(root, ...rel.split('/'));
  const known = new Map<string, string>();
  const pending = new Set<string>();
  let previous: { envKey: string; data: CacheData } | undefined;
  const memo = new CompileMemo();
  let external = new Set<string>();
  /** Seeds the last run emitted that load does not read: only their deletion starts a run. */
  let seeds = new Set<string>();
  const relevant = (rel: string) => isRelevantChange(rel, known, hashFile(abs(rel)), seeds);
  let runs = 0;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | null = null;
  let queued = false;
  let closed = false;
  const stop = new AbortController();

  const watcher: FSWatcher = chokidar(abs(QUICKBACK_DIR), {
    ignoreInitial: true,
    ignored: (file: string) => isIgnoredPath(relativePath(root, file)),
  });
  const ready = new Promise<void>((resolve) => watcher.once('ready', () => resolve()));

  /** Known inputs (what this run read, plus handler seeds it wrote under quickback/) and the other seeds. */
  function remember(trigger: string[], result?: CompileResult, sources?: Record<string, string>): void {
    for (const rel of trigger) {
      const hash = hashFile(abs(rel));
      if (hash === null) known.delete(rel);
      else known.set(rel, hash);
    }
    if (!sources) return;
    known.clear();
    for (const [rel, hash] of Object.entries(sources)) known.set(rel, hash);
    if (result) seeds = new Set(result.plan.seeds.filter((rel) => !(rel in sources) && !isCandidateInput(rel)));
    for (const rel of result?.written ?? []) {
      const input = rel.startsWith(`${QUICKBACK_DIR}/`) && !isIgnoredPath(rel) && !seeds.has(rel);
      const hash = input ? hashFile(abs(rel)) : null;
      if (hash !== null) known.set(rel, hash);
    }
    const next = new Set([...known.keys()].filter((rel) => !rel.startsWith(`${QUICKBACK_DIR}/`)));
    const added = [...next].filter((rel) => !external.has(rel));
    const removed = [...external].filter((rel) => !next.has(rel));
    if (added.length > 0) {
      watcher.add(added.map(abs));
      // chokidar sets up new watches asynchronously: an edit made before it is ready would be
      // missed, so look at the new files once more when it must be (unchanged ones do not run).
      setTimeout(() => added.forEach((rel) => onEvent(abs(rel))), 300).unref();
    }
    if (removed.length > 0) watcher.unwatch(removed.map(abs));
    external = next;
  }

  async function runOnce(triggered: string[]): Promise<void> {
    // A lock that cannot be written at all (read-only folder): the run goes on and reports the write error.
    const lock = await acquireLock(root, options.lockCommand ?? 'quickback compile --watch', {
      waitMs: Infinity,
      signal: stop.signal,
    })
      .catch((): ProjectLock => ({ waited: false, release: () => undefined }));
    if (!lock) return;
    try {
      // A generator or undo held the lock: it compiled what it changed, so look again.
      const trigger = lock.waited
        ? triggered.filter(relevant)
        : triggered;
      if (runs === 0 || trigger.length > 0) await compileOnce(trigger);
    } finally {
      lock.release();
    }
  }

  async function compileOnce(trigger: string[]): Promise<void> {
    runs += 1;
    const started = performance.now();
    const report: WatchRun = { run: runs, trigger, ms: 0 };
    try {
      report.result = await compile({
        cwd: root,
        force: options.force,
        cache: options.cache === false ? false : { previous },
        memo: options.cache === false ? undefined : memo,
      });
      if (report.result.cache) previous = { envKey: report.result.cache.envKey, data: report.result.cache.next };
      remember(trigger, report.result, report.result.inputs);
    } catch (thrown) {
      report.error = thrown;
      const meta = (thrown as { meta?: { sources?: Record<string, string> } }).meta;
      remember(trigger, undefined, meta?.sources);
    }
    report.ms = Math.round(performance.now() - started);
    if (!closed) options.onRun(report);
  }

  function drain(): void {
    if (closed) return;
    if (running) {
      queued = true;
      return;
    }
    running = (async () => {
      do {
        queued = false;
        const trigger = [...pending].filter(relevant).sort();
        pending.clear();
        if (trigger.length > 0) await runOnce(trigger);
      } while (queued && !closed);
    })().finally(() => {
      running = null;
    });
  }

  function onEvent(file: string): void {
    if (closed) return;
    pending.add(relativePath(root, file));
    clearTimeout(timer);
    timer = setTimeout(drain, options.debounceMs ?? 150);
  }
  watcher.on('add', onEvent).on('change', onEvent).on('unlink', onEvent).on('addDir', (dir: string) => {
    // A file written right after its folder was made can land before chokidar watches the folder
    // (seen on a loaded machine): look inside the new folder once it must be watched.
    setTimeout(() => listFiles(dir).forEach(onEvent), 300).unref();
  });

  await ready;
  running = runOnce([]).finally(() => {
    running = null;
  });
  await running;
  return {
    async close() {
      closed = true;
      stop.abort();
      clearTimeout(timer);
      await watcher.close();
      await running;
    },
  };
}

/** The files under a folder, recursively (none when it is gone again). */
function listFiles(dir: string): string[] {
  try {
    return readdirSync(dir, { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => path.join(entry.parentPath, entry.name));
  } catch {
    return [];
  }
}
