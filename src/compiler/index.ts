/**
 * @module compiler
 * `compile()`: load → validate → model → emit (+ migrations) → vendor-select → format → write. Only load reads the user's
 * project and only write changes the disk; the stages between are pure.
 */
import pkg from '../../package.json' with { type: 'json' };
import type { EmittedFile } from './emit/contract.js';
import { hasErrors, sortDiagnostics, type Diagnostic } from '../shared/diagnostics.js';
import { QuickbackError } from '../shared/errors.js';
import { formatFiles } from './emit/format.js';
import { emit } from './emit/index.js';
import { readRuntimeSources } from './emit/runtime-sources.js';
import { selectVendored } from './emit/vendor-select.js';
import type { CompileCache, CompileMemo } from './cache/index.js';
import { loadProject, type LoadedProject, type LoadOptions } from './load/index.js';
import { planMigrations, shippedJournals } from './migrations.js';
import { buildModel } from './model/index.js';
import type { AppModel } from './model/ir.js';
import { validate } from './validate/index.js';
import {
  applyPlan,
  planWrite,
  recordOutputs,
  renderDiff,
  summarize,
  writeCache,
  type WritePlan,
} from './write/index.js';

export const COMPILER_VERSION = pkg.version;

export interface CompileOptions {
  cwd: string;
  /** Plan only; the caller exits 1 when anything would change. */
  check?: boolean;
  /** Plan and render a unified diff; write nothing. */
  dryRun?: boolean;
  /** Overwrite hand-edited compiler-owned files. */
  force?: boolean;
  loader?: LoadOptions['loader'];
  /** false: no incremental cache (`--no-cache`); `{ previous }`: the last run's, kept in memory (watch). */
  cache?: LoadOptions['cache'];
  /** Reuse of emitter work between compiles of one process (watch); results are identical without it. */
  memo?: CompileMemo;
}

export interface CompileResult {
  root: string;
  diagnostics: Diagnostic[];
  plan: WritePlan;
  summary: ReturnType<typeof summarize>;
  written: string[];
  deleted: string[];
  /** Unified diff (dry run only). */
  diff?: string;
  /** Whether anything is out of date (what --check reports). */
  changed: boolean;
  model: AppModel;
  /** Every project file the compile read: the watch set. */
  sources: string[];
  /** The same files with their sha256. */
  inputs: Record<string, string>;
  /** What this run cached (null with --no-cache); watch keeps it in memory for the next run. */
  cache: CompileCache | null;
}

/** Stages 1–3: the validated model, or a QuickbackError carrying every diagnostic. */
export async function analyze(
  cwd: string,
  options: LoadOptions = {},
): Promise<{ project: LoadedProject; model: AppModel; diagnostics: Diagnostic[] }> {
  const project = await loadProject(cwd, options);
  let diagnostics = sortDiagnostics([...project.diagnostics, ...validate(project)]);
  if (hasErrors(diagnostics)) {
    const { locateDiagnostics } = await import('./load/locate.js');
    diagnostics = locateDiagnostics(project.root, diagnostics);
    const count = diagnostics.filter((d) => d.severity === 'error').length;
    throw new QuickbackError(
      diagnostics.find((d) => d.severity === 'error')!.code,
      `${count} problem${count === 1 ? '' : 's'} found in the definitions`,
      { diagnostics, meta: { sources: project.sources, root: project.root } },
    );
  }
  return { project, model: buildModel(project), diagnostics };
}

export async function compile(options: CompileOptions): Promise<CompileResult> {
  const { project, model, diagnostics } = await analyze(options.cwd, { loader: options.loader, cache: options.cache });
  options.memo?.begin();
  const migrations = await planMigrations(model, project);
  const shipped = shippedJournals(project, migrations);
  const runtimeSources = readRuntimeSources();
  const emitted: EmittedFile[] = [
    ...emit(model, { runtimeSources, memo: options.memo, migrations: shipped }),
    ...migrations,
  ];
  const { ts } = await import('ts-morph');
  const printed = selectVendored(ts, emitted, runtimeSources, model.build.outputDir);
  const files = formatFiles(printed, {
    stored: project.cache?.previous.formatted,
    keep: project.cache?.next.formatted,
  });
  const plan = await planWrite({
    root: project.root,
    files,
    inputs: project.sources,
    compilerVersion: COMPILER_VERSION,
    force: options.force === true,
    outputs: project.cache?.previous.outputs,
    hash: options.memo?.hash,
  });
  const changed = plan.changes.length > 0 || plan.manifestChanged;
  const result: CompileResult = {
    root: project.root,
    diagnostics: sortDiagnostics([...diagnostics, ...plan.conflicts]),
    plan,
    summary: summarize(plan),
    written: [],
    deleted: [],
    changed,
    model,
    sources: Object.keys(project.sources).sort(),
    inputs: { ...project.sources },
    cache: project.cache,
  };
  if (options.check) return result;
  if (options.dryRun) return { ...result, diff: renderDiff(plan) };
  const applied = await applyPlan(project.root, plan);
  options.memo?.commit();
  if (project.cache) {
    project.cache.next.outputs = recordOutputs(project.root, plan.manifest.files, project.cache.previous.outputs);
    await writeCache(project.root, project.cache);
  }
  return { ...result, written: applied.written, deleted: applied.deleted };
}
