/**
 * @module emitters/hono/print/zod-from-json-schema
 * Prints zod code from the JSON Schema of an action's input (which load took from the user's own
 * zod schema), so the generated app validates exactly what the definition declared without
 * importing it. Query-string inputs coerce numbers and booleans. A construct this printer does not
 * know is an error naming the action and field, never a silently looser schema.
 */
import { QuickbackError } from '../../../shared/errors.js';

type Schema = Record<string, unknown>;
interface Where {
  action: string;
  file: string;
  query: boolean;
}

const FORMATS: Record<string, string> = {
  email: 'z.email()',
  uri: 'z.url()',
  uuid: 'z.uuid()',
  'date-time': 'z.iso.datetime({ offset: true })',
  date: 'z.iso.date()',
};

function fail(where: Where, at: string, what: string): never {
  throw new QuickbackError(
    'QB_VALIDATE_NOT_SUPPORTED',
    `The input of action "${where.action}" uses ${what} at "${
      at || '(root)'
    }", which the generated app cannot check yet`,
    {
      file: where.file,
      hint:
        'Use objects, strings (length, email, url, uuid, datetime), numbers, integers, booleans, enums, literals, arrays and nullable/optional.',
    },
  );
}

const bound = (
  name: string,
  value: unknown,
) => (typeof value === 'number' && Math.abs(value) < Number.MAX_SAFE_INTEGER ? `.${name}(${value})` : '');

function scalar(schema: Schema, type: string, where: Where, at: string): string {
  switch (type) {
    case 'string': {
      // zod writes the exact pattern of its formats; when there is one it is the whole truth.
      const pattern = typeof schema.pattern === 'string' ? `.regex(new RegExp(${JSON.stringify(schema.pattern)}))` : '';
      if (!pattern && schema.format !== undefined && !FORMATS[String(schema.format)])
        fail(where, at, `string format "${schema.format}"`);
      const base = !pattern && schema.format ? FORMATS[String(schema.format)] : 'z.string()';
      return base + bound('min', schema.minLength) + bound('max', schema.maxLength) + pattern;
    }
    case 'integer':
    case 'number': {
      const base = `${where.query ? 'z.coerce.number()' : 'z.number()'}${type === 'integer' ? '.int()' : ''}`;
      return base + bound('min', schema.minimum) + bound('max', schema.maximum) + bound('gt', schema.exclusiveMinimum)
        + bound('lt', schema.exclusiveMaximum);
    }
    case 'boolean':
      return where.query ? 'z.enum(["true", "false"]).transform((v) => v === "true")' : 'z.boolean()';
    case 'null':
      return 'z.null()';
    case 'array': {
      if (typeof schema.items !== 'object' || schema.items === null) fail(where, at, 'an array without items');
      return `z.array(${print(schema.items as Schema, where, `${at}[]`)})${bound('min', schema.minItems)}${
        bound('max', schema.maxItems)
      }`;
    }
    case 'object':
      return object(schema, where, at);
    default:
      return fail(where, at, `type "${type}"`);
  }
}

function object(schema: Schema, where: Where, at: string): string {
  const properties = (schema.properties ?? {}) as Record<string, Schema>;
  const required = new Set((schema.required ?? []) as string[]);
  const entries = Object.entries(properties).map(([key, value]) => {
    const inner = print(value, where, at ? `${at}.${key}` : key);
    return `${JSON.stringify(key)}: ${inner}${required.has(key) ? '' : '.optional()'}`;
  });
  return `z.${schema.additionalProperties === false ? 'strictObject' : 'object'}({${
    entries.length > 0 ? ` ${entries.join(', ')} ` : ''
  }})`;
}

export function print(schema: Schema, where: Where, at = ''): string {
  const known = new Set([
    '$schema',
    'type',
    'properties',
    'required',
    'additionalProperties',
    'items',
    'enum',
    'const',
    'format',
    'pattern',
    'minLength',
    'maxLength',
    'minimum',
    'maximum',
    'exclusiveMinimum',
    'exclusiveMaximum',
    'minItems',
    'maxItems',
    'description',
    'default',
  ]);
  const unknown = Object.keys(schema).filter((k) => !known.has(k));
  if (unknown.length > 0) fail(where, at, `"${unknown[0]}"`);
  if (Array.isArray(schema.enum)) return `z.enum(${JSON.stringify(schema.enum)})`;
  if (schema.const !== undefined) return `z.literal(${JSON.stringify(schema.const)})`;
  const types = Array.isArray(schema.type) ? (schema.type as string[]) : [schema.type as string];
  const nullable = types.includes('null') && types.length > 1;
  const main = types.filter((t) => t !== 'null');
  if (main.length !== 1) fail(where, at, 'a union of types');
  return scalar(schema, main[0], where, at) + (nullable ? '.nullable()' : '');
}

/** The zod code of an action input (an object schema). */
export function zodFromJsonSchema(schema: Schema, where: Where): string {
  if (schema.type !== 'object') fail(where, '', 'a non-object input');
  return print(schema, where);
}
