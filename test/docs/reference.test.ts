/**
 * @module test/docs/reference
 * The generated reference pages (docs/reference/{cli,config,errors}.md) are what the registries
 * give today, `npm run docs:check` passes on this repository and fails, naming the page, when a
 * page was edited by hand or a registry changed without `npm run docs`. The README keeps the test
 * command .ci/run runs, and every relative link of the docs reaches a file and heading.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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
  return spawnSync(tsx, ['scripts/docs.ts', '--check', ...(root ? ['--root', root] : [])], {
    cwd: repoRoot,
    encoding: 'utf8',
  });
}

/** The headings of a Markdown file as GitHub anchors (outside code fences). */
function anchors(file: string): Set<string> {
  let fenced = false;
  const out = new Set<string>();
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (line.startsWith('```')) fenced = !fenced;
    else if (!fenced && line.startsWith('#'))
      out.add(line.replace(/^#+\s*/, '').toLowerCase().replace(/[^\w\- ]/g, '').replace(/ /g, '-'));
  }
  return out;
}

function markdownFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((
    e,
  ) => (e.isDirectory()
    ? markdownFiles(path.join(dir, e.name))
    : e.name.endsWith('.md')
    ? [path.join(dir, e.name)]
    : [])
  );
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
    for (const command of ['compile', 'dev', 'migrate', 'keys', 'add', 'enable', 'remove', 'upgrade', 'undo'])
      expect(pages['docs/reference/cli.md']).toContain(`### \`quickback ${command}\``);
    expect(pages['docs/reference/cli.md']).toContain('`enable realtime`');
    expect(pages['docs/reference/config.md']).toContain('| `auth.jwt.revocationCheck` | "none" \\| "kv" |');
    expect(await referencePages()).toEqual(pages);
  });

  it('the README keeps the test command .ci/run runs, and every relative docs link resolves', () => {
    const readme = readFileSync(path.join(repoRoot, 'README.md'), 'utf8');
    expect(readme).toContain('npm ci && npm test ');
    expect(readFileSync(path.join(repoRoot, '.ci', 'run'), 'utf8')).toMatch(/^npm test <\/dev\/null$/m);
    const files = [
      path.join(repoRoot, 'README.md'),
      path.join(repoRoot, 'bench', 'README.md'),
      ...markdownFiles(path.join(repoRoot, 'docs')),
    ];
    const broken: string[] = [];
    for (const file of files) {
      for (const [, link] of readFileSync(file, 'utf8').matchAll(/\]\(([^)\s]+)\)/g)) {
        if (/^[a-z]+:/.test(link)) continue;
        const [target, anchor] = link.split('#');
        const resolved = target ? path.resolve(path.dirname(file), target) : file;
        if (!existsSync(resolved) || (anchor && !anchors(resolved).has(anchor)))
          broken.push(`${path.relative(repoRoot, file)} → ${link}`);
      }
    }
    expect(broken).toEqual([]);
  });
});
