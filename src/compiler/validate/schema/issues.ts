/**
 * @module compiler/validate/schema/issues
 * Turns zod issues into Diagnostics: unknown keys → QB_VALIDATE_UNKNOWN_OPTION (one per key,
 * with the nearest valid key as hint), missing values → QB_VALIDATE_MISSING_OPTION, anything
 * else → QB_VALIDATE_INVALID_OPTION saying what was expected. Unions report the branch whose
 * type matched, or every type they accept.
 */
import type * as z from 'zod';
import type { Diagnostic } from '../../../shared/diagnostics.js';
import { describeValue, didYouMean, quoteList, valueAt } from '../util.js';
import type { IssueParams } from './access.js';
import { nearest } from '../../../dsl/kind.js';
import { allKeys, keysAt } from './keys.js';

type Issue = z.core.$ZodIssue;
type Path = readonly PropertyKey[];

export interface IssueTarget {
  schema: z.core.$ZodType;
  data: unknown;
  file: string;
  /** The dotted `at` of a zod path (undefined for the root). */
  at(path: Path): string | undefined;
  /** What the root value is called in messages, e.g. "The config". */
  rootLabel: string;
  /** Other schemas an unknown key may belong to (`generateId` written in a feature): where to look, how to name it. */
  elsewhere?: { schema: z.core.$ZodType; at(path: Path): string | undefined; file: string }[];
}

const EXPECTED: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  int: 'an integer',
  boolean: 'true or false',
  object: 'an object',
  array: 'a list',
  function: 'a function',
  record: 'an object',
  literal: 'a literal',
  undefined: 'nothing',
};

function typeMismatch(issue: Issue): boolean {
  return issue.path.length === 0 && (issue.code === 'invalid_type' || issue.code === 'invalid_value');
}

/** What the root issues of a union's branches accept: `a string, true or false or "x"`. */
function expectations(branches: readonly (readonly Issue[])[]): string[] {
  const out: string[] = [];
  for (const issue of branches.flat().filter(typeMismatch)) {
    if (issue.code === 'invalid_type') out.push(EXPECTED[issue.expected] ?? issue.expected);
    if (issue.code === 'invalid_value') out.push(`one of ${quoteList(issue.values)}`);
  }
  return [...new Set(out)];
}

function make(target: IssueTarget, path: Path, code: Diagnostic['code'], message: string, hint?: string): Diagnostic {
  const at = target.at(path);
  return { code, severity: 'error', message, file: target.file, ...(at ? { at } : {}), ...(hint ? { hint } : {}) };
}

function subject(target: IssueTarget, path: Path): string {
  const at = target.at(path);
  return at ? `\`${at}\`` : target.rootLabel;
}

/** Common short spellings of option names (`eq` for `equals`), tried before edit distance. */
const ALIASES: Record<string, string> = {
  eq: 'equals',
  ne: 'notEquals',
  neq: 'notEquals',
  nin: 'notIn',
  lt: 'lessThan',
  gt: 'greaterThan',
  lte: 'lessThanOrEqual',
  gte: 'greaterThanOrEqual',
};

/** The nearest option of the same name at another level or in another file, as a hint. */
function misplacedHint(key: string, target: IssueTarget, here: string | undefined): string | undefined {
  if (key.length < 5) return undefined; // short keys match too many unrelated options
  for (const other of target.elsewhere ?? []) {
    const found = allKeys(other.schema);
    const guess = nearest(key, found.map((f) => f.key));
    const place = found.find((f) => f.key === guess);
    if (guess === undefined || place === undefined) continue;
    const owner = other.at(place.path);
    return `Did you mean "${guess}"? It is an option of \`${owner ?? other.file}\`${
      other.file !== target.file ? ` in ${other.file}` : ''
    }, not of \`${here ?? target.rootLabel}\`.`;
  }
  return undefined;
}

function keyHint(
  key: string,
  valid: readonly string[],
  target: IssueTarget,
  here: string | undefined,
): string | undefined {
  const alias = ALIASES[key];
  if (alias !== undefined && valid.includes(alias)) return `Did you mean "${alias}"?`;
  if (nearest(key, valid) === undefined)
    return misplacedHint(key, target, here) ?? didYouMean(key, valid, 'Valid options');
  return didYouMean(key, valid, 'Valid options');
}

