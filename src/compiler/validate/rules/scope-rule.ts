/**
 * @module compiler/validate/rules/scope-rule
 * Row isolation. Without `firewall` exactly one isolation column must exist (a `q.scope()`
 * column or organizationId/userId/teamId and synonyms); an explicit firewall must name real
 * columns and context values. Internal tables have no routes and are skipped.
 */
import type { Diagnostic } from '../../../shared/diagnostics.js';
import type { LoadedProject, ResourceInput } from '../../load/types.js';
import { isolationCandidates } from '../../model/firewall.js';
import { publicResources, resourceConfig, resourceError } from '../project.js';
import { checkNamedFirewall, checkPredicates, SCOPE_OF_SOURCE } from './firewall-checks.js';

function ambiguityHint(candidates: { column: string; source: string }[]): string {
  const named = new Map<string, string>();
  for (const c of candidates) if (!named.has(SCOPE_OF_SOURCE[c.source])) named.set(SCOPE_OF_SOURCE[c.source], c.column);
  const body = [...named].map(([scope, column]) => `${scope}: { column: "${column}" }`).join(', ');
  return `Declare the firewall explicitly, e.g. firewall: { ${body} } (or the predicate form [{ field: "${
    candidates[0].column
  }", equals: "${candidates[0].source}" }]).`;
}

function autoScope(resource: ResourceInput): Diagnostic[] {
  const candidates = isolationCandidates(resource.columns ?? {});
  if (candidates.length > 1) {
    return [
      resourceError(
        resource,
        'QB_VALIDATE_AMBIGUOUS_SCOPE',
        `"${resource.name}" has more than one isolation column (${
          candidates.map((c) => c.column).join(', ')
        }) and no firewall`,
        ['columns'],
        ambiguityHint(candidates),
      ),
    ];
  }
  if (candidates.length === 0) {
    return [
      resourceError(
        resource,
        'QB_VALIDATE_INVALID_FIREWALL',
        `"${resource.name}" has no isolation column and no firewall, so its rows would be visible to everyone`,
        ['firewall'],
        'Add organizationId: q.scope("organization") (or ownerId: q.scope("owner")), or declare firewall: { exception: true } for a public table.',
      ),
    ];
  }
  return [];
}

function checkResource(resource: ResourceInput): Diagnostic[] {
  const firewall = resourceConfig(resource).firewall;
  if (firewall === undefined) return autoScope(resource);
  if (Array.isArray(firewall)) return checkPredicates(resource, firewall);
  return checkNamedFirewall(resource, firewall);
}

export function scopeRule(project: LoadedProject): Diagnostic[] {
  return publicResources(project).flatMap(checkResource);
}
