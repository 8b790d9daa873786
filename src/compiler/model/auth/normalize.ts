/**
 * @module compiler/model/auth/normalize
 * Better Auth's table model (`getAuthTables`, plugin `schema`) reduced to plain JSON data:
 * JS default functions that return a Date become `{ kind: 'now' }`, every other function is dropped.
 */
export interface AuthField {
  type: string;
  required: boolean;
  unique?: boolean;
  index?: boolean;
  references?: { model: string; field: string; onDelete?: string };
  default?: { kind: 'value'; value: string | number | boolean } | { kind: 'now' };
  onUpdate?: 'now';
}

export interface AuthTable {
  fields: Record<string, AuthField>;
}
export type AuthTables = Record<string, AuthTable>;

interface RawField {
  type: unknown;
  required?: boolean;
  unique?: boolean;
  index?: boolean;
  references?: { model: string; field: string; onDelete?: string };
  defaultValue?: unknown;
  onUpdate?: unknown;
}

function returnsDate(fn: unknown): boolean {
  try {
    return typeof fn === 'function' && (fn as () => unknown)() instanceof Date;
  } catch {
    return false;
  }
}

export function normalizeField(raw: RawField): AuthField {
  const field: AuthField = {
    type: Array.isArray(raw.type) ? 'json' : String(raw.type),
    required: raw.required !== false,
  };
  if (raw.unique) field.unique = true;
  if (raw.index) field.index = true;
  if (raw.references) {
    field.references = { model: raw.references.model, field: raw.references.field };
    if (raw.references.onDelete) field.references.onDelete = raw.references.onDelete;
  }
  if (returnsDate(raw.defaultValue)) field.default = { kind: 'now' };
  else if (['string', 'number', 'boolean'].includes(typeof raw.defaultValue)) {
    field.default = { kind: 'value', value: raw.defaultValue as string | number | boolean };
  }
  if (returnsDate(raw.onUpdate)) field.onUpdate = 'now';
  return field;
}

export function normalizeTables(raw: Record<string, { fields: Record<string, RawField> }>): AuthTables {
  const tables: AuthTables = {};
  for (const [name, table] of Object.entries(raw)) {
    tables[name] = {
      fields: Object.fromEntries(Object.entries(table.fields).map(([key, f]) => [key, normalizeField(f)])),
    };
  }
  return tables;
}
