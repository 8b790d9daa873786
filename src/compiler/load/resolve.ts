/**
 * @module compiler/load/resolve
 * Resolves a relative import specifier the way jiti does for TypeScript projects: the exact file,
 * the file with a source extension, a folder's index file, and `./x.js` written for `./x.ts`.
 * Package specifiers are not project files and resolve to null.
 */
import { statSync } from 'node:fs';
import path from 'node:path';

const EXTENSIONS = ['.ts', '.mts', '.cts', '.tsx', '.js', '.mjs', '.cjs', '.json'];
const JS_TO_TS: Record<string, string[]> = { '.js': ['.ts', '.tsx'], '.mjs': ['.mts'], '.cjs': ['.cts'] };

function isFile(file: string): boolean {
  try {
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

export function resolveLocalImport(specifier: string, fromFile: string): string | null {
  if (!specifier.startsWith('.') && !path.isAbsolute(specifier)) return null;
  const base = path.resolve(path.dirname(fromFile), specifier.split('?')[0]);
  const ext = path.extname(base);
  const candidates = [
    base,
    ...(JS_TO_TS[ext] ?? []).map((ts) => base.slice(0, -ext.length) + ts),
    ...EXTENSIONS.map((e) => base + e),
    ...EXTENSIONS.map((e) => path.join(base, `index${e}`)),
  ];
  return candidates.find(isFile) ?? null;
}
