/**
 * @module compiler/validate/rules/reference-rule
 * `.references("customers")` / `.references("customers.code")` must name an existing feature
 * (and one of its columns). Thunk targets (`() => table.id`) are resolved by load and skipped.
 */
import type { Diagnostic } from '../../../shared/diagnostics.js';
import type { LoadedProject, ResourceInput } from '../../load/types.js';
import { declaredColumns, resourceError } from '../project.js';
import { didYouMean } from '../util.js';

function checkTarget(
  resource: ResourceInput,
  key: string,
  target: string,
  byName: Map<string, ResourceInput>,
): Diagnostic | undefined {
  const parts = target.split('.');
  const fail = (message: string, hint?: string) =>
    resourceError(resource, 'QB_VALIDATE_UNKNOWN_REFERENCE', message, ['columns', key], hint);
  if (parts.length > 2 || parts.some((p) => p === ''))
    return fail(
      `Column "${key}" references "${target}", which is not "feature" or "feature.column"`,
      'Example: .references("customers") or .references("customers.code")',
    );
  const [name, column] = parts;
  const referenced = byName.get(name);
  if (!referenced)
    return fail(
      `Column "${key}" references feature "${name}", which does not exist`,
      didYouMean(name, [...byName.keys()].sort(), 'Features'),
    );
  const columns = declaredColumns(referenced);
  if (column !== undefined && !columns.includes(column)) {
    return fail(
      `Column "${key}" references "${target}", but "${name}" has no column "${column}"`,
      didYouMean(column, columns, `Columns of ${name}`),
    );
  }
  return undefined;
}

export function referenceRule(project: LoadedProject): Diagnostic[] {
  const byName = new Map(project.resources.map((r) => [r.name, r]));
  const out: Diagnostic[] = [];
  for (const resource of project.resources) {
    for (const [key, spec] of Object.entries(resource.columns ?? {})) {
      const target = spec?.references?.target;
      if (typeof target !== 'string') continue;
      const problem = checkTarget(resource, key, target, byName);
      if (problem) out.push(problem);
    }
  }
  return out;
}
