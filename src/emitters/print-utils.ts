/**
 * @module emitters/print-utils
 * Small deterministic printing helpers shared by the printers.
 */
import path from 'node:path';

/** An object key as written by hand: bare when it is an identifier, quoted otherwise. */
export const propertyKey = (key: string): string => (/^[A-Za-z_$][\w$]*$/.test(key) ? key : JSON.stringify(key));

/** Arrays of scalars at most this long (as one line) print on one line. */
const SHORT_ARRAY = 80;

/**
 * A value as a TypeScript literal, the way a person writes it: identifier keys bare, short arrays
 * of scalars on one line, keys in declared order; `indent` 0 prints it all on one line. Values
 * follow JSON (undefined properties dropped, toJSON honoured, non-finite numbers as null).
 */
export function literal(value: unknown, indent = 2): string {
  return print(value, indent, '');
}

function print(value: unknown, indent: number, pad: string): string {
  if (value !== null && typeof value === 'object' && typeof (value as { toJSON?: unknown }).toJSON === 'function') {
    return print((value as { toJSON: () => unknown }).toJSON(), indent, pad);
  }
  if (value === null || typeof value !== 'object') return scalar(value);
  const inner = indent === 0 ? '' : pad + ' '.repeat(indent);
  const wrap = (open: string, items: string[], close: string) => {
    if (items.length === 0) return open + close;
    if (indent === 0) return open === '[' ? `[${items.join(', ')}]` : `{ ${items.join(', ')} }`;
    return `${open}\n${items.map((item) => inner + item).join(',\n')}\n${pad}${close}`;
  };
  if (Array.isArray(value)) {
    const items = value.map((
      item,
    ) => (item === undefined || typeof item === 'function' ? 'null' : print(item, indent, inner)));
    const flat = items.every((item) => !/^[[{]/.test(item));
    const line = `[${items.join(', ')}]`;
    return flat && line.length <= SHORT_ARRAY ? line : wrap('[', items, ']');
  }
  const items = Object.entries(value)
    .filter(([, v]) => v !== undefined && typeof v !== 'function')
    .map(([k, v]) => `${propertyKey(k)}: ${print(v, indent, inner)}`);
  return wrap('{', items, '}');
}

const scalar = (value: unknown): string =>
  typeof value === 'number' && !Number.isFinite(value) ? 'null' : (JSON.stringify(value) ?? 'undefined');

/** A flat object as a one-line literal: `{ key: "id", system: true }` (values as JSON). */
export function inlineLiteral(value: Record<string, unknown>): string {
  const parts = Object.entries(value)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${propertyKey(k)}: ${JSON.stringify(v)}`);
  return parts.length === 0 ? '{}' : `{ ${parts.join(', ')} }`;
}

/** Indents every line but the first by `spaces`. */
export function indentTail(text: string, spaces: number): string {
  const pad = ' '.repeat(spaces);
  return text.split('\n').map((line, i) => (i === 0 || line === '' ? line : pad + line)).join('\n');
}

/** Relative module specifier from one generated file to another, with the `.js` suffix NodeNext wants. */
export function importPath(fromFile: string, toFile: string): string {
  const rel = path.posix.relative(path.posix.dirname(fromFile), toFile).replace(/\.ts$/, '.js');
  return rel.startsWith('.') ? rel : `./${rel}`;
}

/**
 * A name as a generated file imports it: `apiError`, `type Row` (a type only) or
 * `emitWebhookEvent as emit`; false, null and undefined are names left out.
 */
export type ImportName = string | false | undefined | null;

/**
 * One import statement: `import { a, type B } from "x";`, names sorted, each once (a value import
 * covers the type import of the same name), `import type { … }` when `typeOnly` or when every name
 * is a type (no transpiler keeps it as a side-effect import); false when there is no name.
 */
export function importFrom(from: string, names: Iterable<ImportName>, typeOnly = false): string | false {
  const byName = new Map<string, string>();
  for (const entry of names) {
    if (!entry) continue;
    const isType = typeOnly || entry.startsWith('type ');
    const clause = entry.startsWith('type ') ? entry.slice(5) : entry;
    const previous = byName.get(clause);
    if (previous === undefined || previous.startsWith('type ')) byName.set(clause, isType ? `type ${clause}` : clause);
  }
  if (byName.size === 0) return false;
  const clauses = [...byName.keys()].sort();
  const allTypes = clauses.every((clause) => byName.get(clause)!.startsWith('type '));
  const list = allTypes ? clauses : clauses.map((clause) => byName.get(clause)!);
  return `import ${allTypes ? 'type ' : ''}{ ${list.join(', ')} } from ${JSON.stringify(from)};`;
}

/** A module and the names a generated file imports from it (see ImportName). */
export type ImportSpec = readonly [from: string, names: readonly ImportName[]];

/**
 * Named imports gathered from several parts of a printer: one statement per module, in the order
 * the modules are first named (see importFrom); false, null and undefined are specs left out.
 */
export function namedImports(specs: Iterable<ImportSpec | false | undefined | null>): string[] {
  const byModule = new Map<string, ImportName[]>();
  for (const spec of specs) if (spec) byModule.set(spec[0], [...(byModule.get(spec[0]) ?? []), ...spec[1]]);
  return [...byModule].flatMap(([from, names]) => importFrom(from, names) || []);
}

/** `import { a, b } from "x";` with sorted names (see importFrom; names are never empty here). */
export function importLine(names: string[], from: string, typeOnly = false): string {
  return importFrom(from, names, typeOnly) || `import {} from ${JSON.stringify(from)};`;
}

/** Where generated code imports the runtime: the app's package.json `imports` entry for src/lib/quickback/index.ts. */
export const RUNTIME_SPECIFIER = '#quickback';

/** A runtime name (see ImportName). */
export type RuntimeName = ImportName;

/** A generated file's one import of the runtime: `import { apiError, type Row } from "#quickback";` (see importFrom). */
export function runtimeImport(names: Iterable<RuntimeName>): string | false {
  return importFrom(RUNTIME_SPECIFIER, names);
}

/**
 * Joins file sections, one per line, ending with a newline. An empty string is a blank line the
 * printer asks for; false, null and undefined are sections left out.
 */
export function lines(...sections: (string | false | undefined | null)[]): string {
  return sections.filter((s): s is string => typeof s === 'string').join('\n') + '\n';
}
