/**
 * @module compiler/validate/rules/column-default-rule
 * Column defaults must fit the column: an enum default is one of its values, the JS type matches
 * the column type, strings and numbers respect the column's bounds, `.defaultNow()` is for
 * timestamp/date columns only, and scope columns (stamped from the request) have no default.
 */
import type { ColumnSpec } from '../../../dsl/columns/spec.js';
import type { Diagnostic } from '../../../shared/diagnostics.js';
import type { LoadedProject, ResourceInput } from '../../load/types.js';
import { resourceError } from '../project.js';
import { describeValue, quoteList } from '../util.js';

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const ISO_DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/;

/** What the default of a column type must be, or undefined when `value` fits. */
function typeProblem(spec: ColumnSpec, value: unknown, epochMs: boolean): string | undefined {
  switch (spec.type) {
    case 'text':
    case 'url':
    case 'email':
    case 'id':
    case 'scope':
      return typeof value === 'string' ? undefined : 'a string';
    case 'integer':
      return Number.isInteger(value) ? undefined : 'an integer';
    case 'number':
      return typeof value === 'number' && Number.isFinite(value) ? undefined : 'a number';
    case 'boolean':
      return typeof value === 'boolean' ? undefined : 'true or false';
    case 'timestamp':
      if (epochMs && Number.isInteger(value)) return undefined;
      return typeof value === 'string' && ISO_DATETIME.test(value) && !Number.isNaN(Date.parse(value))
        ? undefined
        : 'an ISO-8601 date-time string such as "2026-05-13T10:00:00.000Z"';
    case 'date':
      return typeof value === 'string' && ISO_DATE.test(value) && !Number.isNaN(Date.parse(value))
        ? undefined
        : 'an ISO date string such as "2026-05-13"';
    case 'enum':
      return typeof value === 'string' && (spec.enumValues ?? []).includes(value)
        ? undefined
        : `one of ${quoteList(spec.enumValues ?? [])}`;
    default:
      return undefined;
  }
}

function boundsProblem(spec: ColumnSpec, value: unknown): string | undefined {
  if (typeof value === 'string') {
    if (spec.minLength !== undefined && value.length < spec.minLength)
      return `is shorter than minLength ${spec.minLength}`;
    if (spec.maxLength !== undefined && value.length > spec.maxLength)
      return `is longer than maxLength ${spec.maxLength}`;
  }
  if (typeof value === 'number') {
    if (spec.min !== undefined && value < spec.min) return `is below min ${spec.min}`;
    if (spec.max !== undefined && value > spec.max) return `is above max ${spec.max}`;
  }
  return undefined;
}

function columnProblems(resource: ResourceInput, key: string, spec: ColumnSpec): Diagnostic[] {
  const fail = (message: string, hint?: string) =>
    resourceError(resource, 'QB_VALIDATE_INVALID_OPTION', message, ['columns', key], hint);
  const out: Diagnostic[] = [];
  if (spec.defaultNow && spec.type !== 'timestamp' && spec.type !== 'date')
    out.push(
      fail(
        `Column "${key}" is ${spec.type}; .defaultNow() is only for timestamp and date columns`,
        'Use q.timestamp().defaultNow() or a literal .default(value).',
      ),
    );
  if (spec.defaultNow && spec.default)
    out.push(fail(`Column "${key}" has both .default() and .defaultNow()`, 'Keep one of them.'));
  if (!spec.default) return out;
  const value = spec.default.value;
  if (spec.type === 'scope')
    return [
      ...out,
      fail(
        `Column "${key}" is a scope column, which is stamped from the request and cannot have a default`,
        'Remove .default(...).',
      ),
    ];
  const epochMs = resource.drizzle?.columns[key]?.storage === 'timestamp_ms';
  const expected = typeProblem(spec, value, epochMs);
  if (expected)
    return [
      ...out,
      fail(`The default of column "${key}" (${spec.type}) must be ${expected}, got ${describeValue(value)}`),
    ];
  const outside = boundsProblem(spec, value);
  if (outside) out.push(fail(`The default of column "${key}" ${outside}`));
  return out;
}

export function columnDefaultRule(project: LoadedProject): Diagnostic[] {
  return project.resources.flatMap((resource) =>
    Object.entries(resource.columns ?? {}).flatMap(([key, spec]) => (spec ? columnProblems(resource, key, spec) : []))
  );
}
