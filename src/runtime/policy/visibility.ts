/**
 * @module quickback/visibility
 * What one reader may see of a row outside a request (realtime events, webhook payloads): the
 * tenant its firewall scopes it to, and the row as that reader would read it through the API
 * (firewall, read access, masking), or nothing.
 */
import { evaluateAccess } from './access.js';
import type { AppContext } from '../core/context.js';
import { sourceValue } from './firewall.js';
import { maskRow } from './masking.js';
import type { ContextSource, ResourceDefinition } from '../core/resource.js';
import type { Row } from '../core/types.js';

/** A createRealtime() target: an organization id, or any of a scope key, organization and user. */
export type RealtimeTarget = string | { scopeKey?: string; organizationId?: string; userId?: string };

/** The target of a row: the tenant columns its firewall scopes by. Null for tables without a tenant (never pushed). */
export function rowTarget(resource: ResourceDefinition, row: Row): RealtimeTarget | null {
  const value = (source: ContextSource) => {
    const predicate = resource.firewall.predicates.find((p) => 'equals' in p && p.equals === source);
    const v = predicate ? row[predicate.column] : undefined;
    return typeof v === 'string' ? v : undefined;
  };
  const organizationId = value('ctx.activeOrgId');
  const userId = value('ctx.userId');
  return organizationId || userId
    ? { ...(organizationId ? { organizationId } : {}), ...(userId ? { userId } : {}) }
    : null;
}

/** Whether the row is inside this recipient's firewall (deleted rows pass the soft-delete predicate). */
function insideFirewall(resource: ResourceDefinition, ctx: AppContext, row: Row): boolean {
  return resource.firewall.predicates.every((
    p,
  ) => ('isNull' in p ? true : row[p.column] === sourceValue(ctx, p.equals)));
}

/** The row as this reader may see it through the API (firewall, read access, masking), or null. Webhooks use it too. */
export function rowAsSeenBy(resource: ResourceDefinition, ctx: AppContext, row: Row | null): Row | null {
  if (!row || !insideFirewall(resource, ctx, row) || !evaluateAccess(resource.access.read, ctx, row)) return null;
  return maskRow(resource.masking, ctx, row);
}
