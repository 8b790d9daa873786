/** `add action`: an entry in an existing actions.ts (its style), or a new actions.ts from files/; idempotent; refusals. */
import { describe, expect, it } from 'vitest';
import { codeOf, helpdeskTree } from '../../test/helpers/tree.js';
import { Tree } from '../../src/shared/tree.js';
import { actionGenerator } from './index.js';

const add = (tree: Tree, args: string[], values: Record<string, unknown> = {}) =>
  actionGenerator.run(tree, actionGenerator.options(args, values)).messages[0];

describe('add action', () => {
  it('adds a record action to the existing actions.ts as its last entry; a second run changes nothing', () => {
    const tree = helpdeskTree();
    const file = 'quickback/features/tickets/actions.ts';
    const before = tree.read(file)!;
    expect(add(tree, ['tickets', 'checkIn'])).toBe(
      `action tickets.checkIn: added (${file}; handler quickback/features/tickets/handlers/check-in.ts)`,
    );
    const entry =
      '  checkIn: { description: "Check in (tickets)", input: z.object({}), access: { roles: ["member+"] }, handler: "./handlers/check-in" },\n';
    expect(tree.read(file)).toBe(before.replace(/\}\);\n$/, `${entry}});\n`));
    expect(add(tree, ['tickets', 'checkIn'])).toMatch(/already exists/);
    expect(tree.changes()).toHaveLength(1);
  });

  it('writes a new actions.ts for a feature without one (standalone, method)', () => {
    const tree = helpdeskTree();
    add(tree, ['notes', 'pinAll'], { standalone: true, method: 'patch' });
    const file = tree.read('quickback/features/notes/actions.ts')!;
    expect(file).toContain(
      'import notes from "./notes";\n\nexport default defineActions(notes, {\n  pinAll: {\n    description: "Pin all (notes)",\n    standalone: true,\n    path: "/notes/pin-all",\n    method: "PATCH",\n',
    );
    expect(file).toContain('    handler: "./handlers/pin-all",\n  },\n});\n');
  });

  it('refuses bad names and methods, unknown features, and actions through a variable', () => {
    const tree = helpdeskTree();
    expect(codeOf(() => add(tree, ['tickets', 'Check-in']))).toBe('QB_GEN_INVALID_ARGUMENT');
    expect(codeOf(() => add(tree, ['tickets', 'x'], { method: 'FETCH' }))).toBe('QB_GEN_INVALID_ARGUMENT');
    expect(codeOf(() => add(tree, ['nope', 'x']))).toBe('QB_GEN_INVALID_ARGUMENT');
    tree.write(
      'quickback/features/tickets/actions.ts',
      'import { defineActions } from "@quickback/compiler";\nimport tickets from "./tickets";\nconst all = {};\nexport default defineActions(tickets, all);\n',
    );
    expect(codeOf(() => add(tree, ['tickets', 'x']))).toBe('QB_GEN_CONFLICT');
  });
});
