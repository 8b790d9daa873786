/**
 * Issue #30 part 7 (polish): `create-quickback --version`, per-subcommand `--help`.
 * Child processes of the real bins; no project is compiled.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO } from '../helpers/project.js';
import { runCreate } from '../scaffold/run-create.js';

const version = (JSON.parse(readFileSync(path.join(REPO, 'package.json'), 'utf8')) as { version: string }).version;

describe('create-quickback --version', () => {
  it.each(['--version', '-v'])('%s prints the version and exits 0, writing nothing', async (flag) => {
    const result = await runCreate([flag], REPO);
    expect(result.code).toBe(0);
    expect(result.stdout.trim()).toBe(version);
    expect(result.stderr).toBe('');
  });
});
