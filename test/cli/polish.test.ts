/**
 * Issue #30 part 7 (polish): `create-quickback --version`, per-subcommand `--help`.
 * Child processes of the real bins; no project is compiled.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO } from '../helpers/project.js';
import { runCreate } from '../scaffold/run-create.js';
import { runCli } from './run-cli.js';

const version = (JSON.parse(readFileSync(path.join(REPO, 'package.json'), 'utf8')) as { version: string }).version;

describe('create-quickback --version', () => {
  it.each(['--version', '-v'])('%s prints the version and exits 0, writing nothing', async (flag) => {
    const result = await runCreate([flag], REPO);
    expect(result.code).toBe(0);
    expect(result.stdout.trim()).toBe(version);
    expect(result.stderr).toBe('');
  });
});

describe('per-subcommand --help', () => {
  it('`add feature --help` prints only add feature; `add --help` lists every add generator', async () => {
    const one = await runCli(['add', 'feature', '--help']);
    expect(one.code).toBe(0);
    expect(one.stdout).toContain('quickback add feature <name>');
    expect(one.stdout.match(/^quickback /gm)).toHaveLength(1);
    const all = await runCli(['add', '--help']);
    expect(all.code).toBe(0);
    for (const what of ['feature', 'column', 'view', 'action', 'plugin']) expect(all.stdout).toContain(`quickback add ${what} `);
  });

  it.each([['remove', 'plugin'], ['enable', 'realtime'], ['disable', 'organizations']])('`%s %s --help` prints only that generator', async (verb, what) => {
    const result = await runCli([verb, what, '--help']);
    expect(result.code).toBe(0);
    expect(result.stdout.match(/^quickback /gm)).toEqual(['quickback ']);
    expect(result.stdout).toContain(`quickback ${verb} ${what}`);
  });

  it('`keys shred --help` prints only shred; `keys --help` both', async () => {
    const one = await runCli(['keys', 'shred', '--help']);
    expect(one.code).toBe(0);
    expect(one.stdout).toContain('quickback keys shred');
    expect(one.stdout).not.toContain('rotate');
    const all = await runCli(['keys', '--help']);
    expect(all.stdout).toContain('quickback keys rotate');
    expect(all.stdout).toContain('quickback keys shred');
  });
});
