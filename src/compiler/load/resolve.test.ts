import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { emptyProject } from '../../../test/helpers/project.js';
import { createModuleLoader } from './loader.js';
import { resolveLocalImport } from './resolve.js';

describe('local imports', () => {
  it('resolves extensionless, .js-for-.ts and folder index specifiers; packages are not project files', () => {
    const root = emptyProject('resolve', { 'a.ts': '', 'b/index.ts': '', 'c.mts': '', 'd.json': '{}' });
    const from = path.join(root, 'main.ts');
    expect(resolveLocalImport('./a', from)).toBe(path.join(root, 'a.ts'));
    expect(resolveLocalImport('./a.js', from)).toBe(path.join(root, 'a.ts'));
    expect(resolveLocalImport('./b', from)).toBe(path.join(root, 'b/index.ts'));
    expect(resolveLocalImport('./c.mjs', from)).toBe(path.join(root, 'c.mts'));
    expect(resolveLocalImport('./d.json', from)).toBe(path.join(root, 'd.json'));
    expect(resolveLocalImport('./missing', from)).toBeNull();
    expect(resolveLocalImport('zod', from)).toBeNull();
  });

  it('the loader reports every project file a module imports, directly or not, also when another module loaded it first', async () => {
    const root = emptyProject('resolve', {
      'shared.ts': 'export const roles = ["a"];\n',
      'f/a.ts': 'import { roles } from "../shared";\nexport default roles;\n',
      'f/b.ts': 'import { roles } from "../shared";\nimport c from "./c";\nexport default [roles, c];\n',
      'f/c.ts': 'import { roles } from "../shared.js";\nexport default roles.length;\n',
    });
    const loader = createModuleLoader();
    try {
      await loader.load(path.join(root, 'f/a.ts'));
      await loader.load(path.join(root, 'f/b.ts'));
      expect(loader.dependencies(path.join(root, 'f/a.ts'))).toEqual([path.join(root, 'shared.ts')]);
      expect(loader.dependencies(path.join(root, 'f/b.ts'))).toEqual([
        path.join(root, 'f/c.ts'),
        path.join(root, 'shared.ts'),
      ]);
    } finally {
      loader.dispose();
    }
  });
});
