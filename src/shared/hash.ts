/**
 * @module shared/hash
 * The one sha256 helper: hex digests of text (UTF-8) or bytes, and of a file's bytes (null when
 * the file cannot be read, e.g. it is gone).
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';

export function sha256(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

export function sha256File(file: string): string | null {
  try {
    return sha256(readFileSync(file));
  } catch {
    return null;
  }
}
