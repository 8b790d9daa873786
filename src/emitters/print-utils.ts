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

/** `import { a, b } from "x";` with sorted names. */
export function importLine(names: string[], from: string, typeOnly = false): string {
  return `import ${typeOnly ? 'type ' : ''}{ ${[...new Set(names)].sort().join(', ')} } from ${JSON.stringify(from)};`;
}

/** Where generated code imports the runtime: the app's package.json `imports` entry for src/lib/quickback/index.ts. */
export const RUNTIME_SPECIFIER = '#quickback';

/**
 * A runtime name as a generated file imports it: `apiError`, `type Row` (a type only) or
 * `emitWebhookEvent as emit`; false, null and undefined are names left out.
 */
export type RuntimeName = string | false | undefined | null;

/**
 * A generated file's one import of the runtime: `import { apiError, type Row } from "#quickback";`,
 * names sorted, each once (a value import covers the type import of the same name), `import type`
 * when all are types; false when the file imports none.
 */
export function runtimeImport(names: Iterable<RuntimeName>): string | false {
  const byName = new Map<string, string>();
  for (const entry of names) {
    if (!entry) continue;
    const isType = entry.startsWith('type ');
    const clause = isType ? entry.slice(5) : entry;
    const previous = byName.get(clause);
    if (previous === undefined || previous.startsWith('type ')) byName.set(clause, isType ? entry : clause);
  }
  if (byName.size === 0) return false;
  const sorted = [...byName.keys()].sort().map((clause) => byName.get(clause)!);
  // Types only: `import type`, which no transpiler keeps as a side-effect import of the runtime.
  if (sorted.every((entry) => entry.startsWith('type ')))
    return importLine([...byName.keys()], RUNTIME_SPECIFIER, true);
  return `import { ${sorted.join(', ')} } from ${JSON.stringify(RUNTIME_SPECIFIER)};`;
}

/**
 * Joins file sections, one per line, ending with a newline. An empty string is a blank line the
 * printer asks for; false, null and undefined are sections left out.
 */
export function lines(...sections: (string | false | undefined | null)[]): string {
  return sections.filter((s): s is string => typeof s === 'string').join('\n') + '\n';
}
