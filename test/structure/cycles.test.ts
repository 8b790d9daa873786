/**
 * @module test/structure/cycles
 * The import graph stays a graph without cycles (type-only imports count: dpdm without
 * `transform`), and the runtime keeps its layers: core imports no other layer; policy and auth
 * import core; crypto adds policy; data adds auth and crypto; events adds data; routes adds events;
 * each add-on sees everything below routes but never routes, the app or another add-on; app/ sees
 * every layer but no add-on (they reach it as values, core/addon.ts), and only the public index
 * may import everything. Nothing in the runtime imports outside it.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseCircular, parseDependencyTree } from 'dpdm';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
const runtimeDir = path.join(root, 'src/runtime');

/** The compiler's two cycles, still on main; the "contract" change removes them. Empty it then. */
const BELOW_ROUTES = ['core', 'policy', 'auth', 'crypto', 'data', 'events'];
const ALLOWED: Record<string, readonly string[]> = {
  core: [],
  policy: ['core'],
  auth: ['core'],
  crypto: ['core', 'policy'],
  data: ['core', 'policy', 'auth', 'crypto'],
  events: ['core', 'policy', 'auth', 'crypto', 'data'],
  routes: [...BELOW_ROUTES],
  addons: BELOW_ROUTES,
};

/** `core`, `policy`, … or `addons/<name>`; files at the top (the public index) and app/ are unrestricted. */
export function layerOf(file: string): string | null {
  const parts = path.relative(runtimeDir, file).split(path.sep);
  if (parts.length === 1 || parts[0] === 'app') return null;
  return parts[0] === 'addons' ? `addons/${parts[1]}` : parts[0];
}

/** Every relative specifier of a file: static and dynamic imports, `import('…')` types, module augmentations. */
export function specifiers(source: string): string[] {
  const found = source.matchAll(
    /(?:\bfrom\s+|\bimport\s*\(\s*|\bimport\s+|declare\s+module\s+)['"](\.{1,2}\/[^'"]+)['"]/g,
  );
  return [...found].map((m) => m[1]);
}

/** The layer rules a runtime file breaks, as `file -> target` lines. */
export function layerViolations(file: string, source: string): string[] {
  const from = layerOf(file);
  const out: string[] = [];
  for (const spec of specifiers(source)) {
    const target = path.resolve(path.dirname(file), spec);
    const shown = `${path.relative(root, file)} -> ${path.relative(root, target)}`;
    if (!target.startsWith(runtimeDir + path.sep)) {
      out.push(shown);
      continue;
    }
    const to = layerOf(target);
    if (from === null) {
      if (path.relative(runtimeDir, file).startsWith(`app${path.sep}`) && to?.startsWith('addons/')) out.push(shown);
      continue;
    }
    if (to === null || (to !== from && !ALLOWED[from.split('/')[0]].includes(to))) out.push(shown);
  }
  return out;
}

function runtimeFiles(dir = runtimeDir): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return runtimeFiles(full);
    return e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') && !e.name.endsWith('.testkit.ts') ? [full] : [];
  });
}

describe('import structure', () => {
  it('has no import cycles in src/ and generators/ (type imports count)', async () => {
    const tree = await parseDependencyTree(['src/**/*.ts', 'generators/**/*.ts'], {
      cwd: root,
      context: root,
      tsconfig: path.join(root, 'tsconfig.json'),
      transform: false,
    });
    // A cycle's files, sorted: where dpdm enters a cycle depends on the order it reads the entries.
    const cycles = parseCircular(tree).map((cycle) => [...cycle].sort().join(' '));
    expect(cycles).toEqual([]);
  }, 60_000);

  it('keeps the runtime in layers: dependencies point one way, add-ons stand alone', () => {
    const files = runtimeFiles();
    expect(files.length).toBeGreaterThan(90);
    expect(files.flatMap((file) => layerViolations(file, readFileSync(file, 'utf8')))).toEqual([]);
  });

  it('reports a layer break, a cross-add-on import and a way out of the runtime', () => {
    const at = (rel: string) => path.join(runtimeDir, rel);
    expect(layerViolations(at('core/types.ts'), "import type { X } from '../routes/crud.js';")).toHaveLength(1);
    expect(layerViolations(at('core/types.ts'), "let k: import('../crypto/encryption.js').Keyring;")).toHaveLength(1);
    expect(layerViolations(at('addons/webhooks/webhook-events.ts'), "import { x } from '../realtime/realtime.js';"))
      .toHaveLength(1);
    expect(layerViolations(at('addons/webhooks/webhook-events.ts'), "import { x } from '../../routes/crud.js';"))
      .toHaveLength(1);
    expect(layerViolations(at('data/rows.ts'), "import { x } from '../../compiler/index.js';")).toHaveLength(1);
    expect(layerViolations(at('app/stack.ts'), "import { x } from '../addons/files/files.js';")).toHaveLength(1);
    expect(layerViolations(at('index.ts'), "import { x } from './addons/files/files.js';")).toEqual([]);
    expect(
      layerViolations(at('routes/crud.ts'), "import { x } from '../data/rows.js';\nimport { y } from './batch.js';"),
    ).toEqual([]);
  });
});
