/**
 * @module emitters/openapi/print/lift
 * A JSON Schema made by zod (`z.toJSONSchema` of an action's input or output) placed into the
 * document: its dialect marker dropped, its own `$defs` moved to `components.schemas` as
 * `<name>_<def>`, and its local references (`#` for recursion, `#/$defs/<def>`) pointed at those
 * components, since inside the document `#` means the document itself.
 */
import { ref, type Schema } from './schemas.js';

/** Keywords whose values are data, never schemas; keywords whose keys are names. */
const DATA = new Set(['const', 'enum', 'default', 'examples']);
const NAMED = new Set(['properties', 'patternProperties', '$defs', 'dependentSchemas']);

export interface Lifted {
  /** The schema to use in place (a `$ref` to `components.schemas[name]` when it refers to itself). */
  schema: Schema;
  /** Components it needs: its definitions, and itself when it is recursive. */
  components: Record<string, Schema>;
}

export function lift(source: Record<string, unknown>, name: string): Lifted {
  const { $schema: _dialect, $defs, ...root } = source;
  const defName = (key: string) => `${name}_${key.replace(/[^\w.-]/g, '_')}`;
  let recursive = false;
  const target = (pointer: string): string | null => {
    if (pointer === '#') {
      recursive = true;
      return `#/components/schemas/${name}`;
    }
    const def = /^#\/\$defs\/([^/]+)$/.exec(pointer)?.[1];
    return def === undefined
      ? null
      : `#/components/schemas/${defName(decodeURIComponent(def).replace(/~1/g, '/').replace(/~0/g, '~'))}`;
  };
  const rewrite = (value: unknown, named = false): unknown => {
    if (Array.isArray(value)) return value.map((v) => rewrite(v));
    if (typeof value !== 'object' || value === null) return value;
    return Object.fromEntries(
      Object.entries(value).map(([key, v]) => {
        if (!named && DATA.has(key)) return [key, v];
        if (!named && key === '$ref' && typeof v === 'string') return [key, target(v) ?? v];
        return [key, rewrite(v, !named && NAMED.has(key))];
      }),
    );
  };
  const schema = rewrite(root) as Schema;
  const components: Record<string, Schema> = {};
  for (const [key, def] of Object.entries(($defs ?? {}) as Record<string, unknown>))
    components[defName(key)] = rewrite(def) as Schema;
  if (recursive) components[name] = schema;
  return { schema: recursive ? ref(name) : schema, components };
}
