/**
 * @module compiler/model/encryption
 * `org_data_keys` (seed 003), present when some feature has `.encrypted()` columns: one row per
 * organization and key version holding its data key wrapped under ENCRYPTION_KEK, and the count
 * of encryptions reserved under it (the nonce budget). Fixed SQL names whatever the naming
 * options, as the seed documents them; (org_id, version) is unique, the id is `<version>:<org_id>`.
 */
import { fixedColumn } from './columns.js';
import type { FeatureModel, TableModel } from './ir.js';

const DATA_KEYS_TABLE = 'org_data_keys';

export function encryptionModel(features: readonly FeatureModel[]): { table: TableModel } | null {
  if (!features.some((f) => f.fields.some((field) => field.encrypted))) return null;
  return {
    table: {
      name: DATA_KEYS_TABLE,
      exportName: 'orgDataKeys',
      sqlName: DATA_KEYS_TABLE,
      database: 'features',
      columns: [
        fixedColumn('id', 'id', 'text', { primaryKey: true }),
        fixedColumn('orgId', 'org_id', 'text'),
        fixedColumn('version', 'version', 'integer'),
        fixedColumn('wrappedKey', 'wrapped_key', 'text'),
        fixedColumn('messages', 'messages', 'integer', { default: { kind: 'value', value: 0 } }),
        fixedColumn('createdAt', 'created_at', 'text', { default: { kind: 'now' } }),
      ],
      indexes: [{ name: 'org_data_keys_org_version_idx', columns: ['orgId', 'version'], unique: true }],
    },
  };
}
