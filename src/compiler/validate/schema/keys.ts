/**
 * @module compiler/validate/schema/keys
 * Walks a zod schema along an issue path to list the keys valid at that point, so an unknown
 * key can be answered with "Did you mean ...?" computed from the real option names.
 */
import type * as z from 'zod';

interface Def {
  type: string;
  shape?: Record<string, z.core.$ZodType>;
  innerType?: z.core.$ZodType;
  options?: readonly z.core.$ZodType[];
  element?: z.core.$ZodType;
  valueType?: z.core.$ZodType;
  getter?: () => z.core.$ZodType;
  in?: z.core.$ZodType;
  out?: z.core.$ZodType;
}

const WRAPPERS = new Set(['optional', 'nullable', 'default', 'prefault', 'catch', 'readonly', 'nonoptional']);

function defOf(schema: z.core.$ZodType): Def {
  return schema._zod.def as unknown as Def;
}

/** The schema with optional/default/lazy wrappers removed. */
function unwrap(schema: z.core.$ZodType): z.core.$ZodType {
  let current = schema;
  for (let i = 0; i < 32; i++) {
    const def = defOf(current);
    if (WRAPPERS.has(def.type) && def.innerType) current = def.innerType;
    else if (def.type === 'lazy' && def.getter) current = def.getter();
    else break;
  }
  return current;
}

/** The schemas reached by following `path` (several when a union branches). */
function schemasAt(schema: z.core.$ZodType, path: readonly PropertyKey[]): z.core.$ZodType[] {
  const current = unwrap(schema);
  const def = defOf(current);
  if (def.type === 'union' && def.options) return def.options.flatMap((option) => schemasAt(option, path));
  if (def.type === 'pipe') return [def.in, def.out].flatMap((side) => (side ? schemasAt(side, path) : []));
  if (path.length === 0) return [current];
  const [head, ...rest] = path;
  if (def.type === 'object' && def.shape) {
    const next = def.shape[String(head)];
    return next ? schemasAt(next, rest) : [];
  }
  if (def.type === 'array' && def.element) return schemasAt(def.element, rest);
  if (def.type === 'record' && def.valueType) return schemasAt(def.valueType, rest);
  return [];
}

/** The object keys a schema accepts at `path`, in declaration order. */
export function keysAt(schema: z.core.$ZodType, path: readonly PropertyKey[]): string[] {
  const keys = new Set<string>();
  for (const found of schemasAt(schema, path)) {
    const def = defOf(found);
    if (def.type === 'object' && def.shape) Object.keys(def.shape).forEach((key) => keys.add(key));
  }
  return [...keys];
}

/**
 * Every object key a schema accepts anywhere (depth-limited), with the path to the object that
 * holds it, so an option written at the wrong level can be pointed to where it belongs.
 */
export function allKeys(schema: z.core.$ZodType, maxDepth = 6): { key: string; path: PropertyKey[] }[] {
  const out: { key: string; path: PropertyKey[] }[] = [];
  const seen = new Set<z.core.$ZodType>();
  const visit = (node: z.core.$ZodType, path: PropertyKey[]): void => {
    const current = unwrap(node);
    if (seen.has(current) || path.length > maxDepth) return;
    seen.add(current);
    const def = defOf(current);
    if (def.type === 'union' && def.options) def.options.forEach((option) => visit(option, path));
    else if (def.type === 'pipe') [def.in, def.out].forEach((side) => side && visit(side, path));
    else if (def.type === 'object' && def.shape) {
      for (const [key, value] of Object.entries(def.shape)) {
        out.push({ key, path });
        visit(value, [...path, key]);
      }
    }
  };
  visit(schema, []);
  return out;
}
