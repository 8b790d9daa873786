/**
 * Runs the real `quickback` bin in a child process (no stdin, no TTY) and snapshots which files
 * exist, so tests can assert "nothing written".
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { REPO } from '../helpers/project.js';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function runCli(args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = execFile(process.execPath, [path.join(REPO, 'bin', 'quickback.js'), ...args], {
      env: { ...process.env, NO_COLOR: '1', CI: 'true', ...env },
      timeout: 60_000,
    }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
    });
    child.stdin?.end();
  });
}

/**
 * The compile cache (quickback/.quickback/cache) is machine-local, git-ignored state that any
 * compile may refresh; it is not output, so the snapshots below leave it out.
 */
const CACHE_DIR = path.join('quickback', '.quickback', 'cache');

function files(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory() && path.relative(root, full) === CACHE_DIR) continue;
      // Installed packages and the dev server's bundle (node_modules/.cache/quickback-dev): never output.
      if (entry.isDirectory() && entry.name === 'node_modules') continue;
      if (entry.isDirectory()) walk(full);
      else out.push(path.relative(root, full));
    }
  };
  walk(root);
  return out.sort();
}

/** Every file under `root` with its size and mtime, sorted: equal before/after means nothing was written. */
export function tree(root: string): string[] {
  return files(root).map((rel) => {
    const s = statSync(path.join(root, rel));
    return `${rel} ${s.size} ${s.mtimeMs}`;
  });
}

/** Every file under `root` with a hash of its bytes, sorted: equal means the same bytes everywhere. */
export function contents(root: string, skip: (rel: string) => boolean = () => false): string[] {
  return files(root).filter((rel) => !skip(rel)).map((rel) =>
    `${rel} ${createHash('sha256').update(readFileSync(path.join(root, rel))).digest('hex')}`
  );
}
