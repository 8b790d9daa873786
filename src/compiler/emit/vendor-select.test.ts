/**
 * @module compiler/emit/vendor-select.test
 * The app gets only the runtime it uses: the helpdesk (Node + SQLite, no add-ons) vendors no
 * add-on, S3, SigV4, Supabase or Neon file; the helpdesk with every add-on vendors them; both
 * type-check (the vendored index re-exports only vendored modules, under the comments of their
 * groups); names imported from `#quickback` vendor their modules; the stage is deterministic.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { ts } from 'ts-morph';
import { beforeAll, describe, expect, it } from 'vitest';
import { compile } from '../index.js';
import { readRuntimeSources } from './runtime-sources.js';
import { runtimeGraph } from './runtime-graph.js';
import { closure, selectVendored } from './vendor-select.js';
import type { EmittedFile } from './contract.js';
import { addonsProject } from '../../../test/helpers/addons.js';
import { copyFixture } from '../../../test/helpers/project.js';
import { typecheckApps } from '../../../test/helpers/typecheck-apps.js';

const ADDON_FILE = /(^|\/)(addons\/(realtime|webhooks|files)\/|.*(file-store|s3|sigv4|supabase|neon))/;

function vendored(root: string, dir = 'src/lib/quickback'): string[] {
  return readdirSync(path.join(root, dir), { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts')).map((
    f,
  ) => f.split(path.sep).join('/')).sort();
}

const file = (p: string, contents: string, emitter = 'hono'): EmittedFile => ({
  path: p,
  contents,
  ownership: 'compiler',
  emitter,
});

describe('vendor-select', () => {
  let plain: string;
  let full: string;
  beforeAll(async () => {
    plain = copyFixture('helpdesk', 'vendor-select-plain');
    full = addonsProject('vendor-select-addons');
    await compile({ cwd: plain });
    await compile({ cwd: full });
  }, 240_000);

  it('vendors no add-on, S3, SigV4, Supabase or Neon file for the helpdesk', () => {
    const files = vendored(plain);
    expect(files.filter((f) => ADDON_FILE.test(f))).toEqual([]);
    expect(files).toContain('app/app.ts');
    expect(files).toContain('routes/actions.ts');
    expect(files.length).toBeLessThan(Object.keys(readRuntimeSources()).length - 25);
  });

  it('vendors the add-ons of an app that uses them all', () => {
    const files = vendored(full);
    for (const f of [
      'addons/files/addon.ts',
      'addons/files/files.ts',
      'addons/realtime/addon.ts',
      'addons/realtime/realtime-routes.ts',
      'addons/webhooks/addon.ts',
      'addons/webhooks/webhook-routes.ts',
    ]) {
      expect(files).toContain(f);
    }
  });

  it('leaves each vendored index.ts only re-exports of vendored modules: both apps type-check', () => {
    for (const root of [plain, full]) {
      const index = readFileSync(path.join(root, 'src/lib/quickback/index.ts'), 'utf8');
      const present = new Set(vendored(root));
      for (const m of index.matchAll(/from '\.\/([^']+)\.js'/g)) expect(present.has(`${m[1]}.ts`)).toBe(true);
    }
    const results = typecheckApps([plain, full]);
    expect([...results.values()]).toEqual(['', '']);
  }, 240_000);

  it('takes names from #quickback and relative paths, closes over runtime imports, and is deterministic', () => {
    const sources = readRuntimeSources();
    const runtime = Object.entries(sources).map(([k, v]) => file(`out/src/lib/quickback/${k}`, v, 'vendor-runtime'));
    const app = [
      file('out/src/a.ts', "import { createQuickbackApp } from './lib/quickback/app/app.js';\n"),
      file('out/src/b.ts', "import { crudRoutes, type Row } from '#quickback';\n\nexport const b = crudRoutes;\n"),
      file('quickback/app.ts', "import { type QuickbackApp } from '#quickback';\n", 'seam'),
    ];
    const once = selectVendored(ts, [...app, ...runtime], sources, 'out');
    const twice = selectVendored(ts, [...runtime, ...app].sort((a, b) => (a.path < b.path ? -1 : 1)), sources, 'out');
    const sorted = (files: EmittedFile[]) => [...files].sort((a, b) => (a.path < b.path ? -1 : 1));
    expect(sorted(once)).toEqual(sorted(twice));
    const kept = once.filter((f) => f.emitter === 'vendor-runtime').map((f) =>
      f.path.replace('out/src/lib/quickback/', '')
    );
    expect(kept).toEqual(
      expect.arrayContaining([
        'index.ts',
        'app/app.ts',
        'app/stack.ts',
        'core/addon.ts',
        'routes/actions.ts',
        'routes/crud.ts',
      ]),
    );
    expect(kept.filter((f) => ADDON_FILE.test(f))).toEqual([]);
    // The vendored index: a group keeps its comment while a statement of it is left, and loses it with the last one.
    const index = once.find((f) => f.path === 'out/src/lib/quickback/index.ts')!.contents;
    expect(index).toContain(
      '// App: the app factory, the migrations gate, the Node and Bun servers.\nexport { createQuickbackApp',
    );
    expect(index).toContain(
      "// Data: PostgreSQL logins, connection failures, RLS transactions, Neon's HTTP driver.\nexport { type BeginTransaction }",
    );
    expect(index).toContain("export { crudRoutes } from './routes/crud.js';");
    expect(index).not.toContain('// Add-on realtime');
    expect(index).not.toContain('server-node.js');
    const graph = runtimeGraph(ts, sources);
    expect(closure(graph, ['core/errors.ts'])).toEqual(['core/errors.ts']);
    const stack = closure(graph, ['app/stack.ts']);
    expect(stack).toContain('core/addon.ts');
    expect(stack.filter((f) => ADDON_FILE.test(f) || !f.startsWith('core/') && f !== 'app/stack.ts')).toEqual([]);
  });
});
