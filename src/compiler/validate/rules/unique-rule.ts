/**
 * @module compiler/validate/rules/unique-rule
 * Composite unique constraints (`unique: [{ columns: [...] }]`) name columns of the feature.
 */
import type { Diagnostic } from '../../../shared/diagnostics.js';
import type { LoadedProject, ResourceInput } from '../../load/types.js';
import { knownColumns, resourceConfig, resourceError } from '../project.js';
import { didYouMean, isRecord } from '../util.js';

function checkResource(resource: ResourceInput): Diagnostic[] {
  const unique = resourceConfig(resource).unique;
  if (!Array.isArray(unique)) return [];
  const columns = knownColumns(resource);
  const out: Diagnostic[] = [];
  unique.forEach((entry, i) => {
    if (!isRecord(entry) || !Array.isArray(entry.columns)) return;
    entry.columns.forEach((column, j) => {
      if (typeof column !== 'string' || columns.includes(column)) return;
      out.push(
        resourceError(
          resource,
          'QB_VALIDATE_UNKNOWN_COLUMN',
          `unique names column "${column}", which "${resource.name}" does not have`,
          ['unique', i, 'columns', j],
          didYouMean(column, columns, 'Columns'),
        ),
      );
    });
  });
  return out;
}

export function uniqueRule(project: LoadedProject): Diagnostic[] {
  return project.resources.flatMap(checkResource);
}
