/**
 * @module compiler/validate/rules/column-bounds-rule
 * Column bounds: `minLength`/`maxLength` are non-negative integers, `min`/`max` finite numbers
 * (integers on integer columns), and each lower bound is at most its upper bound.
 */
import type { ColumnSpec } from '../../../dsl/columns/spec.js';
import type { Diagnostic } from '../../../shared/diagnostics.js';
import type { LoadedProject, ResourceInput } from '../../load/types.js';
import { resourceError } from '../project.js';
import { describeValue } from '../util.js';

type Bound = 'minLength' | 'maxLength' | 'min' | 'max';

function boundProblem(spec: ColumnSpec, bound: Bound): string | undefined {
  const value = spec[bound];
  if (value === undefined) return undefined;
  if (bound === 'minLength' || bound === 'maxLength') {
    return Number.isInteger(value) && value >= 0
      ? undefined
      : `${bound} must be a non-negative integer, got ${describeValue(value)}`;
  }
  if (spec.type === 'integer')
    return Number.isInteger(value)
      ? undefined
      : `${bound} must be an integer on an integer column, got ${describeValue(value)}`;
  return typeof value === 'number' && Number.isFinite(value)
    ? undefined
    : `${bound} must be a finite number, got ${describeValue(value)}`;
}

function columnProblems(resource: ResourceInput, key: string, spec: ColumnSpec): Diagnostic[] {
  const problems = (['minLength', 'maxLength', 'min', 'max'] as const).map((b) => boundProblem(spec, b)).filter((
    p,
  ): p is string => p !== undefined);
  const ordered = (low: Bound, high: Bound) => {
    const a = spec[low];
    const b = spec[high];
    if (typeof a === 'number' && typeof b === 'number' && a > b)
      problems.push(`${low} (${a}) is greater than ${high} (${b})`);
  };
  ordered('minLength', 'maxLength');
  ordered('min', 'max');
  return problems.map((p) =>
    resourceError(resource, 'QB_VALIDATE_INVALID_OPTION', `Column "${key}": ${p}`, ['columns', key])
  );
}

export function columnBoundsRule(project: LoadedProject): Diagnostic[] {
  return project.resources.flatMap((resource) =>
    Object.entries(resource.columns ?? {}).flatMap(([key, spec]) => (spec ? columnProblems(resource, key, spec) : []))
  );
}
