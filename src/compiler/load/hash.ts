/**
 * @module compiler/load/hash
 * sha256 of project files by project-relative path, each read at most once per load.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';

/** Returns the file's sha256, or null for a file that is gone. */
export type FileHasher = (rel: string) => string | null;

export function fileHasher(root: string): FileHasher {
  const memo = new Map<string, string | null>();
  return (rel) => {
    if (!memo.has(rel)) {
      try {
        memo.set(rel, createHash('sha256').update(readFileSync(path.join(root, rel))).digest('hex'));
      } catch {
        memo.set(rel, null);
      }
    }
    return memo.get(rel)!;
  };
}
