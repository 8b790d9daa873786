import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { packagePath } from '../../shared/package-root.js';
import { loadProject } from './index.js';

const fixture = (name: string) => packagePath('test', 'fixtures', 'projects', name);

function project(files: Record<string, string>): string {
  mkdirSync(packagePath('.out'), { recursive: true });
  const root = mkdtempSync(path.join(packagePath('.out'), 'load-'));
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), text);
  }
  return root;
}

describe('loadProject', () => {
  it('reads all three authoring forms into one resource shape, with hashed sources', async () => {
    const loaded = await loadProject(fixture('interop'));
    expect(loaded.diagnostics).toEqual([]);
    const byName = Object.fromEntries(loaded.resources.map((r) => [r.name, r]));
    expect(byName.projects).toMatchObject({
      form: 'drizzle',
      file: 'quickback/features/projects/projects.ts',
      internal: false,
    });
    expect(byName.projects.drizzle?.columns.organizationId).toMatchObject({
      sqlName: 'organization_id',
      storage: 'text',
      notNull: true,
    });
    expect(byName.tasks).toMatchObject({ form: 'qtable', featureDir: 'tasks' });
    expect(Object.keys(byName.tasks.columns)).toEqual(['id', 'title', 'projectId', 'organizationId']);
    expect(Object.keys(loaded.sources).sort()).toEqual([
      'quickback/features/projects/projects.ts',
      'quickback/features/tasks/tasks.ts',
      'quickback/quickback.config.ts',
    ]);
    expect(Object.values(loaded.sources).every((h) => /^[0-9a-f]{64}$/.test(h))).toBe(true);
    const solo = await loadProject(fixture('solo'));
    expect(solo.resources.map((r) => [r.name, r.form])).toEqual([['bookmarks', 'feature']]);
  });

  it('reports a syntax error with file and line, and keeps loading the other files', async () => {
    const root = project({
      'quickback/quickback.config.ts':
        'import { defineConfig, defineDatabase, defineRuntime } from "@quickback/compiler";\nexport default defineConfig({ name: "x", providers: { runtime: defineRuntime("node"), database: defineDatabase("libsql") } });\n',
      'quickback/features/a/a.ts':
        'import { feature, q } from "@quickback/compiler";\n\nexport default feature("a", { columns: { t: q.text( } });\n',
      'quickback/features/b/b.ts':
        'import { feature, q } from "@quickback/compiler";\nexport default feature("b", { columns: { ownerId: q.scope("owner") } });\n',
    });
    const loaded = await loadProject(root);
    expect(loaded.resources.map((r) => r.name)).toEqual(['b']);
    expect(loaded.diagnostics).toHaveLength(1);
    expect(loaded.diagnostics[0]).toMatchObject({
      code: 'QB_LOAD_SYNTAX_ERROR',
      file: 'quickback/features/a/a.ts',
      line: 3,
    });
  });

  it('throws QB_LOAD_CONFIG_NOT_FOUND with a hint when there is no config', async () => {
    await expect(loadProject(project({ 'README.md': 'hi' }))).rejects.toMatchObject({
      code: 'QB_LOAD_CONFIG_NOT_FOUND',
      hint: expect.stringContaining('npm create quickback'),
    });
  });
});
