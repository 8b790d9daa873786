/**
 * `quickback upgrade`: rewrites legacy DSL forms across quickback/ with a jscodeshift transform
 * (transforms/legacy-dsl.cjs) run by jscodeshift's multi-file Runner over a temporary copy of
 * the definitions; rewritten files are staged in the Tree (so --dry-run, the all-or-nothing
 * write and undo work as for every generator). Reports per file what was rewritten; any file it
 * cannot rewrite faithfully stops the whole upgrade (QB_GEN_UPGRADE_CONFLICT), nothing written.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { error, type Diagnostic } from '../../src/shared/diagnostics.js';
import { QuickbackError } from '../../src/shared/errors.js';
import { packagePath } from '../../src/shared/package-root.js';
import type { Tree } from '../../src/shared/tree.js';
import { CONFIG } from '../config.js';
import { defineGenerator } from '../types.js';
import { upgradeOptions } from './options.js';

const TRANSFORM = packagePath('generators', 'upgrade', 'transforms', 'legacy-dsl.cjs');
const DEFINITION = /\.(?:ts|mts|js|mjs)$/;

interface FileReport {
  file: string;
  status: 'rewritten' | 'unchanged' | 'conflict';
  rules: string[];
  conflicts: { line?: number; reason: string }[];
}
type Runner = { run(transform: string, paths: string[], options: Record<string, unknown>): Promise<{ error: number }> };

/** Definition files: everything under quickback/ but the compiler's folders and handlers. */
const definitions = (tree: Tree) =>
  tree.list('quickback').filter((f) =>
    DEFINITION.test(f) && !f.endsWith('.d.ts') && !/\/(\.quickback|drizzle|handlers)\//.test(f)
  );

export async function upgrade(tree: Tree): Promise<FileReport[]> {
  const files = definitions(tree);
  const work = mkdtempSync(path.join(tmpdir(), 'qb-upgrade-'));
  try {
    const copy = path.join(work, 'tree');
    const reportDir = path.join(work, 'reports');
    mkdirSync(reportDir, { recursive: true });
    for (const file of files) {
      mkdirSync(path.dirname(path.join(copy, file)), { recursive: true });
      writeFileSync(path.join(copy, file), tree.read(file)!);
    }
    if (files.length > 0) {
      const { run } = createRequire(import.meta.url)('jscodeshift/src/Runner.js') as Runner;
      await run(TRANSFORM, [copy], {
        parser: 'ts',
        extensions: 'ts,mts,js,mjs',
        babel: false,
        silent: true,
        verbose: -1,
        runInBand: files.length < 16,
        reportDir,
      });
    }
    const reports = new Map(
      readdirSync(reportDir).map((name) => {
        const report = JSON.parse(readFileSync(path.join(reportDir, name), 'utf8')) as FileReport;
        return [path.relative(copy, report.file).split(path.sep).join('/'), report];
      }),
    );
    return files.map((file) => {
      const report = reports.get(file)
        ?? { file, status: 'conflict' as const, rules: [], conflicts: [{ reason: 'the file could not be parsed' }] };
      if (report.status === 'rewritten') tree.write(file, readFileSync(path.join(copy, file), 'utf8'));
      return { ...report, file };
    });
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

export const upgradeGenerator = defineGenerator({
  command: 'upgrade',
  summary:
    'rewrite legacy DSL forms across quickback/ (crud.list/get → read, views → read.views, defineResource → defineTable)',
  usage: 'quickback upgrade [--dry-run] [--json] [--no-compile] [--cwd DIR]',
  options: upgradeOptions,
  async run(tree) {
    // An empty folder is not a project with nothing to upgrade: say so, as the other generators do.
    if (tree.read(CONFIG) === null)
      throw new QuickbackError('QB_LOAD_CONFIG_NOT_FOUND', `${CONFIG} was not found`, {
        hint: 'Run this in a Quickback project (or pass --cwd).',
      });
    const reports = await upgrade(tree);
    const conflicts: Diagnostic[] = reports.flatMap((r) =>
      r.conflicts.map((c) =>
        error('QB_GEN_UPGRADE_CONFLICT', c.reason, {
          file: r.file,
          line: c.line,
          hint: 'Make this change by hand, then run quickback upgrade again.',
        })
      )
    );
    if (conflicts.length > 0) {
      const files = new Set(conflicts.map((c) => c.file)).size;
      throw new QuickbackError(
        'QB_GEN_UPGRADE_CONFLICT',
        `${files} file(s) cannot be upgraded automatically; nothing was written`,
        { file: conflicts[0].file, hint: conflicts[0].hint, diagnostics: conflicts },
      );
    }
    const rewritten = reports.filter((r) => r.status === 'rewritten');
    return {
      messages: [
        ...rewritten.map((r) => `rewritten ${r.file}: ${r.rules.join('; ')}`),
        `upgrade: ${rewritten.length} file(s) rewritten, ${reports.length - rewritten.length} already current`,
      ],
    };
  },
});
