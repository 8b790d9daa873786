/**
 * @module quickback/realtime-scope
 * Relationship-scoped tickets (seed 000 `realtime.wsTicket` with `authz.roles`): a caller posts
 * `{ <requestField>: <id> }` to /broadcast/v1/ws-ticket and gets a ticket for the channel
 * `scope:<scopeTable>:<id>` when a row of the relationship table links them to that row (the
 * relationship proves access; 403 ACCESS_ROLE_REQUIRED otherwise, 404 when the row does not
 * exist). On that channel they hold only the relationship role, in the scope row's organization,
 * so every event is still shaped by read access (which may name the role), masking and fields.
 * Writes of the scope table and of tables referencing it are published to the row's channel too.
 */
import { and, eq, isNull, type SQL } from 'drizzle-orm';
import type { Context } from 'hono';
import type { AppContext } from './context.js';
import { apiError } from './errors.js';
import { assertStorable } from './text-input.js';
import { columnOf } from './firewall.js';
import { rowTarget, type Row } from './realtime.js';
import type { ResourceDefinition } from './resource.js';
import type { QueryDatabase } from './types.js';

export interface ScopeTickets {
  role: string;
  requestField: string;
  scope: ResourceDefinition;
  via: ResourceDefinition;
  scopeColumn: string;
  userColumn: string;
  /** Tables whose rows belong to a scope row, and the column holding its id. */
  links: readonly { resource: string; column: string }[];
  db(c: Context): QueryDatabase;
}

const live = (resource: ResourceDefinition): SQL[] => (resource.deleteMode === 'soft' ? [isNull(columnOf(resource, resource.audit.deletedAt)!)] : []);

async function bodyOf(c: Context): Promise<Record<string, unknown>> {
  const text = await c.req.text();
  if (text.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw apiError('INVALID_JSON', { hint: 'Send a JSON object, or no body for a ticket of your organization.' });
  assertStorable(parsed);
  return parsed as Record<string, unknown>;
}

/** The scope ticket the body asks for, or null when it names no scope row. */
export async function scopeTicket(c: Context, scope: ScopeTickets, ctx: AppContext): Promise<{ channel: string; ctx: AppContext } | null> {
  const id = (await bodyOf(c))[scope.requestField];
  if (id === undefined) return null;
  if (typeof id !== 'string' || id === '' || id.length > 255) throw apiError('VALIDATION_FAILED', { details: { fields: { [scope.requestField]: 'Must be the id of a row' } } });
  const db = scope.db(c);
  const relation = await db.select({ id: columnOf(scope.via, scope.via.id.key)! }).from(scope.via.table)
    .where(and(eq(columnOf(scope.via, scope.scopeColumn)!, id), eq(columnOf(scope.via, scope.userColumn)!, ctx.userId!), ...live(scope.via))).limit(1);
  if (relation.length === 0) throw apiError('ACCESS_ROLE_REQUIRED', { details: { required: [scope.role] }, hint: `Only callers linked to this ${scope.scope.name} row (${scope.via.name}) get its ticket.` });
  const [row] = (await db.select().from(scope.scope.table).where(and(eq(columnOf(scope.scope, scope.scope.id.key)!, id), ...live(scope.scope))).limit(1)) as Row[];
  if (!row) throw apiError('NOT_FOUND', { message: `No such ${scope.scope.name}` });
  const target = rowTarget(scope.scope, row);
  const organization = target && typeof target === 'object' ? target.organizationId ?? null : null;
  return { channel: `scope:${scope.scope.name}:${id}`, ctx: { ...ctx, activeOrgId: organization, activeTeamId: null, roles: [scope.role] } };
}

/** Re-check of an open socket (realtime-live.ts): whether a relationship row still links the user to the channel's scope row. */
export async function scopeStillLinked(scope: ScopeTickets, db: QueryDatabase, userId: string, channel: string): Promise<boolean> {
  const prefix = `scope:${scope.scope.name}:`;
  if (!channel.startsWith(prefix)) return false;
  const relation = await db.select({ id: columnOf(scope.via, scope.via.id.key)! }).from(scope.via.table)
    .where(and(eq(columnOf(scope.via, scope.scopeColumn)!, channel.slice(prefix.length)), eq(columnOf(scope.via, scope.userColumn)!, userId), ...live(scope.via))).limit(1);
  return relation.length > 0;
}

/** The scope channels a row of `resource` belongs to. */
export function scopeChannels(scope: ScopeTickets, resource: string, row: Row): string[] {
  return scope.links.filter((link) => link.resource === resource).flatMap((link) => {
    const value = row[link.column];
    return typeof value === 'string' || typeof value === 'number' ? [`scope:${scope.scope.name}:${value}`] : [];
  });
}
