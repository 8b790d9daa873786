/**
 * `quickback upgrade` through the real bin on the legacy fixture: a report per file, the compile
 * after it succeeds and the app serves the upgraded features (read access, the default view);
 * a second run changes nothing; --dry-run writes nothing; undo gives back the legacy bytes.
 */
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createOrg, signUpAll } from '../helpers/orgs.js';
import { copyFixture, FIXTURES } from '../helpers/project.js';
import { inProcessTarget } from '../helpers/target.js';
import { typecheckDefinitions } from '../helpers/typecheck.js';
import { contents, runCli, tree } from './run-cli.js';

describe('quickback upgrade', () => {
  it('rewrites the legacy tree, compiles, serves it; idempotent; undone by undo', async () => {
    const root = copyFixture('legacy', 'upgrade');
    const legacy = contents(root);
    const before = tree(root);
    const dry = await runCli(['upgrade', '--dry-run', '--cwd', root]);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toContain('-import { defineResource, q } from "@quickback/core";');
    expect(tree(root)).toEqual(before);

    const run = await runCli(['upgrade', '--cwd', root]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('upgrade: 3 file(s) rewritten, 2 already current');
    expect(run.stdout).toMatch(
      /rewritten quickback\/features\/tickets\/tickets\.ts: crud\.list\.access → read\.access; views → read\.views/,
    );
    const labels = 'quickback/features/labels/labels.ts';
    expect(readFileSync(path.join(root, labels), 'utf8')).toBe(
      readFileSync(path.join(FIXTURES, 'legacy', labels), 'utf8'),
    );
    typecheckDefinitions(root);

    const target = await inProcessTarget(root, 'better-sqlite3');
    const [owner] = await signUpAll(target.fetch, target.baseURL, ['upgrade-owner']);
    await createOrg(owner, 'Old Co');
    expect((await owner.api('POST', '/api/v1/rooms', { name: 'Blue', capacity: 4 })).status).toBe(201);
    expect(JSON.stringify((await owner.api('GET', '/api/v1/rooms')).body)).toContain('Blue');
    expect((await owner.api('POST', '/api/v1/tickets', { title: 'Old' })).status).toBe(201);
    const list = await owner.api('GET', '/api/v1/tickets');
    expect(list.body).toMatchObject({ view: 'list' });

    const again = await runCli(['upgrade', '--cwd', root, '--json']);
    expect(JSON.parse(again.stdout)).toMatchObject({
      ok: true,
      // 6: the five definitions and quickback/app.ts, the seam the compile after the first upgrade seeded.
      messages: ['upgrade: 0 file(s) rewritten, 6 already current'],
      files: [],
    });
    // The app's databases go (as on a fresh checkout): the upgrade's first migration was never applied, so undo removes it.
    rmSync(path.join(root, 'data'), { recursive: true, force: true });
    expect((await runCli(['undo', '--cwd', root])).code).toBe(0);
    const data = (line: string) => /^(data|\.data)\/|\.(db|sqlite)(-wal|-shm|-journal)? /.test(line);
    expect(contents(root).filter((l) => !data(l))).toEqual(legacy.filter((l) => !data(l)));
  }, 180_000);
});
