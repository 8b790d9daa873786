/**
 * @module shared/errors
 * QuickbackError: the one error type the toolchain throws for user-facing failures.
 * Code that must tell errors apart checks `code` (see isQuickbackError), never `instanceof`.
 */
import type { Diagnostic } from './diagnostics.js';
import type { ErrorCode } from './error-codes.js';

const BRAND = Symbol.for('quickback:error');

export interface QuickbackErrorOptions {
  hint?: string;
  file?: string;
  at?: string;
  meta?: Record<string, unknown>;
  diagnostics?: Diagnostic[];
  cause?: unknown;
}

export class QuickbackError extends Error {
  readonly code: ErrorCode;
  readonly hint?: string;
  readonly file?: string;
  readonly at?: string;
  readonly meta?: Record<string, unknown>;
  /** When the failure is a set of problems (validation), each one is here. */
  readonly diagnostics: Diagnostic[];

  constructor(code: ErrorCode, message: string, options: QuickbackErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'QuickbackError';
    this.code = code;
    this.hint = options.hint;
    this.file = options.file;
    this.at = options.at;
    this.meta = options.meta;
    this.diagnostics = options.diagnostics ?? [];
    Object.defineProperty(this, BRAND, { value: true });
  }

  /** The diagnostics to show: the attached list, or this error as a single diagnostic. */
  toDiagnostics(): Diagnostic[] {
    if (this.diagnostics.length > 0) return this.diagnostics;
    return [{
      code: this.code,
      severity: 'error',
      message: this.message,
      file: this.file,
      at: this.at,
      hint: this.hint,
    }];
  }
}

export function isQuickbackError(value: unknown): value is QuickbackError {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[BRAND] === true;
}
