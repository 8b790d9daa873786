/**
 * @module codemod/paths
 * Nested object paths as splices: walk `auth: { jwt: { ... } }` down object literals, and set a
 * property at a path, creating what is missing as one nested literal in the deepest object there.
 */
import { Node, type ObjectLiteralExpression } from 'ts-morph';
import { IDENTIFIER, setProperty, type Edit } from './edits.js';
import { conflict, propertyName, type ParsedSource } from './source.js';

/** Where `findPath` stopped: the deepest object literal on the path, and the names not there yet. */
export interface PathEnd {
  object: ObjectLiteralExpression;
  missing: string[];
}

/**
 * Walks `path` down nested object literals from `object` (`["auth", "jwt"]`: `auth: { jwt: {...} }`).
 * A name that is present but is not `name: { ... }`, or that is absent from an object holding a
 * spread (the spread may set it), is a conflict.
 */
export function findPath(
  source: ParsedSource,
  object: ObjectLiteralExpression,
  path: readonly string[],
  manual: string,
): PathEnd {
  let current = object;
  for (const [i, name] of path.entries()) {
    const found = current.getProperties().find((p) => propertyName(p) === name);
    if (!found) {
      const spread = current.getProperties().find((p) => Node.isSpreadAssignment(p));
      if (spread) throw conflict(source, spread, `a spread where \`${name}\` may be set`, manual);
      return { object: current, missing: path.slice(i) };
    }
    const value = Node.isPropertyAssignment(found) ? found.getInitializer() : undefined;
    if (!value || !Node.isObjectLiteralExpression(value))
      throw conflict(source, value ?? found, `\`${path.slice(0, i + 1).join('.')}\``, manual);
    current = value;
  }
  return { object: current, missing: [] };
}

/** `{ a: { b: value } }` for `["a", "b"]` (value as source text), keys quoted only when they must be. */
export function nestedLiteral(source: ParsedSource, path: readonly string[], value: string): string {
  return path.reduceRight(
    (inner, name) =>
      `{ ${IDENTIFIER.test(name) ? name : JSON.stringify(name).replace(/"/g, source.style.quote)}: ${inner} }`,
    value,
  );
}

/**
 * Sets the property at `path` (value as source text), creating what is missing as one nested
 * literal in the deepest object that exists: `auth: { jwt: { revocationCheck: "kv" } }`.
 */
export function setPropertyPath(
  source: ParsedSource,
  object: ObjectLiteralExpression,
  path: readonly string[],
  value: string,
  manual: string,
): Edit {
  const { object: parent, missing } = findPath(source, object, path.slice(0, -1), manual);
  const rest = [...missing, path[path.length - 1]];
  if (rest.length === 1) {
    const spread = parent.getProperties().find((p) => Node.isSpreadAssignment(p));
    if (spread && !parent.getProperties().some((p) => propertyName(p) === rest[0]))
      throw conflict(source, spread, `a spread where \`${rest[0]}\` may be set`, manual);
    return setProperty(source, parent, rest[0], value);
  }
  return setProperty(source, parent, rest[0], nestedLiteral(source, rest.slice(1), value));
}
