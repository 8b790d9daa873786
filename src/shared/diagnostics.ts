/**
 * @module shared/diagnostics
 * A Diagnostic says what is wrong, where (file + path inside the definition), and how to fix it.
 */
import type { ErrorCode } from './error-codes.js';

export type Severity = 'error' | 'warning';

export interface Diagnostic {
  code: ErrorCode;
  severity: Severity;
  message: string;
  /** Project-relative POSIX path of the file the problem is in. */
  file?: string;
  /** Dotted path inside the definition, e.g. `features.guests.columns.email`. */
  at?: string;
  /** 1-based line and column, when known (syntax errors). */
  line?: number;
  column?: number;
  hint?: string;
}

export function error(
  code: ErrorCode,
  message: string,
  where: Omit<Diagnostic, 'code' | 'severity' | 'message'> = {},
): Diagnostic {
  return { code, severity: 'error', message, ...where };
}

export function warning(
  code: ErrorCode,
  message: string,
  where: Omit<Diagnostic, 'code' | 'severity' | 'message'> = {},
): Diagnostic {
  return { code, severity: 'warning', message, ...where };
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}

/** Stable order: by file, then path, then code, so output and tests are deterministic. */
export function sortDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  const key = (d: Diagnostic) =>
    `${d.file ?? ''}\u0000${d.at ?? ''}\u0000${d.line ?? 0}\u0000${d.code}\u0000${d.message}`;
  return [...diagnostics].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}
