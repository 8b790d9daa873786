/**
 * `quickback add plugin` through the real bin on a copy of the README's example: the edit, the
 * compile that follows (the auth schema gains the plugin's columns), idempotence, --dry-run and
 * --json, and the all-or-nothing rule (a plugin the compiler refuses leaves every byte as it was).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createOrg, signUpAll } from '../helpers/orgs.js';
import { EXTERNAL_AUTH } from '../helpers/worker.js';
import { copyFixture } from '../helpers/project.js';
import { inProcessTarget } from '../helpers/target.js';
import { runCli, tree } from './run-cli.js';

const CONFIG = 'quickback/quickback.config.ts';

describe('quickback add plugin', () => {
  it('edits the config, compiles, and a second run changes nothing', async () => {
    const root = copyFixture('helpdesk', 'gen-plugin');
    expect((await runCli(['compile', '--cwd', root])).code).toBe(0);
    const before = readFileSync(path.join(root, CONFIG), 'utf8');

    const dry = await runCli(['add', 'plugin', 'admin', '--cwd', root, '--dry-run', '--json']);
    expect(dry.code).toBe(0);
    const planned = JSON.parse(dry.stdout);
    expect(planned).toMatchObject({ ok: true, dryRun: true, files: [{ path: CONFIG, action: 'update' }] });
    expect(planned.diff).toContain('+      plugins: ["admin"],');
    expect(readFileSync(path.join(root, CONFIG), 'utf8')).toBe(before);

    const run = await runCli(['add', 'plugin', 'admin', '--cwd', root]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('plugin admin: added');
    const after = readFileSync(path.join(root, CONFIG), 'utf8');
    expect(after.replace('      plugins: ["admin"],\n', '')).toBe(before);
    expect(readFileSync(path.join(root, 'src', 'db', 'auth-schema.ts'), 'utf8')).toMatch(/banned/);

    const files = tree(root);
    const again = await runCli(['add', 'plugin', 'admin', '--cwd', root, '--json']);
    expect(JSON.parse(again.stdout)).toMatchObject({
      ok: true,
      messages: ['plugin admin: already enabled'],
      files: [],
    });
    expect(tree(root)).toEqual(files);
  }, 120_000);

  it('undoes the edit when the compile refuses it, and never touches a file that does not parse', async () => {
    // Every plugin is built; with external auth the plugins belong to the auth Worker, so the compile refuses them.
    const root = copyFixture('helpdesk', 'gen-plugin-refused', { config: EXTERNAL_AUTH });
    const files = tree(root);
    const refused = await runCli(['add', 'plugin', 'passkey', '--cwd', root]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('QB_VALIDATE_NOT_SUPPORTED');
    expect(refused.stderr).toContain('the add plugin edit was undone');
    expect(tree(root).map((f) => f.replace(/ [\d.]+$/, ''))).toEqual(files.map((f) => f.replace(/ [\d.]+$/, '')));

    writeFileSync(path.join(root, CONFIG), 'export default defineConfig({');
    const broken = await runCli(['add', 'plugin', 'admin', '--cwd', root, '--json']);
    expect(broken.code).toBe(1);
    expect(JSON.parse(broken.stdout).error.code).toBe('QB_GEN_PARSE');
    expect(readFileSync(path.join(root, CONFIG), 'utf8')).toBe('export default defineConfig({');
  }, 120_000);

  it(
    'enable organizations compiles the organization tables in, enable realtime the broadcaster, enable webhooks their tables; enable placement (a Workers option on Node) is refused and undone',
    async () => {
      const root = copyFixture('solo', 'gen-toggle');
      const before = readFileSync(path.join(root, CONFIG), 'utf8');
      const on = await runCli(['enable', 'organizations', '--cwd', root, '--json']);
      expect(on.code, on.stderr).toBe(0);
      expect(JSON.parse(on.stdout)).toMatchObject({ ok: true, messages: ['organizations: enabled'] });
      const enabled = readFileSync(path.join(root, CONFIG), 'utf8');
      expect(enabled.replace('  features: { organizations: true },\n', '')).toBe(before);
      expect(readFileSync(path.join(root, 'src', 'db', 'auth-schema.ts'), 'utf8')).toMatch(/organization/);

      const realtime = await runCli(['enable', 'realtime', '--cwd', root]);
      expect(realtime.code, realtime.stderr).toBe(0);
      expect(readFileSync(path.join(root, 'src', 'realtime.ts'), 'utf8')).toMatch(/createRealtimeServer/);
      const webhooks = await runCli(['enable', 'webhooks', '--cwd', root]);
      expect(webhooks.code, webhooks.stderr).toBe(0);
      expect(readFileSync(path.join(root, 'src', 'webhooks.ts'), 'utf8')).toMatch(/emitWebhookEvent/);
      const withRealtime = readFileSync(path.join(root, CONFIG), 'utf8');
      const placement = await runCli(['enable', 'placement', '--cwd', root]);
      expect(placement.code).toBe(1);
      expect(placement.stderr).toContain('the enable placement edit was undone');
      expect(readFileSync(path.join(root, CONFIG), 'utf8')).toBe(withRealtime);
      const unknown = await runCli(['enable', 'teleport', '--cwd', root, '--json']);
      expect(JSON.parse(unknown.stdout).error.code).toBe('QB_GEN_UNKNOWN');
    },
    120_000,
  );

  it('add feature guests, then add plugin admin: the compiled app serves /api/v1/guests', async () => {
    const root = copyFixture('helpdesk', 'gen-feature');
    const added = await runCli([
      'add',
      'feature',
      'guests',
      '--columns',
      'name:text:required,checkedIn:boolean',
      '--write-roles',
      'member+',
      '--cwd',
      root,
    ]);
    expect(added.code, added.stderr).toBe(0);
    expect(added.stdout).toMatch(/created +quickback\/features\/guests\/guests\.ts/);
    expect((await runCli(['add', 'plugin', 'admin', '--cwd', root])).code).toBe(0);
    const target = await inProcessTarget(root, 'better-sqlite3');
    const [owner] = await signUpAll(target.fetch, target.baseURL, ['guest-host']);
    await createOrg(owner, 'Venue');
    const created = await owner.api('POST', '/api/v1/guests', { name: 'Ada' });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const list = await owner.api('GET', '/api/v1/guests');
    expect(list.status).toBe(200);
    expect(JSON.stringify(list.body)).toContain('Ada');
    expect((await runCli(['add', 'feature', 'guests', '--cwd', root])).stdout).toContain('already exists');
  }, 120_000);
});
