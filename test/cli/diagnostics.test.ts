/**
 * Issue #30 §6: diagnostics a terminal can click. A problem in a user file is printed as
 * `path/to/file.ts:LINE:COL` relative to the cwd, with a code frame; semantic errors are mapped from
 * their definition path back to the property in the source; `--json` carries file, line, column.
 */
import { describe, expect, it } from 'vitest';
import path from 'node:path';
import { emptyProject } from '../helpers/project.js';
import { runCli } from './run-cli.js';

const CONFIG = `import { defineConfig, defineDatabase, defineRuntime } from "@quickback/compiler";
export default defineConfig({
  name: "diag",
  providers: { runtime: defineRuntime("node"), database: defineDatabase("better-sqlite3") },
  features: { organizations: true },
});
`;

const TODOS = (columns: string, rest = '') => `import { feature, q } from "@quickback/compiler";
export default feature("todos", {
  columns: {
    ${columns}
    organizationId: q.scope("organization"),
  },
${rest}});
`;

const FILE = 'quickback/features/todos/todos.ts';
/** The child inherits this process's cwd, so that is what printed paths are relative to. */
const shown = (root: string) => path.relative(process.cwd(), path.join(root, FILE)).split(path.sep).join('/');

describe('diagnostics point at file:line:col with a code frame', () => {
  it('a syntax error prints cwd-relative file:line:col and the offending line with a caret', async () => {
    const root = emptyProject('diag-syntax', {
      'quickback/quickback.config.ts': CONFIG,
      [FILE]: TODOS('title: q.text().required(,'),
    });
    const result = await runCli(['compile', '--cwd', root]);
    expect(result.code, result.stderr).toBe(1);
    expect(result.stderr).toContain(`${shown(root)}:4:30`);
    expect(result.stderr).not.toContain('line:4:30');
    expect(result.stderr).toContain('> 4 |     title: q.text().required(,');
    expect(result.stderr).toMatch(/\n\s+\| {30}\^\n/);
    expect(result.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/);
  });
});

describe('unknown options suggest the nearest valid one', () => {
  it('generatedId in a feature → did you mean generateId, and where it belongs', async () => {
    const root = emptyProject('diag-option', {
      'quickback/quickback.config.ts': CONFIG,
      [FILE]: TODOS('title: q.text().required(),', '  generatedId: true,\n'),
    });
    const result = await runCli(['compile', '--cwd', root]);
    expect(result.code, result.stderr).toBe(1);
    expect(result.stderr).toContain('QB_VALIDATE_UNKNOWN_OPTION');
    expect(result.stderr).toContain('features.todos.generatedId');
    expect(result.stderr).toContain(
      'hint: Did you mean "generateId"? It is an option of `providers.database` in quickback/quickback.config.ts',
    );
    expect(result.stderr).not.toContain('Valid options: unique');
  });
});

describe('semantic errors are mapped back to the property in the source', () => {
  const rest = '  crud: {\n    delete: { access: { roles: ["*"] } },\n  },\n';

  it('features.todos.crud.delete.access.roles[0] → todos.ts:8:33 with a code frame', async () => {
    const root = emptyProject('diag-semantic', {
      'quickback/quickback.config.ts': CONFIG,
      [FILE]: TODOS('title: q.text().required(),', rest),
    });
    const result = await runCli(['compile', '--cwd', root]);
    expect(result.code, result.stderr).toBe(1);
    expect(result.stderr).toContain(
      `QB_VALIDATE_INVALID_ACCESS ${shown(root)}:8:33 features.todos.crud.delete.access.roles[0]`,
    );
    expect(result.stderr).toContain('> 8 |     delete: { access: { roles: ["*"] } },');
    expect(result.stderr).toMatch(/\n\s+\| {33}\^\n/);
  });

  it('--json carries file, line and column (config options through defineDatabase(..., {...}) too)', async () => {
    const config = CONFIG.replace(
      'defineDatabase("better-sqlite3")',
      'defineDatabase("better-sqlite3", {\n    generatedId: "uuid",\n  } as never)',
    );
    const root = emptyProject('diag-json', {
      'quickback/quickback.config.ts': config,
      [FILE]: TODOS('title: q.text().required(),', rest),
    });
    const result = await runCli(['compile', '--cwd', root, '--json']);
    expect(result.code, result.stderr).toBe(1);
    const parsed = JSON.parse(result.stdout) as {
      diagnostics: { code: string; file: string; at: string; line?: number; column?: number }[];
    };
    expect(parsed.diagnostics.map((d) => `${d.code} ${d.file}:${d.line}:${d.column} ${d.at}`)).toEqual([
      `QB_VALIDATE_INVALID_ACCESS ${FILE}:8:33 features.todos.crud.delete.access.roles[0]`,
      'QB_VALIDATE_UNKNOWN_OPTION quickback/quickback.config.ts:5:5 providers.database.generatedId',
    ]);
  });
});
