/**
 * @module dsl/kind
 * Descriptors carry a `Symbol.for('quickback:kind')` brand so `load` recognises them even when
 * a project holds two copies of the package (the drizzle `entityKind` idea; no `instanceof`).
 */
export const KIND = Symbol.for('quickback:kind');

export type Kind =
  | 'config'
  | 'provider'
  | 'feature'
  | 'table-definition'
  | 'qtable'
  | 'column'
  | 'actions';

export type Branded<K extends Kind, T> = T & { readonly [KIND]: K };

export function brand<K extends Kind, T extends object>(kind: K, value: T): Branded<K, T> {
  Object.defineProperty(value, KIND, { value: kind, enumerable: false });
  return value as Branded<K, T>;
}

export function kindOf(value: unknown): Kind | undefined {
  if ((typeof value !== 'object' && typeof value !== 'function') || value === null) return undefined;
  const kind = (value as Record<symbol, unknown>)[KIND];
  return typeof kind === 'string' ? (kind as Kind) : undefined;
}

/** Thrown by the DSL for mistakes it can see while definitions run (load turns it into a diagnostic). */
export class DslError extends Error {
  readonly code: 'QB_DSL_UNKNOWN_COLUMN_TYPE' | 'QB_DSL_UNKNOWN_MODIFIER' | 'QB_DSL_INVALID_ARGUMENT';
  readonly hint?: string;
  constructor(code: DslError['code'], message: string, hint?: string) {
    super(message);
    this.name = 'DslError';
    this.code = code;
    this.hint = hint;
    Object.defineProperty(this, Symbol.for('quickback:dsl-error'), { value: true });
  }
}

export function isDslError(value: unknown): value is DslError {
  return typeof value === 'object' && value !== null
    && (value as Record<symbol, unknown>)[Symbol.for('quickback:dsl-error')] === true;
}

/** Nearest candidate by edit distance, for "did you mean" hints (kept here: the DSL must stay dependency-free). */
export function nearest(input: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestScore = Infinity;
  for (const candidate of candidates) {
    const score = distance(input.toLowerCase(), candidate.toLowerCase());
    if (score < bestScore) {
      best = candidate;
      bestScore = score;
    }
  }
  return best !== undefined && bestScore <= Math.max(2, Math.floor(input.length / 3)) ? best : undefined;
}

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return row[b.length];
}
