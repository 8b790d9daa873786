/**
 * @module slow-first
 * vitest's file order on a fresh clone: the slowest files first. vitest orders files by the
 * durations of the last run (kept under node_modules/.vite), and without them (a fresh clone, CI)
 * by size, largest first; the scaffold matrix is small but among the longest, so it used to start
 * two thirds of the way in and run on alone at the end while the other worker sat idle. The files
 * below (longest first, minutes each at the last fresh clone) start first; the rest keep vitest's
 * order, and where vitest knows the durations it is left to them.
 */
import path from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

export const SLOWEST = [
  'test/scaffold/matrix.test.ts',
  'test/cli/sweep.test.ts',
  'test/emit/fixtures.test.ts',
  'test/pack/create-from-registry.test.ts',
  'test/e2e/wrangler.test.ts',
  'test/cli/lock.test.ts',
  'test/conformance/postgres.test.ts',
];

export default class SlowFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    if (sorted.every((file) => this.ctx.cache.getFileTestResults(this.key(file)))) return sorted;
    const rank = (file: TestSpecification) => {
      const index = SLOWEST.indexOf(this.relative(file));
      return index === -1 ? SLOWEST.length : index;
    };
    return sorted.map((file, i) => ({ file, i })).sort((a, b) => rank(a.file) - rank(b.file) || a.i - b.i).map((
      { file },
    ) => file);
  }

  private relative(file: TestSpecification): string {
    return path.relative(this.ctx.config.root, file.moduleId).split(path.sep).join('/');
  }

  private key(file: TestSpecification): string {
    return `${file.project.name}:${path.relative(this.ctx.config.root, file.moduleId)}`;
  }
}
