/**
 * @module compiler/load/errors
 * Turns whatever a definition file threw while loading into a Diagnostic with file and location.
 */
import { isDslError } from '../../dsl/kind.js';
import { error, type Diagnostic } from '../../shared/diagnostics.js';
import { relativePath } from './paths.js';

interface EsbuildFailure {
  errors: { text: string; location?: { file: string; line: number; column: number } | null }[];
}

function isEsbuildFailure(value: unknown): value is EsbuildFailure {
  return typeof value === 'object' && value !== null && Array.isArray((value as EsbuildFailure).errors);
}

/** First stack frame inside the project (not node_modules, not the compiler), as file:line:col. */
function projectFrame(
  stack: string | undefined,
  root: string,
): { file: string; line: number; column: number } | undefined {
  for (const line of (stack ?? '').split('\n')) {
    const match = /\(?((?:\/|[A-Za-z]:\\)[^():]+):(\d+):(\d+)\)?\s*$/.exec(line.trim());
    if (!match) continue;
    const [, file, row, col] = match;
    if (!file.startsWith(root) || file.includes('node_modules')) continue;
    return { file, line: Number(row), column: Number(col) };
  }
  return undefined;
}

export function loadErrorToDiagnostic(thrown: unknown, file: string, root: string): Diagnostic {
  if (isEsbuildFailure(thrown)) {
    const first = thrown.errors[0];
    const location = first?.location;
    return error('QB_LOAD_SYNTAX_ERROR', `Syntax error: ${first?.text ?? 'could not parse the file'}`, {
      file: location ? relativePath(root, location.file) : file,
      line: location?.line,
      column: location ? location.column + 1 : undefined,
      hint: 'Fix the TypeScript syntax at the position shown, then compile again.',
    });
  }
  if (isDslError(thrown)) {
    const frame = projectFrame(thrown.stack, root);
    return error(thrown.code, thrown.message, {
      file: frame ? relativePath(root, frame.file) : file,
      hint: thrown.hint,
    });
  }
  const message = thrown instanceof Error ? thrown.message : String(thrown);
  const missing = /Cannot find (?:module|package) '([^']+)'/.exec(message);
  return error('QB_LOAD_IMPORT_FAILED', `The file threw while loading: ${message.split('\n')[0]}`, {
    file,
    hint: missing
      ? `Install "${missing[1]}" or fix the import path.`
      : 'Definition files must only declare definitions; move side effects out of them.',
  });
}
