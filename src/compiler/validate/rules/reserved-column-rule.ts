/**
 * @module compiler/validate/rules/reserved-column-rule
 * The audit columns (createdAt, modifiedAt, deletedAt, createdBy, modifiedBy, deletedBy) are
 * added to every feature table automatically, so a feature may not declare them. Drizzle tables
 * keep the user's own columns as-is and may.
 */
import type { Diagnostic } from '../../../shared/diagnostics.js';
import type { LoadedProject, ResourceInput } from '../../load/types.js';
import { AUDIT_COLUMNS, resourceError } from '../project.js';

function checkResource(resource: ResourceInput): Diagnostic[] {
  if (resource.form === 'drizzle') return [];
  return Object.keys(resource.columns ?? {})
    .filter((key) => AUDIT_COLUMNS.includes(key))
    .map((key) =>
      resourceError(
        resource,
        'QB_VALIDATE_RESERVED_COLUMN',
        `Column "${key}" is reserved: every feature gets ${AUDIT_COLUMNS.join(', ')} automatically`,
        ['columns', key],
        `Remove "${key}" from columns; it is added and stamped for you.`,
      )
    );
}

export function reservedColumnRule(project: LoadedProject): Diagnostic[] {
  return project.resources.flatMap(checkResource);
}
