/**
 * @module compiler/validate/rules/operation-rule
 * An operation is declared in one form: `crud: { create }` or top-level `create`, never both
 * (the two could disagree on who may write).
 */
import type { Diagnostic } from '../../../shared/diagnostics.js';
import type { LoadedProject, ResourceInput } from '../../load/types.js';
import { resourceConfig, resourceError } from '../project.js';
import { isRecord } from '../util.js';

const OPERATIONS = ['create', 'update', 'delete'] as const;

function checkResource(resource: ResourceInput): Diagnostic[] {
  const config = resourceConfig(resource);
  const crud = isRecord(config.crud) ? config.crud : {};
  return OPERATIONS
    .filter((op) => crud[op] !== undefined && config[op] !== undefined)
    .map((op) =>
      resourceError(
        resource,
        'QB_VALIDATE_INVALID_OPTION',
        `\`${op}\` is declared both in \`crud.${op}\` and at the top level`,
        [op],
        `Pick one form: keep crud.${op} or top-level ${op}, not both.`,
      )
    );
}

export function operationRule(project: LoadedProject): Diagnostic[] {
  return project.resources.flatMap(checkResource);
}
