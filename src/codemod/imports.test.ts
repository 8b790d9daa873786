/**
 * addNamedImport / removeNamedImport: the named-imports list as a splice (alphabetical place when
 * the list is sorted, else last; own line in a multi-line list), a new statement in the file's
 * quotes and semicolons when there is no list, and the whole statement going with its only name.
 */
import { describe, expect, it } from 'vitest';
import { addNamedImport, removeNamedImport } from './imports.js';
import { parseSource } from './source.js';
import { applySplices } from './splice.js';

const add = (text: string, name = 'b') =>
  applySplices(text, addNamedImport(parseSource('c.ts', text), 'm', name).splices);
const remove = (text: string, name = 'b') =>
  applySplices(text, removeNamedImport(parseSource('c.ts', text), 'm', name).splices);

describe('named imports', () => {
  it.each([
    ['import { a, c } from "m";\n', 'import { a, b, c } from "m";\n'],
    ['import { c, a } from "m";\n', 'import { c, a, b } from "m";\n'],
    ['import { a } from "m";\n', 'import { a, b } from "m";\n'],
    ['import {\n\ta,\n\tc\n} from "m"\n', 'import {\n\ta,\n\tb,\n\tc\n} from "m"\n'],
    ['import {\n  a,\n} from "m";\n', 'import {\n  a,\n  b,\n} from "m";\n'],
    [
      "import x from 'n';\r\n\r\nconst y = 1;\r\n",
      "import x from 'n';\r\nimport { b } from 'm';\r\n\r\nconst y = 1;\r\n",
    ],
    [
      'import type { T } from "m";\nimport { a } from "m";\n',
      'import type { T } from "m";\nimport { a, b } from "m";\n',
    ],
  ])('add %j', (before, after) => {
    expect(add(before)).toBe(after);
    expect(add(after)).toBe(after);
    expect(remove(after)).toBe(before);
  });

  it('a new statement goes first when the file has no import', () => {
    expect(add('export const x = 1;\n')).toBe('import { b } from "m";\nexport const x = 1;\n');
  });
});
