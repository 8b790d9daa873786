/**
 * @module compiler/watch/hash
 * sha256 of a file now, or null when it is gone (the watcher's relevance check).
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';

export function hashFile(file: string): string | null {
  try {
    return createHash('sha256').update(readFileSync(file)).digest('hex');
  } catch {
    return null;
  }
}
