/**
 * @module compiler/cache/plain
 * Whether a value is plain data that survives the cache's round trip unchanged: primitives,
 * arrays and plain objects only. A function (an inline `execute`, a reference thunk), a class
 * instance (a zod schema, a Drizzle table), a symbol key, a getter or a cycle makes a definition
 * uncacheable: it is then loaded from source on every compile.
 */
export function isPlainData(value: unknown, path: Set<object> = new Set()): boolean {
  if (value === null || value === undefined) return true;
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return true;
    case 'number':
      return true;
    case 'object':
      break;
    default:
      return false;
  }
  const object = value as object;
  if (path.has(object)) return false;
  const proto = Object.getPrototypeOf(object) as unknown;
  const isArray = Array.isArray(object);
  if (!isArray && proto !== Object.prototype && proto !== null) return false;
  if (Object.getOwnPropertySymbols(object).length > 0) return false;
  path.add(object);
  const descriptors = Object.getOwnPropertyDescriptors(object) as Record<string, PropertyDescriptor>;
  for (const [key, descriptor] of Object.entries(descriptors)) {
    if (isArray && key === 'length') continue;
    if (!('value' in descriptor) || !descriptor.enumerable || !isPlainData(descriptor.value, path)) {
      path.delete(object);
      return false;
    }
  }
  path.delete(object);
  return true;
}
