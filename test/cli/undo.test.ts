/**
 * The generator chain end to end on a compiled fixture project, through the real bin: add feature
 * guests, a switch this edition refuses (realtime: undone on the spot), add plugin
 * admin; the app serves /api/v1/guests (its databases migrated); then `undo` twice: plugin admin's
 * migration, not applied (its database removed), goes with every other byte of the run; guests',
 * applied, stays and is reversed by a new one. Undo refuses (naming the file, writing nothing)
 * when a file of the run changed since.
 */
import { appendFileSync, existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createOrg, signUpAll } from '../helpers/orgs.js';
import { copyFixture } from '../helpers/project.js';
import { inProcessTarget } from '../helpers/target.js';
import { contents, runCli, tree } from './run-cli.js';

const GUESTS = 'quickback/features/guests/guests.ts';
const JOURNAL = 'quickback/.quickback/journal.json';
const code = (result: { stdout: string }) => JSON.parse(result.stdout).error?.code;

describe('quickback undo', () => {
  it(
    'add feature, refused switches, add plugin, the app works, undo twice: an unapplied migration removed, an applied one reversed',
    async () => {
      const root = copyFixture('helpdesk', 'gen-undo');
      expect((await runCli(['compile', '--cwd', root])).code).toBe(0);
      const original = contents(root);

      const added = await runCli([
        'add',
        'feature',
        'guests',
        '--columns',
        'name:text:required,email:email:unique,visits:int',
        '--cwd',
        root,
      ]);
      expect(added.code, added.stderr).toBe(0);
      expect(added.stdout).toMatch(/created +quickback\/features\/guests\/guests\.ts/);
      expect(added.stdout).toMatch(/created +quickback\/drizzle\/.*guests/);
      const afterFeature = contents(root);
      for (const refused of [['enable', 'placement']]) {
        const result = await runCli([...refused, '--cwd', root, '--json']);
        expect(result.code).toBe(1);
        expect(code(result)).toBe('QB_VALIDATE_NOT_SUPPORTED');
        expect(JSON.parse(result.stdout).error.message).toContain('edit was undone');
        expect(contents(root)).toEqual(afterFeature);
      }
      expect((await runCli(['add', 'plugin', 'admin', '--cwd', root])).code).toBe(0);

      const target = await inProcessTarget(root, 'better-sqlite3');
      const [owner] = await signUpAll(target.fetch, target.baseURL, ['undo-host']);
      await createOrg(owner, 'Venue');
      expect((await owner.api('POST', '/api/v1/guests', { name: 'Ada', email: 'ada@example.com' })).status).toBe(201);
      expect(JSON.stringify((await owner.api('GET', '/api/v1/guests')).body)).toContain('Ada');
      const data = (rel: string) =>
        rel.startsWith('data/') || rel.startsWith('.data/') || /\.(db|sqlite)(-wal|-shm|-journal)?$/.test(rel);

      // The auth database goes: plugin admin's migration was then never applied, and undo removes it.
      rmSync(path.join(root, 'data', 'auth.db'));
      const first = await runCli(['undo', '--cwd', root]);
      expect(first.code, first.stderr).toBe(0);
      expect(first.stdout).toContain('undo "add plugin admin"');
      expect(first.stdout).toMatch(
        /quickback\/drizzle\/auth\/0001_\w+\.sql was never applied to the local database: removed/,
      );
      expect(contents(root, data)).toEqual(afterFeature.filter((l) => !data(l.split(' ')[0])));
      // The features database has applied guests' migration: it stays, and the compile reverses it.
      const second = await runCli(['undo', '--cwd', root, '--json']);
      expect(second.code, second.stderr).toBe(0);
      const { messages } = JSON.parse(second.stdout) as { messages: string[] };
      expect(messages[0]).toMatch(/^undo "add feature guests": \d+ file\(s\) restored$/);
      expect(messages[1]).toBe(
        'quickback/drizzle/features/0001_create_guests.sql is kept (the local features database has applied it); the compile adds a migration that reverses it',
      );
      // The migration history, and src/db/migrations.ts that lists it for the app's pending check.
      const compilerHistory = (rel: string) =>
        data(rel) || rel.startsWith('quickback/drizzle/features/') || rel === 'src/db/migrations.ts'
        || rel === 'quickback/.quickback/manifest.json';
      expect(contents(root, compilerHistory)).toEqual(original.filter((l) => !compilerHistory(l.split(' ')[0])));
      const reverse = readdirSync(path.join(root, 'quickback/drizzle/features')).filter((f) => f.startsWith('0002_'));
      expect(reverse).toHaveLength(1);
      expect(readFileSync(path.join(root, 'quickback/drizzle/features', reverse[0]), 'utf8')).toContain(
        'DROP TABLE `guests`',
      );
      expect(existsSync(path.join(root, JOURNAL))).toBe(false);
      expect(existsSync(path.join(root, 'quickback/features/guests'))).toBe(false);
      expect(code(await runCli(['undo', '--cwd', root, '--json']))).toBe('QB_GEN_NOTHING_TO_UNDO');
      const migrated = await runCli(['migrate', '--cwd', root]);
      expect(migrated.code, migrated.stderr).toBe(0);
    },
    180_000,
  );

  it('refuses, naming the file, when a file of the run changed since; --dry-run shows the diff', async () => {
    const root = copyFixture('helpdesk', 'gen-undo-changed');
    expect((await runCli(['add', 'feature', 'guests', '--no-compile', '--cwd', root])).code).toBe(0);
    const dry = await runCli(['undo', '--dry-run', '--cwd', root]);
    expect(dry.stdout).toContain(`--- a/${GUESTS}`);
    appendFileSync(path.join(root, GUESTS), '// mine\n');
    const before = tree(root);
    const refused = await runCli(['undo', '--cwd', root, '--json']);
    expect(refused.code).toBe(1);
    expect(code(refused)).toBe('QB_GEN_UNDO_CHANGED');
    expect(JSON.parse(refused.stdout).error.message).toContain(GUESTS);
    expect(tree(root)).toEqual(before);
  }, 60_000);
});
