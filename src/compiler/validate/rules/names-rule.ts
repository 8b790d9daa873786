/**
 * @module compiler/validate/rules/names-rule
 * Feature and column names become identifiers, SQL names and URL segments, so they must match
 * /^[A-Za-z][A-Za-z0-9_]*$/.
 */
import type { Diagnostic } from '../../../shared/diagnostics.js';
import type { LoadedProject, ResourceInput } from '../../load/types.js';
import { resourceError } from '../project.js';

export const NAME_PATTERN = /^[A-Za-z][A-Za-z0-9_]*$/;

/** `my-tickets` → `my_tickets`, `2fa` → `n2fa`: a valid name to suggest. */
function suggestion(name: string): string {
  const cleaned = name.replace(/[^A-Za-z0-9_]+/g, '_').replace(/^_+|_+$/g, '');
  if (cleaned === '') return 'items';
  return /^[A-Za-z]/.test(cleaned) ? cleaned : `n${cleaned}`;
}

function checkResource(resource: ResourceInput): Diagnostic[] {
  const out: Diagnostic[] = [];
  if (typeof resource.name !== 'string' || !NAME_PATTERN.test(resource.name)) {
    out.push(resourceError(resource, 'QB_VALIDATE_INVALID_NAME', `Feature name "${String(resource.name)}" is not a valid name (letters, digits and _, starting with a letter)`, [],
      `Try "${suggestion(String(resource.name))}".`));
  }
  for (const key of Object.keys(resource.columns ?? {})) {
    if (NAME_PATTERN.test(key)) continue;
    out.push(resourceError(resource, 'QB_VALIDATE_INVALID_NAME', `Column name "${key}" is not a valid name (letters, digits and _, starting with a letter)`, ['columns', key],
      `Try "${suggestion(key)}".`));
  }
  return out;
}

export function namesRule(project: LoadedProject): Diagnostic[] {
  return project.resources.flatMap(checkResource);
}
