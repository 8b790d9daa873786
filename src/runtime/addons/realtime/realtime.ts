/**
 * @module quickback/realtime
 * Realtime broadcast (reference §7.1, seed 000 `realtime`): what travels from a write to the
 * sockets, and what each socket may see of it. An event names one channel: `org:<id>`,
 * `user:<id>` or `scope:<key>` (a Durable Object per channel on Workers, a hub entry on Node/Bun),
 * optionally narrowed to one user. Each recipient gets its own copy: a table change reaches a
 * socket only when the row passes that recipient's firewall, its read access (record conditions
 * included) and the table's `requiredRoles`; the row is then masked for the recipient's roles
 * and cut to the table's `fields`. Rows arrive as the API reads them (encrypted columns opened),
 * so what a recipient cannot read through the API it cannot read here either.
 */
import type { AppContext } from '../../core/context.js';
import type { EventType, RealtimeSpec, ResourceDefinition } from '../../core/resource.js';
import { rowAsSeenBy, type RealtimeTarget } from '../../policy/visibility.js';
import type { Row } from '../../core/types.js';

export type { EventType, RealtimeSpec } from '../../core/resource.js';
export { rowAsSeenBy, rowTarget, type RealtimeTarget } from '../../policy/visibility.js';
export type { Row } from '../../core/types.js';

export type RealtimeEvent =
  & { channel: string; userId?: string }
  & (
    | { type: 'postgres_changes'; table: string; eventType: EventType; new: Row | null; old: Row | null }
    | { type: 'broadcast'; event: string; payload: unknown }
  );

export type Publish = (event: RealtimeEvent) => Promise<void>;

/** The channel (and user filter) of a target: scope key, else organization, else user. */
export function channelOf(target: RealtimeTarget): { channel: string; userId?: string } {
  if (typeof target === 'string') return { channel: `org:${target}` };
  const user = target.userId ? { userId: target.userId } : {};
  if (target.scopeKey) return { channel: `scope:${target.scopeKey}`, ...user };
  if (target.organizationId) return { channel: `org:${target.organizationId}`, ...user };
  if (target.userId) return { channel: `user:${target.userId}` };
  throw new Error('realtime: a target needs a scopeKey, an organizationId or a userId');
}

/** The row as this recipient gets it: as it may read it, cut to the table's `fields`. */
function shape(resource: ResourceDefinition, spec: RealtimeSpec, ctx: AppContext, row: Row | null): Row | null {
  const masked = rowAsSeenBy(resource, ctx, row);
  if (!masked) return null;
  if (!spec.fields) return masked;
  const keep = [resource.id.key, ...spec.fields];
  return Object.fromEntries(Object.entries(masked).filter(([key]) => keep.includes(key)));
}

/**
 * The message this recipient gets for the event, or null. Tables that are resources of the app
 * are shaped per recipient (createRealtime() on one whose realtime is off too); other tables
 * (createRealtime() on a table of your own) go out as given to their target.
 */
export function messageFor(
  event: RealtimeEvent,
  ctx: AppContext,
  resources: ReadonlyMap<string, ResourceDefinition>,
): string | null {
  if (event.userId && ctx.userId !== event.userId) return null;
  if (event.type === 'broadcast')
    return JSON.stringify({ type: 'broadcast', event: event.event, payload: event.payload });
  const resource = resources.get(event.table);
  let rows = { new: event.new, old: event.old };
  if (resource) {
    // createRealtime() on a table whose own realtime is off: shaped all the same (firewall, access, masking).
    const spec = resource.realtime
      ?? { onInsert: true, onUpdate: true, onDelete: true, requiredRoles: null, fields: null };
    if (spec.requiredRoles && !spec.requiredRoles.some((role) => ctx.roles.includes(role))) return null;
    rows = { new: shape(resource, spec, ctx, event.new), old: shape(resource, spec, ctx, event.old) };
    if (!(event.eventType === 'DELETE' ? rows.old : rows.new)) return null;
  }
  const body = event.eventType === 'DELETE' ? { old: rows.old } : { new: rows.new, old: rows.old ?? {} };
  return JSON.stringify({
    type: 'postgres_changes',
    schema: 'public',
    table: event.table,
    eventType: event.eventType,
    ...body,
  });
}

/** `createRealtime()`: push changes of any table, and custom broadcasts, to a target. */
export function createRealtime(publish: Publish) {
  const changes = (eventType: EventType) => async (table: string, rows: Row | Row[], target: RealtimeTarget) => {
    const at = channelOf(target);
    for (const row of Array.isArray(rows) ? rows : [rows]) {
      await publish({
        type: 'postgres_changes',
        ...at,
        table,
        eventType,
        new: eventType === 'DELETE' ? null : row,
        old: eventType === 'DELETE' ? row : null,
      });
    }
  };
  return {
    insert: changes('INSERT'),
    update: changes('UPDATE'),
    delete: changes('DELETE'),
    broadcast: (event: string, payload: unknown, target: RealtimeTarget) =>
      publish({ type: 'broadcast', ...channelOf(target), event, payload }),
  };
}
export type Realtime = ReturnType<typeof createRealtime>;
