/**
 * @module compiler/model/columns
 * A resource's columns as storage (ColumnModel) and API facts (FieldModel), plus the audit
 * columns every feature table gets.
 */
import type { ColumnSpec } from '../../dsl/columns/spec.js';
import type { ResourceInput } from '../load/types.js';
import type { ColumnModel, ColumnStorage, DatabaseModel, FeatureModel, FieldKind, FieldModel } from './ir.js';
import { columnName } from './naming.js';

/** A column of a compiler-owned table (fixed SQL name, not null unless `extra` says so). */
export const fixedColumn = (
  key: string,
  sqlName: string,
  storage: ColumnModel['storage'],
  extra: Partial<ColumnModel> = {},
): ColumnModel => ({
  key,
  sqlName,
  storage,
  notNull: true,
  unique: false,
  ...extra,
});
export const NULLABLE = { notNull: false } as const;

export const AUDIT_KEYS = {
  createdAt: 'createdAt',
  modifiedAt: 'modifiedAt',
  deletedAt: 'deletedAt',
  createdBy: 'createdBy',
  modifiedBy: 'modifiedBy',
  deletedBy: 'deletedBy',
} as const;

const STORAGE: Record<ColumnSpec['type'], ColumnStorage> = {
  id: 'text',
  text: 'text',
  url: 'text',
  email: 'text',
  enum: 'text',
  scope: 'text',
  integer: 'integer',
  number: 'real',
  boolean: 'boolean',
  timestamp: 'text',
  date: 'text',
  json: 'json',
};

export interface ColumnContext {
  resource: ResourceInput;
  db: DatabaseModel;
  /** Resolves `"feature"` / `"feature.column"` to the target table's export name and column key. */
  resolveReference(target: string): { table: string; column: string } | undefined;
}

function storageColumn(key: string, spec: ColumnSpec, ctx: ColumnContext): ColumnModel {
  const own = ctx.resource.drizzle?.columns[key];
  const isId = spec.type === 'id';
  const serial = isId && (own ? own.autoIncrement : ctx.db.generateId === 'serial');
  const column: ColumnModel = {
    key,
    sqlName: own?.sqlName ?? columnName(key, ctx.db.namingConvention),
    storage: own?.storage ?? (serial ? 'integer' : STORAGE[spec.type]),
    notNull: own?.notNull ?? (isId || spec.type === 'scope' || spec.required === true),
    unique: spec.unique === true,
  };
  if (isId) column.primaryKey = true;
  if (serial) column.autoIncrement = true;
  if (spec.enumValues && spec.type === 'enum') column.enumValues = [...spec.enumValues];
  if (spec.defaultNow) column.default = spec.type === 'date' ? { kind: 'today' } : { kind: 'now' };
  else if (spec.default) {
    const value = spec.default.value;
    column.default = column.storage === 'json'
      ? { kind: 'json', value }
      : { kind: 'value', value: value as string | number | boolean | null };
  }
  if (typeof spec.references?.target === 'string') {
    const target = ctx.resolveReference(spec.references.target);
    if (target)
      column.references = { ...target, ...(spec.references.onDelete ? { onDelete: spec.references.onDelete } : {}) };
  }
  return column;
}

function auditColumns(ctx: ColumnContext, declared: Set<string>): ColumnModel[] {
  const text = (key: string, notNull: boolean, now: boolean): ColumnModel => ({
    key,
    sqlName: columnName(key, ctx.db.namingConvention),
    storage: 'text',
    notNull,
    unique: false,
    ...(now ? { default: { kind: 'now' as const } } : {}),
  });
  return [
    text(AUDIT_KEYS.createdAt, true, true),
    text(AUDIT_KEYS.modifiedAt, true, true),
    text(AUDIT_KEYS.deletedAt, false, false),
    text(AUDIT_KEYS.createdBy, false, false),
    text(AUDIT_KEYS.modifiedBy, false, false),
    text(AUDIT_KEYS.deletedBy, false, false),
  ].filter((c) => !declared.has(c.key));
}

export function columnModels(ctx: ColumnContext): ColumnModel[] {
  const entries = Object.entries(ctx.resource.columns);
  const hasId = entries.some(([, spec]) => spec.type === 'id');
  const columns = entries.map(([key, spec]) => storageColumn(key, spec, ctx));
  if (!hasId) columns.unshift(storageColumn('id', { type: 'id' }, ctx));
  return [...columns, ...auditColumns(ctx, new Set(columns.map((c) => c.key)))];
}

function fieldKind(key: string, spec: ColumnSpec | undefined, column: ColumnModel): FieldKind {
  if (spec) return column.storage === 'timestamp_ms' ? 'timestamp' : spec.type;
  return key.endsWith('By') ? 'audit-user' : 'audit-time';
}

export function fieldModels(columns: ColumnModel[], ctx: ColumnContext, stamped: FeatureModel['scope']): FieldModel[] {
  const stampedColumns = new Set(Object.values(stamped));
  return columns.map((column) => {
    const spec = ctx.resource.columns[column.key] ?? (column.key === 'id' ? { type: 'id' as const } : undefined);
    const kind = fieldKind(column.key, spec, column);
    const system = kind === 'audit-time' || kind === 'audit-user' || kind === 'scope' || stampedColumns.has(column.key)
      || (kind === 'id' && ctx.db.generateId !== false);
    const hasDefault = column.default !== undefined || column.autoIncrement === true;
    return {
      key: column.key,
      kind,
      enumValues: column.enumValues,
      requiredOnCreate: !system && column.notNull && !hasDefault,
      nullable: !column.notNull,
      system,
      minLength: spec?.minLength,
      maxLength: spec?.maxLength,
      min: spec?.min,
      max: spec?.max,
      filterable: Array.isArray(spec?.filterable) ? [...spec.filterable] : spec?.filterable === true,
      searchable: spec?.searchable === true,
      encrypted: spec?.encrypted === true,
    };
  });
}
