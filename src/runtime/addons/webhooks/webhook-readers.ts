/**
 * @module quickback/webhook-readers
 * Whom an outbound webhook endpoint reads as (issue #29). An organization's endpoint records roles
 * when it is created: its creator's roles in the organization, or one explicit `role` at or below
 * them in auth.roleHierarchy. Its deliveries carry rows exactly as a caller with those roles in
 * that organization reads them through the API (firewall, read access, masking), so the admin who
 * subscribes never receives more than GET shows that admin. Endpoints saved before roles were
 * recorded read as the least of `webhookAdminRoles`. A personal endpoint reads as its user.
 */
import type { AppContext } from '../../core/context.js';
import { apiError } from '../../core/errors.js';

export interface RoleOptions {
  /** auth.roleHierarchy, lowest to highest. */
  roleHierarchy: readonly string[];
  adminRoles: readonly string[];
}

export interface EndpointOwner {
  organizationId?: unknown;
  userId?: unknown;
  roles?: unknown;
}

const rank = (hierarchy: readonly string[], roles: readonly string[]) =>
  Math.max(-1, ...roles.map((r) => hierarchy.indexOf(r)));

/** The roles an organization's endpoint reads as (recorded, or the least admin role for older rows). */
export function endpointRoles(endpoint: EndpointOwner, options: RoleOptions): string[] {
  if (Array.isArray(endpoint.roles) && endpoint.roles.every((r) => typeof r === 'string')) return [...endpoint.roles];
  const least =
    [...options.adminRoles].sort((a, b) => options.roleHierarchy.indexOf(a) - options.roleHierarchy.indexOf(b))[0];
  return least ? [least] : [];
}

/** Whether a caller holding `held` reads at least as much as `roles` (each held, or at or below the highest held). */
export function covers(held: readonly string[], roles: readonly string[], hierarchy: readonly string[]): boolean {
  const top = rank(hierarchy, held);
  return roles.every((r) => held.includes(r) || (hierarchy.includes(r) && hierarchy.indexOf(r) <= top));
}

/** The roles a new (or re-roled) endpoint records: the caller's, or `requested` if the caller covers it. */
export function chosenRoles(
  held: readonly string[],
  requested: string | undefined,
  hierarchy: readonly string[],
): string[] {
  if (requested === undefined) return [...held];
  if (covers(held, [requested], hierarchy)) return [requested];
  throw apiError('VALIDATION_FAILED', {
    details: {
      fields: {
        role: `Must be one of your roles or below them: ${
          hierarchy.filter((r) => covers(held, [r], hierarchy)).join(', ')
        }`,
      },
    },
  });
}

/** The caller a delivery to this endpoint is shaped for. */
export function readerOf(endpoint: EndpointOwner, options: RoleOptions): AppContext {
  const organizationId = typeof endpoint.organizationId === 'string' ? endpoint.organizationId : null;
  return {
    authenticated: true,
    userId: organizationId ? null : typeof endpoint.userId === 'string' ? endpoint.userId : null,
    userRole: null,
    activeOrgId: organizationId,
    activeTeamId: null,
    roles: organizationId ? endpointRoles(endpoint, options) : [],
    user: null,
  };
}
