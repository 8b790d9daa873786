/** `upgrade` on a Tree over a copy of the legacy fixture (test/fixtures/projects/legacy): jscodeshift's Runner rewrites every legacy form, reports per file, refuses what has no faithful rewrite. */
import { cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { isQuickbackError } from '../../src/shared/errors.js';
import { Tree } from '../../src/shared/tree.js';
import { FIXTURES } from '../../test/helpers/project.js';
import { upgradeGenerator } from './index.js';

const FEATURES = 'quickback/features';
function legacy(): Tree {
  const root = mkdtempSync(path.join(tmpdir(), 'qb-upgrade-test-'));
  cpSync(path.join(FIXTURES, 'legacy', 'quickback'), path.join(root, 'quickback'), { recursive: true });
  return new Tree(root);
}
const run = (tree: Tree) => upgradeGenerator.run(tree, upgradeGenerator.options([], {}));

describe('upgrade', () => {
  it(
    'rewrites every legacy file, says what per file, leaves current files byte for byte; a second run finds nothing',
    async () => {
      const tree = legacy();
      const { messages } = await run(tree);
      expect(messages.at(-1)).toBe('upgrade: 3 file(s) rewritten, 2 already current');
      expect(messages).toContain(
        `rewritten ${FEATURES}/rooms/resource.ts: "@quickback/core" → "@quickback/compiler"; defineResource → defineTable; crud.list/get.access → read.access; crud.list.pageSize dropped (page size is ?limit=, default 50, max 100)`,
      );
      expect(tree.changes().map((c) => c.path)).toEqual([
        `${FEATURES}/notes/notes.ts`,
        `${FEATURES}/rooms/resource.ts`,
        `${FEATURES}/tickets/tickets.ts`,
      ]);
      const rooms = tree.read(`${FEATURES}/rooms/resource.ts`)!;
      expect(rooms).toContain('import { defineTable, q } from "@quickback/compiler";');
      expect(rooms).toMatch(/read: \{\n {4}access: \{ roles: \["member\+"\] \},\n {2}\}/);
      expect(rooms).not.toMatch(/list:|get:|pageSize/);
      const tickets = tree.read(`${FEATURES}/tickets/tickets.ts`)!;
      expect(tickets).toContain('// Top-level views (DSL v1).');
      expect(tickets).toMatch(/summary: \{ fields: \["id", "title"\] \}/);
      expect(tickets).toMatch(/list: \{\n\s+fields: \["id", "title", "status"\],\n\s+\}/);
      expect(tickets).toContain('defaultView: "list"');
      expect(tree.read(`${FEATURES}/notes/notes.ts`)).toContain("access: { roles: ['member+'] },");

      for (const change of tree.changes()) writeFileSync(path.join(tree.root, change.path), change.after!);
      const again = new Tree(tree.root);
      expect((await run(again)).messages).toEqual(['upgrade: 0 file(s) rewritten, 5 already current']);
      expect(again.changes()).toEqual([]);
    },
    60_000,
  );

  it('refuses, per file and line, what has no faithful rewrite, and a file that does not parse', async () => {
    const tree = legacy();
    writeFileSync(
      path.join(tree.root, FEATURES, 'notes', 'notes.ts'),
      'import { feature, q } from "@quickback/compiler";\nexport default feature("notes", {\n  columns: { id: q.id() },\n  crud: {\n    list: { access: { roles: ["member+"] } },\n    get: { access: { roles: ["admin+"] } },\n  },\n});\n',
    );
    writeFileSync(path.join(tree.root, FEATURES, 'labels', 'labels.ts'), 'export default feature("labels", {');
    let thrown: unknown;
    try {
      await run(tree);
    } catch (e) {
      thrown = e;
    }
    expect(isQuickbackError(thrown) && thrown.code).toBe('QB_GEN_UPGRADE_CONFLICT');
    const diagnostics = (thrown as { diagnostics: { file: string; line?: number; message: string }[] }).diagnostics;
    expect(diagnostics).toEqual([
      expect.objectContaining({
        file: `${FEATURES}/labels/labels.ts`,
        line: 1,
        message: expect.stringContaining('the file does not parse: Unexpected token'),
      }),
      expect.objectContaining({
        file: `${FEATURES}/notes/notes.ts`,
        line: 6,
        message: expect.stringContaining('crud.list.access and crud.get.access differ'),
      }),
    ]);
  }, 60_000);
});
