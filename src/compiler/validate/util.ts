/**
 * @module compiler/validate/util
 * Small pure helpers shared by the validate rules: safe access into values of unknown shape
 * (rules run on definitions that may be malformed), path formatting and "did you mean" hints.
 */
import { nearest } from '../../dsl/kind.js';

export type Segment = string | number;

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The entries of a plain object, or none when the value is not one. */
export function entriesOf(value: unknown): [string, unknown][] {
  return isRecord(value) ? Object.entries(value) : [];
}

/** The strings of an array (anything else is skipped: the schema rules report wrong types). */
export function stringsOf(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** `["a", "b", 0, "x-y"]` → `a.b[0]["x-y"]`, the way a definition path is written. */
export function formatPath(segments: readonly (Segment | symbol)[], base = ''): string {
  let out = base;
  for (const segment of segments) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (typeof segment === 'symbol') continue;
    else if (IDENTIFIER.test(segment)) out += out === '' ? segment : `.${segment}`;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out;
}

/** The value at `segments` inside `root`, or undefined when any step is missing. */
export function valueAt(root: unknown, segments: readonly (Segment | symbol)[]): unknown {
  let current: unknown = root;
  for (const segment of segments) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<PropertyKey, unknown>)[segment as PropertyKey];
  }
  return current;
}

/** The value at a dotted path (`auth.jwt.expiresIn`). */
export function valueAtDotted(root: unknown, dotted: string): unknown {
  return valueAt(root, dotted.split('.'));
}

/** `Did you mean "x"?` when a candidate is close, otherwise the list of valid values. */
export function didYouMean(input: string, candidates: readonly string[], noun = 'Valid values'): string | undefined {
  const guess = nearest(input, candidates);
  if (guess !== undefined) return `Did you mean "${guess}"?`;
  return candidates.length > 0 ? `${noun}: ${candidates.join(', ')}` : undefined;
}

/** A short description of a received value for messages (`"abc"`, `5`, `an array`). */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 37)}...` : value);
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (typeof value === 'function') return 'a function';
  if (typeof value === 'object') return 'an object';
  return String(value);
}

/** `"a", "b" and "c"` for messages. */
export function quoteList(values: readonly unknown[]): string {
  return values.map((v) => (typeof v === 'string' ? `"${v}"` : String(v))).join(', ');
}
