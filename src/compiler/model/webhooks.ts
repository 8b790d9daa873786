/**
 * @module compiler/model/webhooks
 * Webhooks (reference §7.2): on when the config has `webhooks`, or the database provider
 * `webhooksBinding` or `webhookAdminRoles`. Two tables in the features database, with fixed SQL
 * names: `webhook_endpoints` (an organization's or a user's subscriber: URL, signing secret, the
 * events it wants, the roles it reads as — a later column, added by a migration of its own), `webhook_deliveries` (the job table of the delivery loop: one row per
 * event and endpoint, with its attempts, next attempt and last answer) and `webhook_events` (inbound
 * events, unique per provider and event id, with their handling state). Per table,
 * `webhooks: true | { onInsert, onUpdate, onDelete }` emits `<table>.created|updated|deleted`.
 * Times the loop compares are epoch milliseconds as `real` (double precision on PostgreSQL, exact
 * to 2^53; a PostgreSQL integer is 32-bit).
 */
import type { QuickbackConfigInput } from '../../dsl/config.js';
import type { ResourceSpec } from '../../dsl/feature.js';
import { expandRoles } from './access.js';
import type { ColumnModel, TableModel, WebhooksModel } from './ir.js';

const column = (key: string, sqlName: string, storage: ColumnModel['storage'], extra: Partial<ColumnModel> = {}): ColumnModel => ({
  key, sqlName, storage, notNull: true, unique: false, ...extra,
});
const nullable = { notNull: false };

export const DEFAULT_WEBHOOK_ADMIN_ROLES = ['owner', 'admin'];

export function webhooksOn(config: QuickbackConfigInput): boolean {
  const db = config.providers.database.options ?? {};
  return config.webhooks !== undefined || db.webhooksBinding !== undefined || db.webhookAdminRoles !== undefined;
}

const endpoints: TableModel = {
  name: 'webhook_endpoints', exportName: 'webhookEndpoints', sqlName: 'webhook_endpoints', database: 'features',
  columns: [
    column('id', 'id', 'text', { primaryKey: true }),
    column('organizationId', 'organization_id', 'text', nullable),
    column('userId', 'user_id', 'text', nullable),
    column('url', 'url', 'text'),
    column('secret', 'secret', 'text'),
    column('events', 'events', 'json'),
    column('description', 'description', 'text', nullable),
    column('active', 'active', 'boolean', { default: { kind: 'value', value: true } }),
    // The organization roles its deliveries read as (null: personal, or saved before roles were recorded).
    column('roles', 'roles', 'json', nullable),
    column('createdBy', 'created_by', 'text'),
    column('createdAt', 'created_at', 'text', { default: { kind: 'now' } }),
    column('updatedAt', 'updated_at', 'text', { default: { kind: 'now' } }),
  ],
  indexes: [
    { name: 'webhook_endpoints_organization_idx', columns: ['organizationId'], unique: false },
    { name: 'webhook_endpoints_user_idx', columns: ['userId'], unique: false },
  ],
};

const deliveries: TableModel = {
  name: 'webhook_deliveries', exportName: 'webhookDeliveries', sqlName: 'webhook_deliveries', database: 'features',
  columns: [
    column('id', 'id', 'text', { primaryKey: true }),
    column('endpointId', 'endpoint_id', 'text'),
    column('eventId', 'event_id', 'text'),
    column('eventType', 'event_type', 'text'),
    column('body', 'body', 'text'),
    column('status', 'status', 'text', { default: { kind: 'value', value: 'pending' } }),
    column('attempts', 'attempts', 'integer', { default: { kind: 'value', value: 0 } }),
    column('nextAttemptAt', 'next_attempt_at', 'real'),
    column('lockedUntil', 'locked_until', 'real', nullable),
    column('lastStatus', 'last_status', 'integer', nullable),
    column('lastError', 'last_error', 'text', nullable),
    column('responseBody', 'response_body', 'text', nullable),
    column('createdAt', 'created_at', 'text', { default: { kind: 'now' } }),
    column('deliveredAt', 'delivered_at', 'text', nullable),
  ],
  indexes: [
    { name: 'webhook_deliveries_due_idx', columns: ['status', 'nextAttemptAt'], unique: false },
    { name: 'webhook_deliveries_endpoint_idx', columns: ['endpointId', 'createdAt'], unique: false },
  ],
};

const events: TableModel = {
  name: 'webhook_events', exportName: 'webhookInboundEvents', sqlName: 'webhook_events', database: 'features',
  columns: [
    column('id', 'id', 'text', { primaryKey: true }),
    column('provider', 'provider', 'text'),
    column('externalId', 'external_id', 'text'),
    column('type', 'type', 'text'),
    column('payload', 'payload', 'text'),
    column('status', 'status', 'text', { default: { kind: 'value', value: 'received' } }),
    column('attempts', 'attempts', 'integer', { default: { kind: 'value', value: 0 } }),
    column('nextAttemptAt', 'next_attempt_at', 'real'),
    column('lockedUntil', 'locked_until', 'real', nullable),
    column('lastError', 'last_error', 'text', nullable),
    column('receivedAt', 'received_at', 'text', { default: { kind: 'now' } }),
    column('processedAt', 'processed_at', 'text', nullable),
  ],
  indexes: [
    { name: 'webhook_events_due_idx', columns: ['status', 'nextAttemptAt'], unique: false },
    { name: 'webhook_events_provider_external_unique', columns: ['provider', 'externalId'], unique: true },
  ],
};

export function webhooksModel(config: QuickbackConfigInput, hierarchy: readonly string[]): WebhooksModel | null {
  if (!webhooksOn(config)) return null;
  const roles = config.providers.database.options?.webhookAdminRoles ?? DEFAULT_WEBHOOK_ADMIN_ROLES;
  return { adminRoles: expandRoles(roles, hierarchy), allowInsecure: config.webhooks?.allowInsecure === true, tables: { endpoints, deliveries, events } };
}

export interface TableWebhooksInput { onInsert?: boolean; onUpdate?: boolean; onDelete?: boolean }

/** A table's event switches (null: it emits none). */
export function tableWebhooks(config: ResourceSpec, on: boolean): { onInsert: boolean; onUpdate: boolean; onDelete: boolean } | null {
  const raw = (config as { webhooks?: boolean | TableWebhooksInput }).webhooks;
  if (!on || raw === undefined || raw === false) return null;
  const spec = raw === true ? {} : raw;
  return { onInsert: spec.onInsert ?? true, onUpdate: spec.onUpdate ?? true, onDelete: spec.onDelete ?? true };
}
