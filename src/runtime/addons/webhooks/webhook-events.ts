/**
 * @module quickback/webhook-events
 * Emitting outbound webhook events. `emitWebhookEvent` is the manual form (reference §7.2); beyond
 * the public product, tables with `webhooks` emit `<table>.created|updated|deleted` from CRUD
 * (`webhookListener`, changes.ts), each endpoint getting the row exactly as its recorded roles read
 * it through the API (firewall, read access, masking; webhook-readers.ts) — or, for owner-scoped
 * rows, as their owner does — never more; an endpoint whose roles cannot read the row gets none.
 */
import type { Context } from 'hono';
import { wanted, type ChangeListener } from '../../events/changes.js';
import { rowAsSeenBy, rowTarget } from '../../policy/visibility.js';
import type { QueryDatabase } from '../../core/types.js';
import { enqueueEvent, type WebhookTables } from './webhook-queue.js';
import { readerOf, type RoleOptions } from './webhook-readers.js';

const VERB = { INSERT: 'created', UPDATE: 'updated', DELETE: 'deleted' } as const;

/** Queues `type` with `data` for the endpoints of the organization (or user) that want it. */
export function emitWebhookEvent(
  db: QueryDatabase,
  tables: WebhookTables,
  type: string,
  data: unknown,
  target: { organizationId?: string; userId?: string },
): Promise<string[]> {
  return enqueueEvent(db, tables, { type, data, ...target });
}

export interface WebhookListenerOptions extends RoleOptions {
  db(c: Context): QueryDatabase;
  tables: WebhookTables;
  kick(c: Context): void;
  /**
   * Workers: queue with a connection of its own after the response (a request's PostgreSQL pool
   * ends with it), then attempt the deliveries.
   */
  detached?(c: Context, work: (db: QueryDatabase) => Promise<unknown>): void;
}

export function webhookListener(options: WebhookListenerOptions): ChangeListener {
  return async (c, changes) => {
    const events = wanted(changes, 'webhooks');
    if (events.length === 0) return;
    if (options.detached) {
      options.detached(c, (db) => queue(db, options, events));
      return;
    }
    if ((await queue(options.db(c), options, events)) > 0) options.kick(c);
  };
}

/** Queues the events of the changes; answers how many deliveries were written. */
async function queue(
  db: QueryDatabase,
  options: WebhookListenerOptions,
  changes: ReturnType<typeof wanted>,
): Promise<number> {
  let queued = 0;
  for (const change of changes) {
    const row = (change.new ?? change.old)!;
    const target = rowTarget(change.resource, row);
    if (!target || typeof target === 'string') continue;
    const scope = target.organizationId ? { organizationId: target.organizationId } : { userId: target.userId! };
    const dataFor = (endpoint: Record<string, unknown>) =>
      rowAsSeenBy(change.resource, readerOf(endpoint, options), row);
    queued += (await enqueueEvent(db, options.tables, {
      type: `${change.resource.name}.${VERB[change.eventType]}`,
      data: null,
      dataFor,
      ...scope,
    })).length;
  }
  return queued;
}
