/**
 * @module quickback/changes
 * The writes of an /api request that others hear of: realtime sockets and webhook endpoints. CRUD
 * routes record each write of a table that has either switched on (as its readers see the row);
 * once the request succeeded — after its transaction committed, so a rolled-back write is never
 * announced — each listener gets the list. Workers keep the work alive after the response.
 */
import type { Context, MiddlewareHandler } from 'hono';
import type { ChangeListener, RecordedChange } from '../core/addon.js';
import type { EventType, ResourceDefinition } from '../core/resource.js';
import type { QuickbackEnv, Row } from '../core/types.js';
import { log } from '../core/log.js';

export type { ChangeListener, RecordedChange };

declare module '../core/types.js' {
  interface QuickbackVariables {
    /** Realtime and webhooks: the request's announced writes, handed on once it succeeded. */
    changes?: RecordedChange[];
  }
}

const WANTED = { INSERT: 'onInsert', UPDATE: 'onUpdate', DELETE: 'onDelete' } as const;

/** Whether a write of this kind is announced anywhere. */
export function announced(resource: ResourceDefinition, eventType: EventType): boolean {
  return Boolean(resource.realtime?.[WANTED[eventType]] || resource.webhooks?.[WANTED[eventType]]);
}

/** Notes a successful write, as its readers see the row. */
export function recordChange(
  c: Context<QuickbackEnv>,
  resource: ResourceDefinition,
  eventType: EventType,
  row: Row,
  old: Row | null = null,
): void {
  const changes = c.get('changes');
  if (!changes || !announced(resource, eventType)) return;
  changes.push(
    eventType === 'DELETE' ? { resource, eventType, new: null, old: row } : { resource, eventType, new: row, old },
  );
}

/** The changes a listener wants (`realtime` or `webhooks` of the table). */
export function wanted(changes: RecordedChange[], kind: 'realtime' | 'webhooks'): RecordedChange[] {
  return changes.filter((change) => change.resource[kind]?.[WANTED[change.eventType]]);
}

export function changesMiddleware(
  listeners: ChangeListener[],
  defer?: (c: Context, work: Promise<unknown>) => void,
): MiddlewareHandler<QuickbackEnv> {
  return async (c, next) => {
    const changes: RecordedChange[] = [];
    c.set('changes', changes);
    await next();
    if (changes.length === 0 || c.res.status >= 400) return;
    const work = Promise.all(
      listeners.map((listen) => listen(c, changes).catch((err) => log.error('announcing changes failed:', err))),
    );
    if (defer) defer(c, work);
  };
}