function unknownKeys(
  issue: Extract<Issue, { code: 'unrecognized_keys' }>,
  target: IssueTarget,
  path: Path,
): Diagnostic[] {
  const valid = keysAt(target.schema, path);
  const where = target.at(path);
  return issue.keys.map((key) =>
    make(
      target,
      [...path, key],
      'QB_VALIDATE_UNKNOWN_OPTION',
      `Unknown option \`${key}\`${where ? ` in \`${where}\`` : ''}`,
      keyHint(key, valid, target, where),
    )
  );
}

function union(issue: Extract<Issue, { code: 'invalid_union' }>, target: IssueTarget, path: Path): Diagnostic[] {
  const matching = issue.errors.filter((branch) => branch.length > 0 && !branch.some(typeMismatch));
  if (matching.length > 0) {
    const best = matching.reduce((a, b) => (b.length < a.length ? b : a));
    return issuesToDiagnostics(best, target, path);
  }
  const value = valueAt(target.data, path);
  if (value === undefined)
    return [make(target, path, 'QB_VALIDATE_MISSING_OPTION', `${subject(target, path)} is required`)];
  return [
    make(
      target,
      path,
      'QB_VALIDATE_INVALID_OPTION',
      `${subject(target, path)} must be ${expectations(issue.errors).join(' or ')}, got ${describeValue(value)}`,
    ),
  ];
}

function bounds(issue: Extract<Issue, { code: 'too_small' | 'too_big' }>): string {
  const small = issue.code === 'too_small';
  const bound = String(small ? (issue as { minimum: unknown }).minimum : (issue as { maximum: unknown }).maximum);
  const relation = small ? (issue.inclusive ? 'at least' : 'more than') : issue.inclusive ? 'at most' : 'less than';
  if (issue.origin === 'array') return `must have ${relation} ${bound} item(s)`;
  if (issue.origin === 'string') return `must be ${relation} ${bound} character(s) long`;
  return `must be ${relation} ${bound}`;
}

function single(issue: Issue, target: IssueTarget, path: Path): Diagnostic {
  const value = valueAt(target.data, path);
  const what = subject(target, path);
  switch (issue.code) {
    case 'invalid_type':
      if (value === undefined) return make(target, path, 'QB_VALIDATE_MISSING_OPTION', `${what} is required`);
      return make(
        target,
        path,
        'QB_VALIDATE_INVALID_OPTION',
        `${what} must be ${EXPECTED[issue.expected] ?? issue.expected}, got ${describeValue(value)}`,
      );
    case 'invalid_value': {
      const strings = issue.values.filter((v): v is string => typeof v === 'string');
      const hint = typeof value === 'string' ? didYouMean(value, strings) : undefined;
      return make(
        target,
        path,
        'QB_VALIDATE_INVALID_OPTION',
        `${what} must be one of ${quoteList(issue.values)}, got ${describeValue(value)}`,
        hint,
      );
    }
    case 'too_small':
    case 'too_big':
      return make(target, path, 'QB_VALIDATE_INVALID_OPTION', `${what} ${bounds(issue)}, got ${describeValue(value)}`);
    case 'custom': {
      const params = (issue.params ?? {}) as IssueParams;
      return make(
        target,
        path,
        params.qbCode ?? 'QB_VALIDATE_INVALID_OPTION',
        `${what}: ${issue.message}`,
        params.hint,
      );
    }
    default:
      return make(target, path, 'QB_VALIDATE_INVALID_OPTION', `${what}: ${issue.message}`);
  }
}

/** Diagnostics for zod issues, with issue paths taken relative to `prefix`. */
export function issuesToDiagnostics(issues: readonly Issue[], target: IssueTarget, prefix: Path = []): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const issue of issues) {
    const path = [...prefix, ...issue.path];
    if (issue.code === 'unrecognized_keys') out.push(...unknownKeys(issue, target, path));
    else if (issue.code === 'invalid_union') out.push(...union(issue, target, path));
    else out.push(single(issue, target, path));
  }
  return out;
}
