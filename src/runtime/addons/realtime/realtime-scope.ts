/**
 * @module quickback/realtime-scope
 * Relationship-scoped tickets (seed 000 `realtime.wsTicket` with `authz.roles`): a caller posts
 * `{ <requestField>: <id> }` to /broadcast/v1/ws-ticket and gets a ticket for the channel
 * `scope:<scopeTable>:<id>` when a row of the relationship table links them to that row (the
 * relationship proves access; 403 ACCESS_ROLE_REQUIRED otherwise, 404 when the row does not
 * exist). The relationship row counts only inside its own firewall as seen from the scope row's
 * organization: a row another tenant wrote (its organization column naming that tenant) proves
 * nothing, and where the relationship table has no organization column the caller must be a
 * member of the scope row's organization. On that channel they hold only the relationship role,
 * in the scope row's organization, so every event is still shaped by read access (which may name
 * the role), masking and fields.
 * Writes of the scope table and of tables referencing it are published to the row's channel too.
 */
import { and, eq, isNull, type SQL } from 'drizzle-orm';
import type { Context } from 'hono';
import type { AppContext } from '../../core/context.js';
import { apiError } from '../../core/errors.js';
import { assertStorable } from '../../core/text-input.js';
import { columnOf, firewallWhere } from '../../policy/firewall.js';
import { rowTarget, type Row } from './realtime.js';
import type { ResourceDefinition } from '../../core/resource.js';
import type { MemberRoles, QueryDatabase } from '../../core/types.js';

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
  /** The membership lookup the API uses (a relationship table without an organization column needs it). */
  memberRoles?(c: Context): MemberRoles | undefined;
}

const live = (
  resource: ResourceDefinition,
): SQL[] => (resource.deleteMode === 'soft' ? [isNull(columnOf(resource, resource.audit.deletedAt)!)] : []);

async function bodyOf(c: Context): Promise<Record<string, unknown>> {
  const text = await c.req.text();
  if (text.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw apiError('INVALID_JSON', { hint: 'Send a JSON object, or no body for a ticket of your organization.' });
  assertStorable(parsed);
  return parsed as Record<string, unknown>;
}

/** A relationship proven: the scope row's organization; or refused (403), or the scope row is gone (404). */
export type ScopeProof = { organization: string | null } | 'refused' | 'missing';

/**
 * Whether the caller of `ctx` holds the relationship role on scope row `id`: a row of the `via`
 * table links them to it, visible through that table's firewall for the caller in the scope row's
 * organization (so its organization is the scope row's, and it is not soft-deleted); without an
 * organization column there, the caller's membership of that organization stands in for it.
 */
export async function proveScope(
  scope: ScopeTickets,
  db: QueryDatabase,
  memberRoles: MemberRoles | undefined,
  ctx: AppContext,
  id: string,
): Promise<ScopeProof> {
  const links = (fence: SQL[]) =>
    db.select({ id: columnOf(scope.via, scope.via.id.key)! }).from(scope.via.table)
      .where(
        and(
          eq(columnOf(scope.via, scope.scopeColumn)!, id),
          eq(columnOf(scope.via, scope.userColumn)!, ctx.userId!),
          ...fence,
        ),
      ).limit(1) as Promise<Row[]>;
  const [row] =
    (await db.select().from(scope.scope.table).where(eq(columnOf(scope.scope, scope.scope.id.key)!, id)).limit(
      1,
    )) as Row[];
  if (!row) return (await links(live(scope.via))).length > 0 ? 'missing' : 'refused';
  const target = rowTarget(scope.scope, row);
  const organization = target && typeof target === 'object' ? target.organizationId ?? null : null;
  const inOrganization: AppContext = {
    ...ctx,
    activeOrgId: organization,
    activeTeamId: organization !== null && ctx.activeOrgId === organization ? ctx.activeTeamId : null,
  };
  const vouched = scope.via.firewall.predicates.some((p) => 'equals' in p && p.equals === 'ctx.activeOrgId');
  if (!vouched && organization !== null && !(await memberRoles?.(organization, ctx.userId!))) return 'refused';
  let fence: SQL | undefined;
  try {
    fence = firewallWhere(scope.via, inOrganization);
  } catch {
    return 'refused'; // the firewall needs what this caller lacks there (e.g. an active team)
  }
  if ((await links(fence ? [fence] : [])).length === 0) return 'refused';
  const deleted = scope.scope.firewall.predicates.some((p) =>
    'isNull' in p && row[p.column] !== null && row[p.column] !== undefined
  );
  return deleted ? 'missing' : { organization };
}

/** The scope ticket the body asks for, or null when it names no scope row. */
export async function scopeTicket(
  c: Context,
  scope: ScopeTickets,
  ctx: AppContext,
): Promise<{ channel: string; ctx: AppContext } | null> {
  const id = (await bodyOf(c))[scope.requestField];
  if (id === undefined) return null;
  if (typeof id !== 'string' || id === '' || id.length > 255)
    throw apiError('VALIDATION_FAILED', { details: { fields: { [scope.requestField]: 'Must be the id of a row' } } });
  const proof = await proveScope(scope, scope.db(c), scope.memberRoles?.(c), ctx, id);
  if (proof === 'refused')
    throw apiError('ACCESS_ROLE_REQUIRED', {
      details: { required: [scope.role] },
      hint: `Only callers linked to this ${scope.scope.name} row (${scope.via.name}) get its ticket.`,
    });
  if (proof === 'missing') throw apiError('NOT_FOUND', { message: `No such ${scope.scope.name}` });
  return {
    channel: `scope:${scope.scope.name}:${id}`,
    ctx: { ...ctx, activeOrgId: proof.organization, activeTeamId: null, roles: [scope.role] },
  };
}

/** Re-check of an open socket (realtime-live.ts): whether the relationship still proves the channel's scope row (proveScope). */
export async function scopeStillLinked(
  scope: ScopeTickets,
  db: QueryDatabase,
  memberRoles: MemberRoles | undefined,
  ctx: AppContext,
  channel: string,
): Promise<boolean> {
  const prefix = `scope:${scope.scope.name}:`;
  if (!channel.startsWith(prefix) || !ctx.userId) return false;
  const proof = await proveScope(scope, db, memberRoles, ctx, channel.slice(prefix.length));
  return typeof proof === 'object';
}

/** The scope channels a row of `resource` belongs to. */
export function scopeChannels(scope: ScopeTickets, resource: string, row: Row): string[] {
  return scope.links.filter((link) => link.resource === resource).flatMap((link) => {
    const value = row[link.column];
    return typeof value === 'string' || typeof value === 'number' ? [`scope:${scope.scope.name}:${value}`] : [];
  });
}
