/**
 * @module scripts/format
 * `npm run format` / `npm run format:check`: the repository's sources (src, generators, test,
 * bench, scripts, bin and the root *.config.ts) formatted by the same in-process formatter and
 * `dprint.json` as the compile's format step (src/compiler/emit/format.ts), so the vendored runtime
 * the compiler copies verbatim is formatted exactly as an emitted file would be.
 * `--check` writes nothing and exits 1 naming every file that differs. Paths after the flags limit
 * the run to those files or folders (`tsx scripts/format.ts src/runtime`).
 * Skipped: dprint.json's `excludes` (snapshots, fixtures, .out, build output).
 */
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import config from '../dprint.json' with { type: 'json' };
import { formatSource } from '../src/compiler/emit/format.js';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const ROOTS = ['src', 'generators', 'test', 'bench', 'scripts', 'bin'];
const EXTENSIONS = ['.ts', '.mts', '.js', '.mjs'];

/** `**\/name` excludes a file or folder of that name anywhere; `a/b` excludes that path from the root. */
function excluded(rel: string): boolean {
  return config.excludes.some((pattern) =>
    pattern.startsWith('**/')
      ? rel.split('/').includes(pattern.slice(3))
      : rel === pattern || rel.startsWith(`${pattern}/`)
  );
}

function collect(root: string, rel: string, out: string[]): void {
  if (excluded(rel)) return;
  const full = path.join(root, rel);
  if (!statSync(full).isDirectory()) {
    if (EXTENSIONS.some((ext) => rel.endsWith(ext))) out.push(rel);
    return;
  }
  for (const entry of readdirSync(full).sort()) collect(root, `${rel}/${entry}`, out);
}

/** The files `npm run format` covers under `root`, as sorted POSIX paths from it; `only` narrows them. */
export function sourceFiles(root = repoRoot, only: string[] = []): string[] {
  const files: string[] = [];
  const starts = only.length > 0
    ? only.map((p) => path.relative(root, path.resolve(p)).split(path.sep).join('/'))
    : ROOTS;
  for (const start of starts) {
    try {
      statSync(path.join(root, start));
    } catch {
      continue;
    }
    collect(root, start, files);
  }
  if (only.length === 0) files.push(...readdirSync(root).filter((name) => name.endsWith('.config.ts')).sort());
  return files;
}

/** The files under `root` whose text the formatter would change; written back unless `check`. */
export function formatRepository(options: { root?: string; only?: string[]; check: boolean }): string[] {
  const root = options.root ?? repoRoot;
  const changed: string[] = [];
  for (const rel of sourceFiles(root, options.only)) {
    const full = path.join(root, rel);
    const text = readFileSync(full, 'utf8');
    // dprint reaches a fixed point in at most a few passes; --check compares with one pass, so
    // the written text is one a further pass leaves as is.
    let formatted = formatSource(text, rel);
    for (let pass = 0, again = formatted; pass < 3 && !options.check; pass++, formatted = again) {
      again = formatSource(formatted, rel);
      if (again === formatted) break;
    }
    if (formatted === text) continue;
    changed.push(rel);
    if (!options.check) writeFileSync(full, formatted);
  }
  return changed;
}

function main(argv: string[]): number {
  const check = argv.includes('--check');
  const only = argv.filter((arg) => !arg.startsWith('--'));
  const changed = formatRepository({ only, check });
  for (const rel of changed)
    process.stderr.write(check ? `format: ${rel} is not formatted\n` : `format: wrote ${rel}\n`);
  if (check && changed.length > 0) {
    process.stderr.write(`format: ${changed.length} file(s) differ (run npm run format)\n`);
    return 1;
  }
  if (check) process.stdout.write('format: every file is formatted\n');
  return 0;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url))
  process.exitCode = main(process.argv.slice(2));
