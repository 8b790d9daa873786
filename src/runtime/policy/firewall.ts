/**
 * @module quickback/firewall
 * Row isolation: the predicate ANDed into every read, update and delete, and the scope values
 * stamped on insert. Values always come from the request context, never from the body.
 */
import { and, eq, getTableColumns, isNull, type Column, type SQL } from 'drizzle-orm';
import type { AppContext } from '../core/context.js';
import { apiError, type ApiError } from '../core/errors.js';
import type { ContextSource, ResourceDefinition } from '../core/resource.js';

export function columnOf(resource: ResourceDefinition, key: string): Column | undefined {
  return (getTableColumns(resource.table) as Record<string, Column>)[key];
}

export function sourceValue(ctx: AppContext, source: ContextSource): string | null {
  return source === 'ctx.activeOrgId' ? ctx.activeOrgId : source === 'ctx.userId' ? ctx.userId : ctx.activeTeamId;
}

/**
 * Fails before any query when the context lacks what the firewall needs. `signIn` is the error
 * for a caller who is not signed in (routes pass the auth chain's: expired or refused tokens).
 */
export function requireScope(
  resource: ResourceDefinition,
  ctx: AppContext,
  signIn: () => ApiError = () => apiError('AUTH_MISSING', { hint: 'Sign in first: POST /auth/v1/sign-in/email' }),
): void {
  for (const predicate of resource.firewall.predicates) {
    if (!('equals' in predicate) || sourceValue(ctx, predicate.equals) !== null) continue;
    if (predicate.equals === 'ctx.activeOrgId') {
      throw apiError('ORG_REQUIRED', {
        hint: ctx.authenticated
          ? 'Set an active organization: POST /auth/v1/organization/set-active { "organizationId": "..." }, or add ?organizationId=<id> of an organization you belong to. No organization yet? Create one first: POST /auth/v1/organization/create { "name": "...", "slug": "..." }.'
          : 'Add ?organizationId=<id> to address an organization.',
      });
    }
    if (predicate.equals === 'ctx.activeTeamId' && ctx.authenticated) {
      throw apiError('TEAM_REQUIRED', {
        hint: 'Set an active team of your organization: POST /auth/v1/organization/set-active-team { "teamId": "..." }',
      });
    }
    throw signIn();
  }
}

/** The firewall WHERE clause for this caller (undefined when the table is public). */
export function firewallWhere(resource: ResourceDefinition, ctx: AppContext): SQL | undefined {
  requireScope(resource, ctx);
  const parts: SQL[] = [];
  for (const predicate of resource.firewall.predicates) {
    const column = columnOf(resource, predicate.column);
    if (!column) throw new Error(`firewall column ${predicate.column} missing on ${resource.name}`);
    parts.push('isNull' in predicate ? isNull(column) : eq(column, sourceValue(ctx, predicate.equals)!));
  }
  return parts.length === 0 ? undefined : and(...parts);
}

/** Scope columns for a new row, from the context. */
export function scopeValues(resource: ResourceDefinition, ctx: AppContext): Record<string, string> {
  const values: Record<string, string> = {};
  for (const predicate of resource.firewall.predicates) {
    if ('equals' in predicate) values[predicate.column] = sourceValue(ctx, predicate.equals)!;
  }
  return values;
}

/** The answer for "no such row in your scope": identical for a foreign id and a missing one. */
export function notFound(resource: ResourceDefinition) {
  return resource.firewall.errorMode === 'hide'
    ? apiError('NOT_FOUND')
    : apiError('FIREWALL_NOT_FOUND', { hint: `No ${resource.name} record with this id is visible to you.` });
}
