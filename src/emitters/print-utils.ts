/**
 * @module emitters/print-utils
 * Small deterministic printing helpers shared by the printers.
 */
import path from 'node:path';

/** A value as a TypeScript literal (JSON is valid TS; keys keep declared order). */
export function literal(value: unknown, indent = 2): string {
  return JSON.stringify(value, null, indent);
}

/** A flat object as a one-line literal: `{ key: "id", system: true }` (values as JSON). */
export function inlineLiteral(value: Record<string, unknown>): string {
  const parts = Object.entries(value)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${/^[A-Za-z_$][\w$]*$/.test(k) ? k : JSON.stringify(k)}: ${JSON.stringify(v)}`);
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

/** Joins file sections with one blank line, ending with a newline. */
export function lines(...sections: (string | false | undefined | null)[]): string {
  return sections.filter((s): s is string => typeof s === 'string' && s.length > 0).join('\n') + '\n';
}
