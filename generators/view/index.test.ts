/** `add view`: into read.views, creating read / views when missing; idempotent; refusals. */
import { describe, expect, it } from 'vitest';
import { codeOf, helpdeskTree } from '../../test/helpers/tree.js';
import { Tree } from '../../src/shared/tree.js';
import { viewGenerator } from './index.js';

const NOTES = 'quickback/features/notes/notes.ts';
const add = (tree: Tree, args: string[], fields?: string) =>
  viewGenerator.run(tree, viewGenerator.options(args, { fields })).messages[0];

describe('add view', () => {
  it('adds views to an existing one-line read, then a second view into views; a second run changes nothing', () => {
    const tree = helpdeskTree();
    const file = 'quickback/features/tickets/tickets.ts';
    const before = tree.read(file)!;
    expect(add(tree, ['tickets', 'summary'], 'id,title, priority')).toBe(`view tickets.summary: added (${file})`);
    const once = tree.read(file)!;
    expect(once.replace(', views: { summary: { fields: ["id", "title", "priority"] } }', '')).toBe(before);
    add(tree, ['tickets', 'due'], 'id,dueAt');
    expect(tree.read(file)).toContain(
      'views: { summary: { fields: ["id", "title", "priority"] }, due: { fields: ["id", "dueAt"] } }',
    );
    const twice = tree.read(file)!;
    expect(add(tree, ['tickets', 'due'], 'id')).toMatch(/already exists/);
    expect(tree.read(file)).toBe(twice);
  });

  it("creates read when the feature has none, in the file's quote style", () => {
    const tree = helpdeskTree();
    tree.write(
      NOTES,
      "import { feature, q } from '@quickback/compiler'\n\nexport default feature('notes', {\n    columns: {\n        id: q.id(),\n        body: q.text(),\n        ownerId: q.scope('owner'),\n    },\n})\n",
    );
    add(tree, ['notes', 'brief'], 'id');
    expect(tree.read(NOTES)).toBe(
      "import { feature, q } from '@quickback/compiler'\n\nexport default feature('notes', {\n    columns: {\n        id: q.id(),\n        body: q.text(),\n        ownerId: q.scope('owner'),\n    },\n    read: { views: { brief: { fields: ['id'] } } },\n})\n",
    );
  });

  it('refuses a read object through a variable, a missing --fields and bad names', () => {
    const tree = helpdeskTree();
    tree.write(
      NOTES,
      'import { feature, q } from "@quickback/compiler";\nconst read = {};\nexport default feature("notes", { columns: { id: q.id() }, read });\n',
    );
    expect(codeOf(() => add(tree, ['notes', 'brief'], 'id'))).toBe('QB_GEN_CONFLICT');
    expect(codeOf(() => add(tree, ['notes', 'brief']))).toBe('QB_GEN_INVALID_ARGUMENT');
    expect(codeOf(() => add(tree, ['notes', 'my-view'], 'id'))).toBe('QB_GEN_INVALID_ARGUMENT');
    expect(codeOf(() => add(tree, ['notes', 'brief'], 'id,"x"'))).toBe('QB_GEN_INVALID_ARGUMENT');
  });
});
