/**
 * @module shared/tree
 * The in-memory file Tree generators edit (as in Angular schematics): reads fall through to the
 * project on disk, writes and deletes are staged, and nothing touches the disk until the caller
 * commits the changes (compiler/write/commit-tree.ts). `changes()` is what a dry run shows.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { QuickbackError } from './errors.js';

export interface TreeChange {
  path: string;
  action: 'create' | 'update' | 'delete';
  before: string | null;
  after: string | null;
  /** A secrets file (`.env`, `.dev.vars`, ...): diffs mask its values, and it is written mode 0600. */
  secret?: boolean;
}

/** Local secrets files by name: `.env`, `.env.local`, `.env.production`, `.dev.vars`, ... (not `*.example`). */
export function isSecretsFile(file: string): boolean {
  const name = file.slice(file.lastIndexOf('/') + 1);
  return (name === '.env' || name.startsWith('.env.') || name === '.dev.vars' || name.startsWith('.dev.vars.'))
    && !/\.(example|sample|template)$/.test(name);
}

export class Tree {
  private readonly staged = new Map<string, string | null>();
  private readonly original = new Map<string, string | null>();

  constructor(readonly root: string) {}

  private abs(file: string): string {
    const abs = path.resolve(this.root, file);
    const rel = path.relative(this.root, abs);
    if (rel.startsWith('..') || path.isAbsolute(rel))
      throw new QuickbackError('QB_INTERNAL', `${file} is outside the project`);
    return abs;
  }

  private onDisk(file: string): string | null {
    if (!this.original.has(file)) {
      let text: string | null = null;
      try {
        text = readFileSync(this.abs(file), 'utf8');
      } catch {
        text = null;
      }
      this.original.set(file, text);
    }
    return this.original.get(file)!;
  }

  read(file: string): string | null {
    return this.staged.has(file) ? this.staged.get(file)! : this.onDisk(file);
  }

  exists(file: string): boolean {
    return this.read(file) !== null;
  }

  /** Files under `dir` (recursively, project-relative, sorted) as the staged Tree sees them. */
  list(dir: string): string[] {
    const prefix = `${dir.replace(/\/+$/, '')}/`;
    const found = new Set<string>();
    const walk = (rel: string) => {
      let entries;
      try {
        entries = readdirSync(this.abs(rel), { withFileTypes: true });
      } catch {
        return;
      }
      for (const entry of entries) {
        const child = `${rel}/${entry.name}`;
        if (entry.isDirectory()) walk(child);
        else if (entry.isFile()) found.add(child);
      }
    };
    walk(prefix.slice(0, -1));
    for (const file of this.staged.keys()) if (file.startsWith(prefix)) found.add(file);
    return [...found].filter((file) => this.exists(file)).sort();
  }

  write(file: string, contents: string): void {
    this.onDisk(file);
    this.staged.set(file, contents);
  }

  delete(file: string): void {
    this.onDisk(file);
    this.staged.set(file, null);
  }

  /** Staged changes that differ from the disk, sorted by path. */
  changes(): TreeChange[] {
    return [...this.staged]
      .filter(([file, after]) => after !== this.original.get(file))
      .map(([file, after]) => {
        const before = this.original.get(file) ?? null;
        const change: TreeChange = {
          path: file,
          action: before === null ? 'create' : after === null ? 'delete' : 'update',
          before,
          after,
        };
        return isSecretsFile(file) ? { ...change, secret: true } : change;
      })
      .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  }
}
