/** `add feature`: argument checks, the file it writes, and "already exists" on a second run. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { isQuickbackError } from '../../src/shared/errors.js';
import { Tree } from '../../src/shared/tree.js';
import { featureGenerator, removeFeatureGenerator } from './index.js';

const codeOf = (run: () => unknown) => {
  try {
    run();
    return null;
  } catch (e) {
    return isQuickbackError(e) ? e.code : e;
  }
};
const options = (positionals: string[], values: Record<string, unknown> = {}) =>
  featureGenerator.options(positionals, values);

describe('add feature', () => {
  it('writes an organization-scoped feature with the columns and roles asked for', () => {
    const tree = new Tree(mkdtempSync(path.join(tmpdir(), 'qb-gen-feature-')));
    const report = featureGenerator.run(
      tree,
      options(['guests'], {
        columns: 'name:text:required,email:email:required:unique,visits:int',
        'write-roles': 'admin+',
      }),
    );
    expect(report.messages).toEqual(['feature guests: added']);
    const file = tree.read('quickback/features/guests/guests.ts')!;
    expect(file).toContain(
      '    name: q.text().required(),\n    email: q.email().required().unique(),\n    visits: q.integer(),\n    organizationId: q.scope("organization"),',
    );
    expect(file).toContain('read: { access: { roles: ["member+"] } }');
    expect(file).toContain('delete: { access: { roles: ["admin+"] } }');
    expect(featureGenerator.run(tree, options(['guests'])).messages[0]).toMatch(/already exists/);
    expect(tree.read('quickback/features/guests/guests.ts')).toBe(file);
  });

  it('writes an owner-scoped feature for --scope user', () => {
    const tree = new Tree(mkdtempSync(path.join(tmpdir(), 'qb-gen-feature-')));
    featureGenerator.run(tree, options(['notes'], { scope: 'user', columns: 'body:text' }));
    const file = tree.read('quickback/features/notes/notes.ts')!;
    expect(file).toContain('ownerId: q.scope("owner")');
    expect(file).not.toContain('access');
  });

  it('writes a shared feature (firewall exception, role access) for --scope none', () => {
    const tree = new Tree(mkdtempSync(path.join(tmpdir(), 'qb-gen-feature-')));
    featureGenerator.run(
      tree,
      options(['tags'], { scope: 'none', columns: 'label:text:required', 'write-roles': 'admin+' }),
    );
    const file = tree.read('quickback/features/tags/tags.ts')!;
    expect(file).not.toContain('q.scope');
    expect(file).toContain('  firewall: { exception: true },\n  read: { access: { roles: ["member+"] } },');
    expect(file).toContain('create: { access: { roles: ["admin+"] } }');
  });

  it('refuses bad names, types, modifiers, duplicates, reserved columns and roles without organizations', () => {
    expect(codeOf(() => options([]))).toBe('QB_GEN_INVALID_ARGUMENT');
    expect(codeOf(() => options(['Guests']))).toBe('QB_GEN_INVALID_ARGUMENT');
    expect(codeOf(() => options(['guests'], { columns: 'name:txt' }))).toBe('QB_GEN_INVALID_ARGUMENT');
    expect(codeOf(() => options(['guests'], { columns: 'name:text:mandatory' }))).toBe('QB_GEN_INVALID_ARGUMENT');
    expect(codeOf(() => options(['guests'], { columns: 'a:text,a:int' }))).toBe('QB_GEN_INVALID_ARGUMENT');
    expect(codeOf(() => options(['guests'], { columns: 'organizationId:text' }))).toBe('QB_GEN_INVALID_ARGUMENT');
    expect(codeOf(() => options(['guests'], { scope: 'team' }))).toBe('QB_GEN_INVALID_ARGUMENT');
    expect(codeOf(() => options(['guests'], { scope: 'user', 'read-roles': 'admin' }))).toBe('QB_GEN_INVALID_ARGUMENT');
  });
});

describe('remove feature', () => {
  it('deletes every file of the feature folder (staged); unknown names are refused with the list', () => {
    const tree = new Tree(mkdtempSync(path.join(tmpdir(), 'qb-gen-feature-')));
    featureGenerator.run(tree, options(['guests']));
    tree.write('quickback/features/guests/handlers/check-in.ts', 'export const execute = 1;\n');
    featureGenerator.run(tree, options(['rooms']));
    const run = (name: string) =>
      removeFeatureGenerator.run(tree, removeFeatureGenerator.options([name], {})).messages[0];
    expect(run('guests')).toBe('feature guests: removed (2 files; quickback undo brings them back)');
    expect(tree.list('quickback/features')).toEqual(['quickback/features/rooms/rooms.ts']);
    let thrown: unknown;
    try {
      run('guests');
    } catch (e) {
      thrown = e;
    }
    expect(isQuickbackError(thrown) && thrown.code).toBe('QB_GEN_INVALID_ARGUMENT');
    expect((thrown as { hint: string }).hint).toBe('Features: rooms');
  });
});
