/**
 * @module quickback/unsafe
 * Unsafe actions (reference §1.10): an unscoped database for the handler, platform admin when
 * `adminOnly`/`crossTenant`, and an audit event written to a separate audit database before the
 * handler runs. If the event cannot be written the action does not run (503, fail closed).
 */
import type { Context } from 'hono';
import { isPlatformAdmin } from '../policy/access.js';
import type { AppContext } from '../core/context.js';
import { apiError } from '../core/errors.js';
import type { ResourceDefinition } from '../core/resource.js';
import type { Row } from '../data/rows.js';
import type { QueryDatabase, QuickbackEnv } from '../core/types.js';
import { log } from '../core/log.js';

declare module '../core/types.js' {
  interface QuickbackVariables {
    /** The audit log of unsafe actions (only when the app has one). */
    audit?: AuditLog;
  }
}

export interface UnsafeOptions {
  reason: string;
  adminOnly: boolean;
  crossTenant: boolean;
}

export interface AuditEvent {
  id: string;
  at: string;
  action: string;
  feature: string | null;
  userId: string | null;
  organizationId: string | null;
  recordId: string | null;
  reason: string;
  requestId: string | null;
  method: string;
  path: string;
}

/** Writes one event durably, or throws. */
export type AuditLog = (event: AuditEvent) => Promise<void>;

export function requireUnsafeCaller(ctx: AppContext, unsafe: UnsafeOptions): void {
  if (unsafe.adminOnly && !isPlatformAdmin(ctx))
    throw apiError('ACCESS_ADMIN_REQUIRED', {
      hint: 'Only platform admins (Better Auth user role "admin") may run this action.',
    });
}

export async function auditUnsafe(
  c: Context<QuickbackEnv>,
  ctx: AppContext,
  action: { name: string; unsafe?: UnsafeOptions },
  resource: ResourceDefinition | null,
  record: Row | undefined,
): Promise<QueryDatabase> {
  const audit = c.get('audit');
  const event: AuditEvent = {
    id: crypto.randomUUID(),
    at: new Date().toISOString(),
    action: action.name,
    feature: resource?.name ?? null,
    userId: ctx.userId,
    organizationId: ctx.activeOrgId,
    recordId: record && resource ? String(record[resource.id.key]) : null,
    reason: action.unsafe?.reason ?? '',
    requestId: (c.get('requestId' as never) as string | undefined) ?? null,
    method: c.req.method,
    path: c.req.path,
  };
  try {
    if (!audit) throw new Error('no audit database is configured');
    await audit(event);
  } catch (err) {
    log.error(`audit log write failed for unsafe action ${action.name}:`, err);
    throw apiError('ACCESS_AUDIT_LOG_FAILED', {
      hint: `Check ${
        c.get('auditTarget') ?? 'AUDIT_DATABASE_URL'
      }; unsafe actions run only when their audit event is stored.`,
    });
  }
  await c.get('elevate')?.();
  return c.get('db');
}
