/** `add column` / `remove column` on feature files: the splice, idempotence, the mentions that go with a column, refusals. */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { isQuickbackError } from '../../src/shared/errors.js';
import { codeOf, helpdeskTree } from '../../test/helpers/tree.js';
import { REPO } from '../../test/helpers/project.js';
import { Tree } from '../../src/shared/tree.js';
import { addColumnGenerator, removeColumnGenerator } from './index.js';

const TICKETS = 'quickback/features/tickets/tickets.ts';
const add = (tree: Tree, ...args: string[]) =>
  addColumnGenerator.run(tree, addColumnGenerator.options(args, {})).messages[0];
const remove = (tree: Tree, ...args: string[]) =>
  removeColumnGenerator.run(tree, removeColumnGenerator.options(args, {})).messages[0];

describe('add column', () => {
  it('appends the column to the columns map; a second run changes nothing', () => {
    const tree = helpdeskTree();
    const before = tree.read(TICKETS)!;
    expect(add(tree, 'tickets', 'nickname:text:optional')).toBe(
      `column tickets.nickname: added, and to guards.createable and guards.updatable (${TICKETS})`,
    );
    const after = tree.read(TICKETS)!;
    expect(after.replace('    nickname: q.text().optional(),\n', '').replaceAll(', "nickname"]', ']')).toBe(before);
    expect(after).toContain('    organizationId: q.scope("organization"),\n    nickname: q.text().optional(),\n  },');
    expect(add(tree, 'tickets', 'nickname:text:optional')).toMatch(/already exists \(/);
    expect(add(tree, 'tickets', 'title:text')).toContain(
      'already exists (as `title: q.text({ maxLength: 140 }).required().searchable()`; change it by hand)',
    );
    expect(tree.read(TICKETS)).toBe(after);
  });

  it('edits the q.table(...) columns of the defineTable form; refuses Drizzle tables, unknown features and bad specs', () => {
    const tree = helpdeskTree();
    const file = 'quickback/features/rooms/rooms.ts';
    tree.write(
      file,
      'import { defineTable, q } from "@quickback/compiler";\n\nexport const rooms = q.table("rooms", {\n  id: q.id(),\n  organizationId: q.scope("organization"),\n});\n\nexport default defineTable(rooms, { read: { access: { roles: ["member+"] } } });\n',
    );
    add(tree, 'rooms', 'capacity:int');
    expect(tree.read(file)).toContain('  organizationId: q.scope("organization"),\n  capacity: q.integer(),\n});');
    tree.write(
      'quickback/features/legacy/legacy.ts',
      'import { sqliteTable, text } from "drizzle-orm/sqlite-core";\nimport { defineTable } from "@quickback/compiler";\nexport const t = sqliteTable("legacy", { id: text("id") });\nexport default defineTable(t, {});\n',
    );
    expect(codeOf(() => add(tree, 'legacy', 'x:text'))).toBe('QB_GEN_CONFLICT');
    let thrown: unknown;
    try {
      add(tree, 'tikets', 'x:text');
    } catch (e) {
      thrown = e;
    }
    expect(isQuickbackError(thrown) && thrown.code).toBe('QB_GEN_INVALID_ARGUMENT');
    expect((thrown as { hint: string }).hint).toMatch(/Features: .*tickets/);
    expect(codeOf(() => add(tree, 'tickets', 'x:float'))).toBe('QB_GEN_INVALID_ARGUMENT');
    expect(codeOf(() => add(tree, 'tickets'))).toBe('QB_GEN_INVALID_ARGUMENT');
  });

  it('refuses a columns map passed through a variable (QB_GEN_CONFLICT with the line) and a file that does not parse', () => {
    const tree = helpdeskTree();
    tree.write(
      TICKETS,
      'import { feature, q } from "@quickback/compiler";\nconst columns = { id: q.id() };\nexport default feature("tickets", {\n  columns,\n});\n',
    );
    let thrown: unknown;
    try {
      add(tree, 'tickets', 'x:text');
    } catch (e) {
      thrown = e;
    }
    expect(isQuickbackError(thrown) && thrown.code).toBe('QB_GEN_CONFLICT');
    expect((thrown as Error).message).toContain(`${TICKETS}:4`);
    tree.write(TICKETS, 'export default feature("tickets", { columns: { id: q.id() ');
    expect(codeOf(() => add(tree, 'tickets', 'x:text'))).toBe('QB_GEN_PARSE');
  });
});

describe('remove column', () => {
  it('takes out the column and every guards, protected, masking and view mention of it', () => {
    const tree = helpdeskTree();
    const file = readFileSync(path.join(REPO, 'examples', 'helpdesk', TICKETS), 'utf8')
      .replace(
        '  read: { access: { roles: ["member+"] } },',
        '  read: {\n    access: { roles: ["member+"] },\n    views: { brief: { fields: ["id", "customerEmail", "title"], query: { filterable: ["customerEmail"] } } },\n  },',
      );
    writeFileSync(path.join(tree.root, TICKETS), file);
    expect(remove(tree, 'tickets', 'customerEmail')).toBe(
      `column tickets.customerEmail: removed (${TICKETS}); still named in quickback/features/tickets/handlers/export-csv.ts (yours to update)`,
    );
    const after = tree.read(TICKETS)!;
    expect(after).not.toContain('customerEmail');
    expect(after).toContain('    immutable: [],\n');
    expect(after).toContain('views: { brief: { fields: ["id", "title"], query: { filterable: [] } } }');
    expect(file.split('\n').length - after.split('\n').length).toBe(2);
    expect(remove(tree, 'tickets', 'customerEmail')).toMatch(/not there/);
    expect(tree.read(TICKETS)).toBe(after);
    remove(tree, 'tickets', 'priority');
    expect(tree.read(TICKETS)).toContain('    protected: {},\n');
    expect(tree.read(TICKETS)).not.toMatch(/priority[:"]/);
  });
});
