/**
 * The feature-file generators through the real bin on the helpdesk example, each followed by the
 * compile: add column / view / action (its handler seeded by the compile), remove column /
 * feature / plugin. The definitions type-check (tsc --strict); the compiled app serves what they added; `undo` walks every run back to the
 * original bytes.
 */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createOrg, signUpAll } from '../helpers/orgs.js';
import { copyFixture } from '../helpers/project.js';
import { inProcessTarget } from '../helpers/target.js';
import { typecheckDefinitions } from '../helpers/typecheck.js';
import { contents, runCli } from './run-cli.js';

const TICKETS = 'quickback/features/tickets/tickets.ts';
const ok = async (...args: string[]) => {
  const result = await runCli(args);
  expect(result.code, `${args.join(' ')}\n${result.stderr}`).toBe(0);
  return result.stdout;
};

describe('feature generators', () => {
  it(
    'add column, add view, add action, remove column, remove feature, add/remove plugin; the app serves them; undo restores every byte',
    async () => {
      const root = copyFixture('helpdesk', 'gen-features');
      await ok('compile', '--cwd', root);
      const original = contents(root);
      const runs = [
        ['add', 'column', 'tickets', 'nickname:text:optional'],
        ['add', 'view', 'tickets', 'summary', '--fields', 'id,title,nickname'],
        ['add', 'action', 'tickets', 'checkIn'],
        ['remove', 'column', 'tickets', 'estimate'],
        ['add', 'plugin', 'admin'],
        ['remove', 'plugin', 'admin'],
        ['add', 'feature', 'tags', '--scope', 'none', '--columns', 'label:text:required'],
        ['remove', 'feature', 'tags'],
      ];
      for (const run of runs) await ok(...run, '--cwd', root);
      expect(readFileSync(path.join(root, TICKETS), 'utf8')).not.toContain('estimate');
      typecheckDefinitions(root);
      expect(existsSync(path.join(root, 'quickback/features/tickets/handlers/check-in.ts'))).toBe(true);
      expect(existsSync(path.join(root, 'quickback/features/tags'))).toBe(false);

      const target = await inProcessTarget(root, 'better-sqlite3');
      const [owner] = await signUpAll(target.fetch, target.baseURL, ['gen-owner']);
      await createOrg(owner, 'Desk');
      const created = await owner.api('POST', '/api/v1/tickets', { title: 'Printer', nickname: 'jammed' });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      const id = (created.body as { id: string }).id;
      const view = await owner.api('GET', '/api/v1/tickets/views/summary');
      expect(view.status).toBe(200);
      expect(JSON.stringify(view.body)).toContain('"nickname":"jammed"');
      expect(JSON.stringify(view.body)).not.toContain('priority');
      const action = await owner.api('POST', `/api/v1/tickets/${id}/checkIn`, {});
      expect(action.status, JSON.stringify(action.body)).toBe(200);
      expect((await owner.api('POST', '/api/v1/tickets', { title: 'x', estimate: 3 })).status).toBe(400);

      const data = (line: string) => /^(data|\.data)\/|\.(db|sqlite)(-wal|-shm|-journal)?( |$)/.test(line);
      const label = (run: string[]) =>
        run.filter((arg, i) => !arg.startsWith('--') && !run[i - 1]?.startsWith('--')).join(' ');
      // The app's databases go (as on a fresh checkout): no migration of the runs was applied, so undo removes them all.
      rmSync(path.join(root, 'data'), { recursive: true, force: true });
      for (const run of [...runs].reverse()) expect(await ok('undo', '--cwd', root)).toContain(`undo "${label(run)}"`);
      expect(contents(root).filter((l) => !data(l))).toEqual(original.filter((l) => !data(l)));
    },
    240_000,
  );
});
