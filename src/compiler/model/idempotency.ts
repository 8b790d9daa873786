/**
 * @module compiler/model/idempotency
 * `idempotency_keys` (runtime/idempotency.ts), present when the app has feature routes: one row
 * per caller and `Idempotency-Key`, holding the fingerprint of the first request (method, path,
 * body), its stored response and when the key expires (24 h). The id is a hash of the caller and
 * the key. Fixed SQL names whatever the naming options; times are epoch milliseconds as `real`
 * (double precision on PostgreSQL). Keys expire lazily, by `expires_at` (indexed, and with `user_id` first for
 * the RLS policies).
 */
import { fixedColumn, NULLABLE } from './columns.js';
import type { FeatureModel, TableModel } from './ir.js';

export const IDEMPOTENCY_TABLE = 'idempotency_keys';

export function idempotencyModel(features: readonly FeatureModel[]): { table: TableModel } | null {
  if (features.length === 0) return null;
  return {
    table: {
      name: IDEMPOTENCY_TABLE,
      exportName: 'idempotencyKeys',
      sqlName: IDEMPOTENCY_TABLE,
      database: 'features',
      columns: [
        fixedColumn('id', 'id', 'text', { primaryKey: true }),
        fixedColumn('userId', 'user_id', 'text'),
        fixedColumn('fingerprint', 'fingerprint', 'text'),
        // Null while the first request runs.
        fixedColumn('status', 'status', 'integer', NULLABLE),
        fixedColumn('headers', 'headers', 'text', NULLABLE),
        fixedColumn('body', 'body', 'text', NULLABLE),
        fixedColumn('lockedUntil', 'locked_until', 'real'),
        fixedColumn('expiresAt', 'expires_at', 'real'),
      ],
      // Expired keys by age (cleanup); a caller's own keys (the RLS policies on PostgreSQL read user_id).
      indexes: [
        { name: 'idempotency_keys_expires_idx', columns: ['expiresAt'], unique: false },
        { name: 'idempotency_keys_user_id_expires_idx', columns: ['userId', 'expiresAt'], unique: false },
      ],
    },
  };
}
