/**
 * @module compiler/rls/indexes
 * An index on every column an RLS policy reads (issue #11 hardening): the firewall's scope
 * columns already lead an index (model/feature.ts); record-condition columns get
 * `<table>_<column>_rls_idx` unless an index already starts with them. PostgreSQL only.
 */
import { boundedIndexName } from '../model/indexes.js';
import type { FeatureModel } from '../model/ir.js';
import { ruleColumns } from './policies.js';

export function withPolicyIndexes(feature: FeatureModel): FeatureModel {
  const { read, create, update, delete: del } = feature.access;
  const keyOf = (sqlName: string) => feature.table.columns.find((c) => c.sqlName === sqlName)?.key;
  const policyColumns = [...new Set([read, create, update, del].flatMap((rule) => ruleColumns(rule, feature)))];
  const led = new Set(feature.table.indexes.map((i) => i.columns[0]));
  const extra = policyColumns.map(keyOf).filter((key): key is string =>
    key !== undefined && !led.has(key) && !feature.table.columns.find((c) => c.key === key)?.primaryKey
  )
    .map((key) => ({
      name: boundedIndexName(
        `${feature.table.sqlName}_${feature.table.columns.find((c) => c.key === key)!.sqlName}_rls_idx`,
      ),
      columns: [key],
      unique: false,
    }));
  if (extra.length === 0) return feature;
  const indexes = [...feature.table.indexes, ...extra].sort((a, b) => (a.name < b.name ? -1 : 1));
  return { ...feature, table: { ...feature.table, indexes } };
}
