/**
 * @module scripts/docs/schema
 * A zod schema as rows of (dotted path, type, required), through zod's own JSON Schema output:
 * objects are walked, unions read `a | b`, records `Record<string, T>`, arrays of objects `x[].y`.
 */
import * as z from 'zod';

type Json = Record<string, any>;
export interface Row {
  path: string;
  type: string;
  required: boolean;
}

/** Bounds as written in the schema; zod's implicit safe-integer bounds are left out. */
function range(s: Json): string {
  const safe = (n: unknown) => (typeof n === 'number' && Math.abs(n) < Number.MAX_SAFE_INTEGER ? n : undefined);
  const lo = safe(s.minimum);
  const hi = safe(s.maximum);
  if (lo !== undefined && hi !== undefined) return ` ${lo}–${hi}`;
  if (safe(s.exclusiveMinimum) !== undefined) return ` > ${s.exclusiveMinimum}`;
  if (lo !== undefined) return ` ≥ ${lo}`;
  return hi !== undefined ? ` ≤ ${hi}` : '';
}

export function typeOf(s: Json): string {
  if (s.const !== undefined) return JSON.stringify(s.const);
  if (Array.isArray(s.enum)) return s.enum.map((v: unknown) => JSON.stringify(v)).join(' | ');
  if (Array.isArray(s.anyOf)) return s.anyOf.map(typeOf).join(' | ');
  switch (s.type) {
    case 'array': {
      const item = s.items ? typeOf(s.items) : 'unknown';
      return item.includes('|') ? `(${item})[]` : `${item}[]`;
    }
    case 'object':
      if (s.properties) return 'object';
      if (s.additionalProperties && typeof s.additionalProperties === 'object')
        return `Record<string, ${typeOf(s.additionalProperties)}>`;
      return 'object';
    case 'string':
      return s.minLength ? 'string (non-empty)' : 'string';
    case 'integer':
    case 'number':
      return `${s.type}${range(s)}`;
    case 'boolean':
      return 'boolean';
    default:
      return 'any';
  }
}

/** The object branches of a schema whose properties are worth their own rows. */
function objects(s: Json): Json[] {
  if (s.type === 'object' && s.properties) return [s];
  if (s.type === 'array' && s.items) return objects(s.items);
  return Array.isArray(s.anyOf) ? s.anyOf.flatMap(objects) : [];
}

export function rowsOf(s: Json, prefix: string, skip: readonly string[] = []): Row[] {
  const out: Row[] = [];
  for (const object of objects(s)) {
    const required = new Set<string>(object.required ?? []);
    for (const [key, child] of Object.entries<Json>(object.properties)) {
      if (skip.includes(key)) continue;
      const path = prefix ? `${prefix}.${key}` : key;
      if (out.some((r) => r.path === path)) continue;
      out.push({ path, type: typeOf(child), required: required.has(key) });
      out.push(...rowsOf(child, child.type === 'array' ? `${path}[]` : path));
    }
  }
  return out;
}

export function jsonSchema(schema: z.ZodType): Json {
  return z.toJSONSchema(schema, { unrepresentable: 'any', io: 'input' }) as Json;
}
