import { describe, expect, it } from 'vitest';
import { locateInSource, parsePath } from './locate.js';

const FEATURE = `import { feature, q } from "@quickback/compiler";
export default feature("todos", {
  columns: { title: q.text() },
  "read": { access: { roles: ["owner", ("boss" as never)] } },
  crud: { delete: { mode: "soft" } } satisfies object,
});
`;

describe('locateInSource', () => {
  it('parses dotted, indexed and quoted paths', () => {
    expect(parsePath('features.todos.read.access.roles[1]')).toEqual([
      'features',
      'todos',
      'read',
      'access',
      'roles',
      1,
    ]);
    expect(parsePath('features.todos.columns["x-y"].type')).toEqual(['features', 'todos', 'columns', 'x-y', 'type']);
  });

  it('finds array elements, quoted keys and values behind `as` / `satisfies`', () => {
    expect(locateInSource(FEATURE, 'todos.ts', 'features.todos.read.access.roles[1]')).toEqual({ line: 4, column: 40 });
    expect(locateInSource(FEATURE, 'todos.ts', 'features.todos.crud.delete.mode')).toEqual({ line: 5, column: 21 });
  });

  it('stops at the deepest property the source spells out, and gives up on an unrelated path', () => {
    expect(locateInSource(FEATURE, 'todos.ts', 'features.todos.columns.title.maxLength')).toEqual({
      line: 3,
      column: 14,
    });
    expect(locateInSource(FEATURE, 'todos.ts', 'auth.jwt')).toBeUndefined();
    expect(locateInSource('const x = 1;\n', 'x.ts', 'features.todos.read')).toBeUndefined();
  });
});
