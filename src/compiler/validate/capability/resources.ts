/**
 * @module compiler/validate/capability/resources
 * NOT_SUPPORTED checks inside resources and action files: resource keys that are not built
 * (realtime, embeddings, ...), `crud` toggles and function-form access.
 */
import { nearest } from '../../../dsl/kind.js';
import type { Diagnostic } from '../../../shared/diagnostics.js';
import type { LoadedProject, ResourceInput } from '../../load/types.js';
import { crudToggleCapabilities, featureCapabilities, notSupported, resourceCapabilities } from '../capabilities.js';
import { resourceConfig, resourceError } from '../project.js';
import { entriesOf, valueAtDotted } from '../util.js';
import { EDITION } from './providers.js';

const OPERATIONS = ['create', 'update', 'delete'] as const;
const LEGACY_CRUD: Record<string, string> = {
  list: 'read: { access }',
  get: 'read: { access } (GET /:id uses read.access)',
};

function keyDiagnostics(resource: ResourceInput, config: Record<string, unknown>): Diagnostic[] {
  return resourceCapabilities
    .filter((entry) => !entry.built && valueAtDotted(config, entry.path) !== undefined)
    .map((entry) =>
      resourceError(
        resource,
        'QB_VALIDATE_NOT_SUPPORTED',
        notSupported(entry.what, EDITION),
        entry.path.split('.'),
        entry.hint ?? `Remove \`${entry.path}\` for now.`,
      )
    );
}

/** `crud` keys besides create/update/delete: a typo of one of them, or a toggle not built yet. */
function crudDiagnostics(resource: ResourceInput, crud: unknown): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const [key, value] of entriesOf(crud)) {
    if ((OPERATIONS as readonly string[]).includes(key) || value === undefined) continue;
    const typo = key in crudToggleCapabilities ? undefined : nearest(key, OPERATIONS);
    if (typo) {
      out.push(
        resourceError(
          resource,
          'QB_VALIDATE_UNKNOWN_OPTION',
          `Unknown option \`${key}\` in \`crud\``,
          ['crud', key],
          `Did you mean "${typo}"?`,
        ),
      );
    } else if (crudToggleCapabilities[key] !== true) {
      const hint = LEGACY_CRUD[key]
        ? `crud.${key} was replaced by ${LEGACY_CRUD[key]}.`
        : `CRUD operations built today: ${OPERATIONS.join(', ')}.`;
      out.push(
        resourceError(
          resource,
          'QB_VALIDATE_NOT_SUPPORTED',
          notSupported(`\`crud.${key}\``, EDITION),
          ['crud', key],
          hint,
        ),
      );
    }
  }
  return out;
}

function functionAccessDiagnostics(resource: ResourceInput, config: Record<string, unknown>): Diagnostic[] {
  if (featureCapabilities.functionAccess) return [];
  const places = [['read', 'access'], ...OPERATIONS.flatMap((op) => [['crud', op, 'access'], [op, 'access']])];
  return places
    .filter((path) => typeof valueAtDotted(config, path.join('.')) === 'function')
    .map((path) =>
      resourceError(
        resource,
        'QB_VALIDATE_NOT_SUPPORTED',
        notSupported('Function-form access', EDITION),
        path,
        'Use a rule object: { roles: ["member+"], record: { ownerId: { equals: "$ctx.userId" } } }',
      )
    );
}

export function resourceCapabilityDiagnostics(project: LoadedProject): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const resource of project.resources) {
    const config = resourceConfig(resource);
    out.push(...keyDiagnostics(resource, config), ...crudDiagnostics(resource, config.crud));
    out.push(...functionAccessDiagnostics(resource, config));
  }
  return out;
}
