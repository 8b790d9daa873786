/**
 * @module compiler/validate/rules/id-column-rule
 * A table has one primary key: at most one `q.id()` column. Without one the compiler adds `id`,
 * so a column named `id` of another type would clash with it.
 */
import type { Diagnostic } from '../../../shared/diagnostics.js';
import type { LoadedProject, ResourceInput } from '../../load/types.js';
import { resourceError } from '../project.js';

function checkResource(resource: ResourceInput): Diagnostic[] {
  const columns = Object.entries(resource.columns ?? {});
  const ids = columns.filter(([, spec]) => spec?.type === 'id').map(([key]) => key);
  if (ids.length > 1) {
    return [
      resourceError(
        resource,
        'QB_VALIDATE_INVALID_OPTION',
        `"${resource.name}" has more than one id column (${ids.join(', ')}); a table has one primary key`,
        ['columns'],
        `Keep ${ids[0]}: q.id() and make the others q.text().unique() or references.`,
      ),
    ];
  }
  const id = resource.columns?.id;
  if (ids.length === 0 && id !== undefined && resource.form !== 'drizzle') {
    return [
      resourceError(
        resource,
        'QB_VALIDATE_INVALID_OPTION',
        `Column "id" is ${id.type}, but "id" is the primary key the compiler adds when no q.id() column exists`,
        ['columns', 'id'],
        'Declare it as id: q.id(), or rename the column.',
      ),
    ];
  }
  return [];
}

export function idColumnRule(project: LoadedProject): Diagnostic[] {
  return project.resources.flatMap(checkResource);
}
