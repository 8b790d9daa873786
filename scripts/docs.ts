/**
 * @module scripts/docs
 * The generated reference pages under docs/reference/: cli.md (command table, each command's
 * --help, generator registry, scaffolder help), errors.md (the QB_* registry) and config.md (the
 * zod config schemas). `npm run docs` writes them; `npm run docs:check` exits 1 naming every page
 * that differs from what the registries give (test/docs/reference.test.ts runs the check).
 * Output depends only on the registries: no dates, paths or environment.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { cliPage } from './docs/cli.js';
import { configPage } from './docs/config.js';
import { errorsPage } from './docs/errors.js';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Every generated page, by its path from the repository root. */
export async function referencePages(): Promise<Record<string, string>> {
  return {
    'docs/reference/cli.md': await cliPage(),
    'docs/reference/config.md': configPage(),
    'docs/reference/errors.md': errorsPage(),
  };
}

/** The pages under `root` that are missing or differ from what the registries give. */
export async function stalePages(root = repoRoot): Promise<string[]> {
  const pages = await referencePages();
  return Object.keys(pages).filter((rel) => {
    const file = path.join(root, rel);
    return !existsSync(file) || readFileSync(file, 'utf8') !== pages[rel];
  });
}

/** `--check [--root DIR]`: compare the pages under DIR (default: this repository) instead of writing. */
async function main(argv: string[]): Promise<number> {
  if (argv.includes('--check')) {
    const at = argv.indexOf('--root');
    const stale = await stalePages(at >= 0 ? path.resolve(argv[at + 1]) : repoRoot);
    for (const rel of stale) process.stderr.write(`docs: ${rel} is stale (run npm run docs)\n`);
    if (stale.length === 0) process.stdout.write('docs: reference pages are up to date\n');
    return stale.length === 0 ? 0 : 1;
  }
  for (const [rel, text] of Object.entries(await referencePages())) {
    writeFileSync(path.join(repoRoot, rel), text);
    process.stdout.write(`docs: wrote ${rel}\n`);
  }
  return 0;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url))
  process.exitCode = await main(process.argv.slice(2));
