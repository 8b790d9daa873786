/**
 * @module compiler/write/fs
 * The few disk operations the writer needs, behind a small injectable interface (node:fs/promises
 * signatures) so tests can simulate a crash part-way through. Every failure becomes
 * QB_WRITE_FAILED naming the project-relative file.
 */
import { randomBytes } from 'node:crypto';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { QuickbackError } from '../../shared/errors.js';

/** The subset of node:fs/promises that applyPlan uses. */
export interface WriteFs {
  writeFile(file: string, data: string, encoding: 'utf8'): Promise<void>;
  rename(from: string, to: string): Promise<void>;
  mkdir(dir: string, options: { recursive: true }): Promise<unknown>;
  rm(file: string, options?: { force?: boolean }): Promise<void>;
  rmdir(dir: string): Promise<void>;
  readdir(dir: string): Promise<string[]>;
}

export const nodeFs: WriteFs = {
  writeFile: (file, data, encoding) => fsp.writeFile(file, data, encoding),
  rename: (from, to) => fsp.rename(from, to),
  mkdir: (dir, options) => fsp.mkdir(dir, options),
  rm: (file, options) => fsp.rm(file, options),
  rmdir: (dir) => fsp.rmdir(dir),
  readdir: (dir) => fsp.readdir(dir),
};

function errorCode(err: unknown): string | undefined {
  return typeof err === 'object' && err !== null ? (err as { code?: string }).code : undefined;
}

function failed(action: string, rel: string, err: unknown): QuickbackError {
  const reason = err instanceof Error ? err.message : String(err);
  return new QuickbackError('QB_WRITE_FAILED', `Could not ${action} ${rel}: ${reason}`, { file: rel, cause: err });
}

/** The file's text, or null when it does not exist. */
export async function readText(abs: string, rel: string): Promise<string | null> {
  try {
    return await fsp.readFile(abs, 'utf8');
  } catch (err) {
    if (errorCode(err) === 'ENOENT' || errorCode(err) === 'ENOTDIR') return null;
    throw failed('read', rel, err);
  }
}

/** mkdir -p, write a sibling temp file, rename it over the target; the temp file never survives. */
export async function writeAtomic(fs: WriteFs, abs: string, rel: string, contents: string): Promise<void> {
  const tmp = `${abs}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    await fs.mkdir(path.dirname(abs), { recursive: true });
    await fs.writeFile(tmp, contents, 'utf8');
    await fs.rename(tmp, abs);
  } catch (err) {
    await fs.rm(tmp, { force: true }).catch(() => undefined);
    throw failed('write', rel, err);
  }
}

/** Removes a file (gone already is fine), then every parent left empty, up to but not including root. */
export async function removeAndPrune(fs: WriteFs, root: string, abs: string, rel: string): Promise<void> {
  try {
    await fs.rm(abs, { force: true });
  } catch (err) {
    throw failed('delete', rel, err);
  }
  const base = path.resolve(root);
  let dir = path.dirname(abs);
  while (dir !== base && !path.relative(base, dir).startsWith('..') && !path.isAbsolute(path.relative(base, dir))) {
    try {
      if ((await fs.readdir(dir)).length > 0) return;
      await fs.rmdir(dir);
    } catch {
      return; // pruning is best effort: a directory that vanished or filled up is left alone
    }
    dir = path.dirname(dir);
  }
}
