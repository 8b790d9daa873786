/**
 * @module emitters/hono/print/zod
 * zod schemas for request bodies, printed from the API fields of a feature: only the fields the
 * guards let a client write on that operation (the guards check the keys first at runtime).
 */
import { createFields } from '../../../compiler/model/guards.js';
import type { ColumnModel, FeatureModel, FieldModel } from '../../../compiler/model/ir.js';

function base(field: FieldModel, column: ColumnModel): string {
  const bounds = (lo: 'min' | 'max', v: number | undefined) => (v === undefined ? '' : `.${lo}(${v})`);
  const length = bounds('min', field.minLength) + bounds('max', field.maxLength);
  switch (field.kind) {
    case 'id':
      return column.storage === 'integer' ? 'z.number().int().positive()' : 'z.string().min(1).max(255)';
    case 'url':
      return `z.url()${length}`;
    case 'email':
      return `z.email()${length}`;
    case 'enum':
      return `z.enum(${JSON.stringify(field.enumValues ?? [])})`;
    case 'integer':
      return `z.number().int()${bounds('min', field.min)}${bounds('max', field.max)}`;
    case 'number':
      return `z.number()${bounds('min', field.min)}${bounds('max', field.max)}`;
    case 'boolean':
      return 'z.boolean()';
    case 'timestamp':
      return column.storage === 'timestamp_ms'
        ? 'z.iso.datetime({ offset: true }).transform((value) => new Date(value))'
        : 'z.iso.datetime({ offset: true })';
    case 'date':
      return 'z.iso.date()';
    case 'json':
      return 'z.json()';
    default:
      return `z.string()${length}`;
  }
}

/** Fields a body may carry for this operation (client ids only on create/upsert). */
export function writableFields(feature: FeatureModel): FieldModel[] {
  return feature.fields.filter((f) => !f.system && !(f.kind === 'id' && feature.id.strategy !== false));
}

/** Whether the guards let a client write the field on this operation. */
function guarded(feature: FeatureModel, field: FieldModel, op: 'create' | 'update'): boolean {
  if (field.kind === 'id') return op === 'create';
  const g = feature.guards;
  return op === 'create'
    ? createFields(g).includes(field.key)
    : g.updatable.includes(field.key) && !g.immutable.includes(field.key) && !(field.key in g.protected);
}

export function bodySchema(feature: FeatureModel, op: 'create' | 'update'): string {
  const columns = new Map(feature.table.columns.map((c) => [c.key, c]));
  const entries = writableFields(feature)
    .filter((f) => guarded(feature, f, op))
    .map((field) => {
      let schema = base(field, columns.get(field.key)!);
      if (field.nullable) schema += '.nullable()';
      if (op === 'update' || !field.requiredOnCreate) schema += '.optional()';
      return `  ${field.key}: ${schema},`;
    });
  return entries.length === 0 ? 'z.object({})' : `z.object({\n${entries.join('\n')}\n})`;
}
