/**
 * `quickback enable encryption` and `enable placement` through the real bin on a compiled copy of
 * the README's example: the key goes to .env (mode 0600) and never to the output, --dry-run masks
 * it, the compiler-owned .env.example (which lists ENCRYPTION_KEK) is left alone so the next
 * compile has nothing to do; a switch the compiler does not build is refused and undone.
 */
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { copyFixture } from '../helpers/project.js';
import { contents, runCli, tree } from './run-cli.js';

describe('quickback enable|disable', () => {
  it('enable encryption writes ENCRYPTION_KEK to .env; the value is never printed', async () => {
    const root = copyFixture('helpdesk', 'gen-encryption');
    expect((await runCli(['compile', '--cwd', root])).code).toBe(0);
    const example = readFileSync(path.join(root, '.env.example'), 'utf8');
    expect(example).toMatch(/^ENCRYPTION_KEK=$/m);
    const files = tree(root);

    const dry = await runCli(['enable', 'encryption', '--no-compile', '--dry-run', '--cwd', root]);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toContain('+ENCRYPTION_KEK=<hidden>');
    expect(dry.stdout).not.toMatch(/[0-9a-f]{64}/);
    const json = JSON.parse((await runCli(['enable', 'encryption', '--dry-run', '--json', '--cwd', root])).stdout);
    expect(json).toMatchObject({ ok: true, dryRun: true, files: [{ path: '.env', action: 'create' }] });
    expect(json.diff).toContain('+ENCRYPTION_KEK=<hidden>');
    expect(JSON.stringify(json)).not.toMatch(/[0-9a-f]{64}/);
    expect(tree(root)).toEqual(files);

    const run = await runCli(['enable', 'encryption', '--no-compile', '--cwd', root]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('ENCRYPTION_KEK added to .env (value hidden)');
    const env = readFileSync(path.join(root, '.env'), 'utf8');
    expect(env).toMatch(/^ENCRYPTION_KEK=[0-9a-f]{64}\n$/);
    expect(run.stdout + run.stderr).not.toContain(env.slice('ENCRYPTION_KEK='.length, -1));
    expect(statSync(path.join(root, '.env')).mode & 0o777).toBe(0o600);
    expect(statSync(path.join(root, 'quickback/.quickback/journal.json')).mode & 0o777).toBe(0o600);
    expect(readFileSync(path.join(root, '.env.example'), 'utf8')).toBe(example);

    const again = JSON.parse((await runCli(['enable', 'encryption', '--cwd', root, '--json'])).stdout);
    expect(again).toMatchObject({
      ok: true,
      messages: ['encryption: already enabled (ENCRYPTION_KEK is in .env)'],
      files: [],
    });
    expect(readFileSync(path.join(root, '.env'), 'utf8')).toBe(env);
    expect((await runCli(['compile', '--check', '--cwd', root])).code).toBe(0);
  }, 120_000);

  it('enable placement (not built) is refused by the compile and leaves every byte as it was', async () => {
    const root = copyFixture('helpdesk', 'gen-placement');
    expect((await runCli(['compile', '--cwd', root])).code).toBe(0);
    const before = contents(root);
    const refused = await runCli(['enable', 'placement', '--cwd', root]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('QB_VALIDATE_NOT_SUPPORTED');
    expect(refused.stderr).toContain('the enable placement edit was undone');
    expect(contents(root)).toEqual(before);

    const kept = await runCli(['enable', 'placement', '--no-compile', '--cwd', root, '--json']);
    expect(JSON.parse(kept.stdout)).toMatchObject({
      ok: true,
      messages: ['placement: enabled'],
      files: [{ path: 'quickback/quickback.config.ts', action: 'update' }],
    });
    expect(readFileSync(path.join(root, 'quickback', 'quickback.config.ts'), 'utf8')).toContain(
      'runtime: defineRuntime("node", { placement: { mode: "smart" } }),',
    );
  }, 120_000);
});
