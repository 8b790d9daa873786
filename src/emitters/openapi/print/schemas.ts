/**
 * @module emitters/openapi/print/schemas
 * JSON Schemas (OpenAPI 3.1 dialect) of one feature, derived from its API fields: the response
 * row `<Pascal>`, the list row `<Pascal>ListItem`, the closed request bodies `<Pascal>Create`
 * and `<Pascal>Update` (only what the guards let a client write), and `<Pascal>List`.
 */
import { createFields } from '../../../compiler/model/guards.js';
import type { FeatureModel, FieldModel } from '../../../compiler/model/ir.js';

export type Schema = Record<string, unknown>;

export const ref = (name: string): Schema => ({ $ref: `#/components/schemas/${name}` });

/** `ticketComments` → `TicketComments` (component name base). */
export function pascal(name: string): string {
  return name.charAt(0).toUpperCase() + name.slice(1);
}

function bounds(lo: string, hi: string, min: number | undefined, max: number | undefined): Schema {
  return { ...(min !== undefined ? { [lo]: min } : {}), ...(max !== undefined ? { [hi]: max } : {}) };
}

/** The value schema of a field, without nullability. */
export function valueSchema(feature: FeatureModel, field: FieldModel): Schema {
  const length = bounds('minLength', 'maxLength', field.minLength, field.maxLength);
  switch (field.kind) {
    case 'id':
      return feature.id.type === 'integer'
        ? { type: 'integer' }
        : { type: 'string', ...(feature.id.strategy === 'uuid' ? { format: 'uuid' } : {}) };
    case 'integer':
      return { type: 'integer', ...bounds('minimum', 'maximum', field.min, field.max) };
    case 'number':
      return { type: 'number', ...bounds('minimum', 'maximum', field.min, field.max) };
    case 'boolean':
      return { type: 'boolean' };
    case 'enum':
      return { type: 'string', enum: [...(field.enumValues ?? [])] };
    case 'timestamp':
    case 'audit-time':
      return { type: 'string', format: 'date-time' };
    case 'date':
      return { type: 'string', format: 'date' };
    case 'url':
      return { type: 'string', format: 'uri', ...length };
    case 'email':
      return { type: 'string', format: 'email', ...length };
    case 'json':
      return { description: 'Any JSON value.' };
    default:
      return { type: 'string', ...length };
  }
}

function nullable(schema: Schema): Schema {
  if (schema.type === undefined) return schema;
  const out: Schema = { ...schema, type: [schema.type, 'null'] };
  if (Array.isArray(schema.enum)) out.enum = [...schema.enum, null];
  return out;
}

/** A field as a request-body or filter value: bounds, formats and closed enums. */
export function inputSchema(feature: FeatureModel, field: FieldModel): Schema {
  const schema = valueSchema(feature, field);
  return field.nullable ? nullable(schema) : schema;
}

/** A field as it comes back: masked columns are strings for callers who may not see them. */
export function outputSchema(feature: FeatureModel, field: FieldModel): Schema {
  const mask = feature.masking[field.key];
  if (!mask) return inputSchema(feature, field);
  const base = valueSchema(feature, field).type as string | undefined;
  const types = [...new Set([base ?? 'string', 'string', ...(field.nullable ? ['null'] : [])])];
  const who = [...mask.show.roles, ...mask.show.userRole].join(', ') || '(nobody)';
  return {
    type: types.length === 1 ? types[0] : types,
    description: `Masked (${mask.type}) unless the caller has one of the roles ${who}${
      mask.show.owner ? ' or owns the row' : ''
    }.`,
  };
}

/** Fields a create body may carry: client ids, then createable and immutable fields (all when there are no guard lists). */
export function createableFields(feature: FeatureModel): FieldModel[] {
  const allowed = new Set(createFields(feature.guards));
  return feature.fields.filter((f) =>
    !f.system && (f.kind === 'id' ? feature.id.strategy === false : allowed.has(f.key))
  );
}

/** Fields an update body may carry: updatable, never immutable, protected, system or the id. */
export function updatableFields(feature: FeatureModel): FieldModel[] {
  const g = feature.guards;
  return feature.fields.filter((f) =>
    !f.system && f.kind !== 'id' && g.updatable.includes(f.key) && !g.immutable.includes(f.key)
    && !(f.key in g.protected)
  );
}

function objectOf(properties: Schema, required: string[], closed: boolean, description?: string): Schema {
  return {
    type: 'object',
    ...(description ? { description } : {}),
    properties,
    ...(required.length > 0 ? { required } : {}),
    ...(closed ? { additionalProperties: false } : {}),
  };
}

const propertiesOf = (fields: FieldModel[], schema: (f: FieldModel) => Schema): Schema =>
  Object.fromEntries(fields.map((f) => [f.key, schema(f)]));

/** Properties of an update body (also the fields of batch update and upsert records). */
export function updateProperties(feature: FeatureModel): Schema {
  return propertiesOf(updatableFields(feature), (f) => inputSchema(feature, f));
}

export function featureSchemas(feature: FeatureModel): Record<string, Schema> {
  const name = pascal(feature.name);
  const row = propertiesOf(feature.fields, (f) => outputSchema(feature, f));
  const create = createableFields(feature);
  return {
    [name]: objectOf(row, feature.fields.map((f) => f.key), false, `A ${feature.name} record.`),
    [`${name}ListItem`]: objectOf(
      row,
      [feature.id.key],
      false,
      `A ${feature.name} row of a list: \`fields\` and views project it; the id is always present.`,
    ),
    [`${name}Create`]: objectOf(
      propertiesOf(create, (f) => inputSchema(feature, f)),
      create.filter((f) => f.requiredOnCreate).map((f) => f.key),
      true,
    ),
    [`${name}Update`]: { ...objectOf(updateProperties(feature), [], true), minProperties: 1 },
    [`${name}List`]: objectOf(
      {
        data: { type: 'array', items: ref(`${name}ListItem`) },
        view: { type: ['string', 'null'], description: 'The view that answered (null: the plain list).' },
        pagination: ref('Pagination'),
      },
      ['data', 'view', 'pagination'],
      false,
    ),
    ...batchSchemas(feature),
  };
}

/** Results of the `/batch` routes: `{ success, errors, meta }`. */
function batchSchemas(feature: FeatureModel): Record<string, Schema> {
  const name = pascal(feature.name);
  const result = (success: Schema): Schema =>
    objectOf(
      {
        success: { type: 'array', items: success },
        errors: { type: 'array', items: ref('BatchError') },
        meta: ref('BatchMeta'),
      },
      ['success', 'errors', 'meta'],
      false,
    );
  const { batch } = feature;
  const id = feature.fields.find((f) => f.key === feature.id.key)!;
  return {
    ...(batch.create || batch.update || batch.upsert ? { [`${name}BatchResult`]: result(ref(name)) } : {}),
    ...(batch.delete
      ? { [`${name}BatchDeleteResult`]: result(objectOf({ [id.key]: valueSchema(feature, id) }, [id.key], false)) }
      : {}),
  };
}
