/**
 * @module test/docs/reference
 * The generated reference pages (docs/reference/{cli,config,errors}.md) are what the registries
 * give today, `npm run docs:check` passes on this repository and fails, naming the page, when a
 * page was edited by hand or a registry changed without `npm run docs`.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { errorCodes } from '../../src/shared/error-codes.js';
import { referencePages, repoRoot, stalePages } from '../../scripts/docs.js';

const tsx = path.join(repoRoot, 'node_modules', '.bin', 'tsx');
const copies: string[] = [];

/** A copy of docs/reference in a fresh folder, laid out as in the repository. */
function copyOfDocs(): string {
  const root = mkdtempSync(path.join(tmpdir(), 'qb-docs-'));
  copies.push(root);
  cpSync(path.join(repoRoot, 'docs', 'reference'), path.join(root, 'docs', 'reference'), { recursive: true });
  return root;
}

function check(root?: string) {
  return spawnSync(tsx, ['scripts/docs.ts', '--check', ...(root ? ['--root', root] : [])], { cwd: repoRoot, encoding: 'utf8' });
}

afterAll(() => {
  for (const dir of copies) rmSync(dir, { recursive: true, force: true });
});

describe('generated reference pages', () => {
  it('are up to date: docs:check exits 0 on the repository', () => {
    const run = check();
    expect(run.stderr, run.stderr).toBe('');
    expect(run.status).toBe(0);
  }, 60_000);

  it('docs:check exits 1 and names the page when a page is edited by hand', () => {
    const root = copyOfDocs();
    const errors = path.join(root, 'docs', 'reference', 'errors.md');
    writeFileSync(errors, readFileSync(errors, 'utf8').replace('| `QB_WRITE_DRIFT` |', '| `QB_WRITE_DRIFTED` |'));
    const run = check(root);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('docs/reference/errors.md is stale');
    expect(run.stderr).not.toContain('cli.md');
  }, 60_000);

  it('a missing page is stale, and an untouched copy is not', async () => {
    const root = copyOfDocs();
    expect(await stalePages(root)).toEqual([]);
    rmSync(path.join(root, 'docs', 'reference', 'config.md'));
    expect(await stalePages(root)).toEqual(['docs/reference/config.md']);
  }, 60_000);

  it('follow the registries: every QB_* code, every command, the config schema', async () => {
    const pages = await referencePages();
    for (const code of Object.keys(errorCodes)) expect(pages['docs/reference/errors.md']).toContain(`\`${code}\``);
    for (const command of ['compile', 'dev', 'migrate', 'keys', 'add', 'enable', 'remove', 'upgrade', 'undo']) expect(pages['docs/reference/cli.md']).toContain(`### \`quickback ${command}\``);
    expect(pages['docs/reference/cli.md']).toContain('`enable realtime`');
    expect(pages['docs/reference/config.md']).toContain('| `auth.jwt.revocationCheck` | "none" \\| "kv" |');
    expect(await referencePages()).toEqual(pages);
  });
});
