/** `add feature`: argument checks, the file it writes, and "already exists" on a second run. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { isQuickbackError } from '../../src/shared/errors.js';
import { Tree } from '../../src/shared/tree.js';
import { featureGenerator } from './index.js';

const codeOf = (run: () => unknown) => { try { run(); return null; } catch (e) { return isQuickbackError(e) ? e.code : e; } };
const options = (positionals: string[], values: Record<string, unknown> = {}) => featureGenerator.options(positionals, values);

describe('add feature', () => {
  it('writes an organization-scoped feature with the columns and roles asked for', () => {
    const tree = new Tree(mkdtempSync(path.join(tmpdir(), 'qb-gen-feature-')));
    const report = featureGenerator.run(tree, options(['guests'], { columns: 'name:text:required,email:email:required:unique,visits:int', 'write-roles': 'admin+' }));
    expect(report.messages).toEqual(['feature guests: added']);
    const file = tree.read('quickback/features/guests/guests.ts')!;
    expect(file).toContain('    name: q.text().required(),\n    email: q.email().required().unique(),\n    visits: q.integer(),\n    organizationId: q.scope("organization"),');
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
