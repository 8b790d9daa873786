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
import { fixedColumn, NULLABLE } from './columns.js';
import type { TableModel, WebhooksModel } from './ir.js';

export const DEFAULT_WEBHOOK_ADMIN_ROLES = ['owner', 'admin'];

export function webhooksOn(config: QuickbackConfigInput): boolean {
  const db = config.providers.database.options ?? {};
  return config.webhooks !== undefined || db.webhooksBinding !== undefined || db.webhookAdminRoles !== undefined;
}

const endpoints: TableModel = {
  name: 'webhook_endpoints',
  exportName: 'webhookEndpoints',
  sqlName: 'webhook_endpoints',
  database: 'features',
  columns: [
    fixedColumn('id', 'id', 'text', { primaryKey: true }),
    fixedColumn('organizationId', 'organization_id', 'text', NULLABLE),
    fixedColumn('userId', 'user_id', 'text', NULLABLE),
    fixedColumn('url', 'url', 'text'),
    fixedColumn('secret', 'secret', 'text'),
    fixedColumn('events', 'events', 'json'),
    fixedColumn('description', 'description', 'text', NULLABLE),
    fixedColumn('active', 'active', 'boolean', { default: { kind: 'value', value: true } }),
    // The organization roles its deliveries read as (null: personal, or saved before roles were recorded).
    fixedColumn('roles', 'roles', 'json', NULLABLE),
    fixedColumn('createdBy', 'created_by', 'text'),
    fixedColumn('createdAt', 'created_at', 'text', { default: { kind: 'now' } }),
    fixedColumn('updatedAt', 'updated_at', 'text', { default: { kind: 'now' } }),
  ],
  indexes: [
    { name: 'webhook_endpoints_organization_idx', columns: ['organizationId'], unique: false },
    { name: 'webhook_endpoints_user_idx', columns: ['userId'], unique: false },
  ],
};

const deliveries: TableModel = {
  name: 'webhook_deliveries',
  exportName: 'webhookDeliveries',
  sqlName: 'webhook_deliveries',
  database: 'features',
  columns: [
    fixedColumn('id', 'id', 'text', { primaryKey: true }),
    fixedColumn('endpointId', 'endpoint_id', 'text'),
    fixedColumn('eventId', 'event_id', 'text'),
    fixedColumn('eventType', 'event_type', 'text'),
    fixedColumn('body', 'body', 'text'),
    fixedColumn('status', 'status', 'text', { default: { kind: 'value', value: 'pending' } }),
    fixedColumn('attempts', 'attempts', 'integer', { default: { kind: 'value', value: 0 } }),
    fixedColumn('nextAttemptAt', 'next_attempt_at', 'real'),
    fixedColumn('lockedUntil', 'locked_until', 'real', NULLABLE),
    fixedColumn('lastStatus', 'last_status', 'integer', NULLABLE),
    fixedColumn('lastError', 'last_error', 'text', NULLABLE),
    fixedColumn('responseBody', 'response_body', 'text', NULLABLE),
    fixedColumn('createdAt', 'created_at', 'text', { default: { kind: 'now' } }),
    fixedColumn('deliveredAt', 'delivered_at', 'text', NULLABLE),
  ],
  indexes: [
    { name: 'webhook_deliveries_due_idx', columns: ['status', 'nextAttemptAt'], unique: false },
    { name: 'webhook_deliveries_endpoint_idx', columns: ['endpointId', 'createdAt'], unique: false },
  ],
};

const events: TableModel = {
  name: 'webhook_events',
  exportName: 'webhookInboundEvents',
  sqlName: 'webhook_events',
  database: 'features',
  columns: [
    fixedColumn('id', 'id', 'text', { primaryKey: true }),
    fixedColumn('provider', 'provider', 'text'),
    fixedColumn('externalId', 'external_id', 'text'),
    fixedColumn('type', 'type', 'text'),
    fixedColumn('payload', 'payload', 'text'),
    fixedColumn('status', 'status', 'text', { default: { kind: 'value', value: 'received' } }),
    fixedColumn('attempts', 'attempts', 'integer', { default: { kind: 'value', value: 0 } }),
    fixedColumn('nextAttemptAt', 'next_attempt_at', 'real'),
    fixedColumn('lockedUntil', 'locked_until', 'real', NULLABLE),
    fixedColumn('lastError', 'last_error', 'text', NULLABLE),
    fixedColumn('receivedAt', 'received_at', 'text', { default: { kind: 'now' } }),
    fixedColumn('processedAt', 'processed_at', 'text', NULLABLE),
  ],
  indexes: [
    { name: 'webhook_events_due_idx', columns: ['status', 'nextAttemptAt'], unique: false },
    { name: 'webhook_events_provider_external_unique', columns: ['provider', 'externalId'], unique: true },
  ],
};

export function webhooksModel(config: QuickbackConfigInput, hierarchy: readonly string[]): WebhooksModel | null {
  if (!webhooksOn(config)) return null;
  const roles = config.providers.database.options?.webhookAdminRoles ?? DEFAULT_WEBHOOK_ADMIN_ROLES;
  return {
    adminRoles: expandRoles(roles, hierarchy),
    allowInsecure: config.webhooks?.allowInsecure === true,
    tables: { endpoints, deliveries, events },
  };
}

export interface TableWebhooksInput {
  onInsert?: boolean;
  onUpdate?: boolean;
  onDelete?: boolean;
}

/** A table's event switches (null: it emits none). */
export function tableWebhooks(
  config: ResourceSpec,
  on: boolean,
): { onInsert: boolean; onUpdate: boolean; onDelete: boolean } | null {
  const raw = (config as { webhooks?: boolean | TableWebhooksInput }).webhooks;
  if (!on || raw === undefined || raw === false) return null;
  const spec = raw === true ? {} : raw;
  return { onInsert: spec.onInsert ?? true, onUpdate: spec.onUpdate ?? true, onDelete: spec.onDelete ?? true };
}
