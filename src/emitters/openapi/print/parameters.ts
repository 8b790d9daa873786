/**
 * @module emitters/openapi/print/parameters
 * Query parameters of the list routes (the language of runtime/list.ts): the shared ones as
 * `components.parameters`, and per feature (or view) one `<key>` / `<key>.<op>` filter per
 * allowed operator of each filterable field.
 */
import type { FeatureModel, FieldModel, ViewModel } from '../../../compiler/model/ir.js';
import { inputSchema, type Schema } from './schemas.js';

/** Filter operators, in the order runtime/list.ts lists them. */
export const OPERATORS = ['eq', 'ne', 'gt', 'gte', 'lt', 'lte', 'in', 'like', 'isNull', 'between'] as const;

/** Names the list reads itself or leaves to the API key (runtime/list.ts RESERVED_PARAMS; a unit test keeps the two equal): never filters. */
export const RESERVED = new Set([
  'limit',
  'offset',
  'sort',
  'order',
  'fields',
  'search',
  'total',
  'view',
  'organizationId',
  'api_key',
  'key',
]);

const query = (name: string, schema: Schema, description: string): Schema => ({
  name,
  in: 'query',
  required: false,
  description,
  schema,
});
const header = (name: string, description: string): Schema => ({
  name,
  in: 'header',
  required: false,
  description,
  schema: { type: 'string' },
});

/** Shared parameters, referenced as `#/components/parameters/<name>`. */
export function sharedParameters(): Record<string, Schema> {
  return {
    limit: query(
      'limit',
      { type: 'integer', minimum: 1, maximum: 100, default: 50 },
      'Rows per page (clamped to 1..100).',
    ),
    offset: query('offset', { type: 'integer', minimum: 0, default: 0 }, 'Rows to skip.'),
    sort: query(
      'sort',
      { type: 'string' },
      'Comma-separated sort keys; a leading `-` sorts descending (`-createdAt,title`). Unknown keys are ignored.',
    ),
    order: query('order', { type: 'string', enum: ['asc', 'desc'] }, 'Direction for a single bare sort key.'),
    fields: query('fields', { type: 'string' }, 'Comma-separated projection; the id is always included.'),
    search: query(
      'search',
      { type: 'string' },
      'Case-insensitive substring match over the searchable fields; at most 48 bytes (UTF-8, each %, _ or \\ counts twice), else 400.',
    ),
    total: query('total', { type: 'boolean', default: false }, 'Also count every matching row (`pagination.total`).'),
    organizationId: query(
      'organizationId',
      { type: 'string' },
      'Address an organization other than the active one (platform admins, or members without an active organization).',
    ),
    IdempotencyKey: {
      name: 'Idempotency-Key',
      in: 'header',
      required: false,
      schema: { type: 'string', pattern: '^[A-Za-z0-9_.:-]{1,255}$' },
      description:
        'Makes a retry safe (signed-in callers): the first response to this key is stored for 24 hours, per caller and organization, and answered again to every retry with `Idempotent-Replayed: true`. '
        + 'The same key with another method, path or body is 409 IDEMPOTENCY_KEY_REUSED; while the first request runs, 409 IDEMPOTENCY_KEY_IN_PROGRESS; after it was interrupted before its response was stored, 409 IDEMPOTENCY_KEY_INTERRUPTED (`details.written: true` when it did write); a malformed key, 400 IDEMPOTENCY_KEY_INVALID. '
        + 'On PostgreSQL the key, the write and the stored response commit together. On SQLite, D1 and Neon HTTP the key is reserved before the write and its response stored after it, and create, PUT, PATCH, DELETE and batch writes mark the key in their own atomic unit: after an interruption a retry runs again when nothing was written, or answers the response rebuilt from the records, replayed. Responses of 500 and above are not stored.',
    },
    ifMatch: header(
      'If-Match',
      'Apply only while the record still has one of these ETags (as its GET sent them; `W/` is ignored: weak comparison), or `*`: only while it exists. Otherwise 412 PRECONDITION_FAILED and nothing changes.',
    ),
    ifNoneMatch: header(
      'If-None-Match',
      '`*`: only create (412 PRECONDITION_FAILED when the record exists); a list of ETags: only while the record has none of them.',
    ),
  };
}

export const paramRef = (name: string): Schema => ({ $ref: `#/components/parameters/${name}` });

function operatorSchema(feature: FeatureModel, field: FieldModel, op: (typeof OPERATORS)[number]): Schema {
  if (op === 'isNull') return { type: 'boolean' };
  if (op === 'in') return { type: 'string', description: 'Comma-separated values, at most 100.' };
  if (op === 'between') return { type: 'string', description: 'Two comma-separated values: `low,high` (inclusive).' };
  if (op === 'like')
    return {
      type: 'string',
      description: 'Case-insensitive substring; at most 48 bytes (UTF-8, each %, _ or \\ counts twice).',
    };
  const value = inputSchema(feature, field);
  const { format: _format, minLength: _min, maxLength: _max, ...plain } = value;
  return Array.isArray(plain.type)
    ? {
      ...plain,
      type: plain.type[0],
      ...(Array.isArray(plain.enum) ? { enum: plain.enum.filter((v) => v !== null) } : {}),
    }
    : plain;
}

/** Operators a list accepts on a field: the view's allowlist (every operator) or the field's own. */
function operatorsOf(field: FieldModel, view: ViewModel | undefined): readonly (typeof OPERATORS)[number][] {
  if (view?.query.filterable) return view.query.filterable.includes(field.key) ? OPERATORS : [];
  if (field.filterable === true) return OPERATORS;
  return field.filterable === false ? [] : OPERATORS.filter((op) => (field.filterable as string[]).includes(op));
}

export function filterParameters(feature: FeatureModel, view: ViewModel | undefined): Schema[] {
  const out: Schema[] = [];
  for (const field of feature.fields.filter((f) => !RESERVED.has(f.key))) {
    const masked = feature.masking[field.key]
      ? ` Needs one of the roles ${feature.masking[field.key].query.roles.join(', ') || '(none)'} (masked column).`
      : '';
    for (const op of operatorsOf(field, view)) {
      const name = op === 'eq' ? field.key : `${field.key}.${op}`;
      out.push(query(name, operatorSchema(feature, field, op), `Filter: ${field.key} ${op}.${masked}`));
    }
  }
  return out;
}

/** Every parameter of a list: the shared ones, `view` (when the feature has views) and the filters. */
export function listParameters(feature: FeatureModel, view: ViewModel | undefined, viaPath: boolean): Schema[] {
  const names = feature.views.map((v) => v.name);
  const viewParam = names.length > 0 && !viaPath
    ? [
      query(
        'view',
        { type: 'string', enum: names },
        `Named view (projection, access and query allowlists of its own).${
          feature.defaultView ? ` Default: ${feature.defaultView}.` : ' Required: this list has views and no default.'
        }`,
      ),
    ]
    : [];
  const shared = ['limit', 'offset', 'sort', 'order', ...(view ? [] : ['fields']), 'search', 'total', 'organizationId'];
  return [...shared.map(paramRef), ...viewParam, ...filterParameters(feature, view)];
}
