/**
 * @module compiler/write/paths
 * Project-relative output paths: normalising them, keeping them inside the project root, and
 * resolving them on disk. Also the content hash the manifest records.
 */
import path from 'node:path';
import { QuickbackError } from '../../shared/errors.js';

/** Where the write manifest lives, relative to the project root. */
export const MANIFEST_PATH = 'quickback/.quickback/manifest.json';

/** Hex sha256 of the UTF-8 bytes of `text`. */
export { sha256 } from '../../shared/hash.js';

/** Plain code-unit order, so results never depend on the locale. */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Normalises a project-relative POSIX path, or returns null when it is absolute, empty, or
 * climbs out of the root with `..`.
 */
export function tryNormalizeRelPath(p: string): string | null {
  if (p === '' || p.includes('\\') || p.includes('\0')) return null;
  if (path.posix.isAbsolute(p) || /^[a-zA-Z]:/.test(p)) return null;
  const normalized = path.posix.normalize(p);
  if (normalized === '.' || normalized === '..' || normalized.startsWith('../') || normalized.endsWith('/'))
    return null;
  return normalized;
}

/** Like tryNormalizeRelPath, but throws QB_WRITE_OUTSIDE_ROOT for a path that escapes the root. */
export function normalizeRelPath(p: string): string {
  const normalized = tryNormalizeRelPath(p);
  if (normalized === null) {
    throw new QuickbackError(
      'QB_WRITE_OUTSIDE_ROOT',
      `Output path "${p}" is not a relative path inside the project root`,
      {
        file: p,
        hint:
          'Output paths must be project-relative POSIX paths without "..". This is a compiler bug; please report it.',
      },
    );
  }
  return normalized;
}

/** The absolute on-disk location of a project-relative path; throws if it would leave `root`. */
export function resolveInside(root: string, rel: string): string {
  const normalized = normalizeRelPath(rel);
  const base = path.resolve(root);
  const abs = path.resolve(base, ...normalized.split('/'));
  const back = path.relative(base, abs);
  if (back === '' || back.startsWith('..') || path.isAbsolute(back)) {
    throw new QuickbackError('QB_WRITE_OUTSIDE_ROOT', `Output path "${rel}" resolves outside the project root`, {
      file: rel,
    });
  }
  return abs;
}
