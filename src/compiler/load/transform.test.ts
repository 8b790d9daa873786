/**
 * The three transform paths (sync, batched, cached) must give identical code: a batch that used
 * esbuild entry points once turned `import b from "./b"` into b's namespace object in a
 * `"type": "module"` package, so definitions saw `{ default: ... }` instead of the feature.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { emptyProject } from '../../../test/helpers/project.js';
import { createModuleLoader, followImport } from './loader.js';
import { TransformStore, transformSync } from './transform.js';

describe('transforms', () => {
  it('batched and cached transforms equal the sync one, and a default import means the same in all three', async () => {
    const root = emptyProject('transform', {
      'package.json': '{ "type": "module" }\n',
      'a.ts': 'import b from "./b";\nimport { n } from "./c.js";\nexport const value: number = b + n;\n',
      'b.ts': 'const b: number = 40;\nexport default b;\n',
      'c.ts': 'export const n = 2;\n',
    });
    const files = ['a.ts', 'b.ts', 'c.ts'].map((f) => path.join(root, f));
    const batched = new TransformStore();
    await batched.prepare([files[0]], followImport);
    const cached = new TransformStore(batched.entries());
    for (const file of files) {
      const source = readFileSync(file, 'utf8');
      const sync = transformSync(source, file);
      expect(batched.take(file, source), file).toEqual(expect.objectContaining(sync));
      expect(cached.take(file, source), file).toEqual(expect.objectContaining(sync));
    }
    expect(Object.keys(batched.entries())).toEqual(files);
    for (const store of [new TransformStore(), batched, cached]) {
      const loader = createModuleLoader();
      loader.useTransforms(store);
      try {
        expect((await loader.load(files[0])).value).toBe(42);
      } finally {
        loader.dispose();
      }
    }
  });

  it('a cached transform is used only for the same source bytes', () => {
    const file = path.join(emptyProject('transform', { 'x.ts': '' }), 'x.ts');
    const store = new TransformStore({
      [file]: { hash: 'not-the-hash', code: 'module.exports = { stale: true };', imports: [] },
    });
    expect(store.take(file, 'export const fresh = true;\n').code).toContain('fresh');
  });
});
