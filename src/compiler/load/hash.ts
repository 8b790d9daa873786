/**
 * @module compiler/load/hash
 * sha256 of project files by project-relative path, each read at most once per load.
 */
import path from 'node:path';
import { sha256File } from '../../shared/hash.js';

/** Returns the file's sha256, or null for a file that is gone. */
export type FileHasher = (rel: string) => string | null;

export function fileHasher(root: string): FileHasher {
  const memo = new Map<string, string | null>();
  return (rel) => {
    if (!memo.has(rel)) memo.set(rel, sha256File(path.join(root, rel)));
    return memo.get(rel)!;
  };
}
