/**
 * @module compiler/load/locate
 * Maps a diagnostic's definition path (`features.todos.crud.delete.access.roles[0]`) back to the
 * line and column of that property in the user's file, so a terminal can jump to it. It reads the
 * file's syntax tree only (no type checking), from the default export's object literal down; when
 * the path goes further than the source spells out, the deepest property found is the position.
 * Only runs when there are errors, so a clean compile never parses anything here.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ts } from 'ts-morph';
import type { Diagnostic } from '../../shared/diagnostics.js';

type Segment = string | number;

const SEGMENT = /(?:^|\.)([A-Za-z_$][\w$]*)|\[(\d+)\]|\[("(?:[^"\\]|\\.)*")\]/g;

/** `a.b[0]["x-y"]` → `["a", "b", 0, "x-y"]`. */
export function parsePath(at: string): Segment[] {
  return [...at.matchAll(SEGMENT)].map((
    m,
  ) => (m[1] ?? (m[2] !== undefined ? Number(m[2]) : (JSON.parse(m[3]) as string))));
}

/** `x as never`, `(x)`, `x satisfies T`, `x!` → `x`; a call → its last object-literal argument. */
function unwrap(node: ts.Node): ts.Node {
  let current = node;
  for (;;) {
    if (
      ts.isAsExpression(current) || ts.isSatisfiesExpression(current) || ts.isParenthesizedExpression(current)
      || ts.isNonNullExpression(current) || ts.isTypeAssertionExpression(current)
    ) current = current.expression;
    else if (ts.isCallExpression(current)) {
      const objects = current.arguments.filter((arg) => ts.isObjectLiteralExpression(unwrapPlain(arg)));
      if (objects.length === 0) return current;
      current = objects[objects.length - 1];
    } else return current;
  }
}

function unwrapPlain(node: ts.Node): ts.Node {
  return ts.isAsExpression(node) || ts.isSatisfiesExpression(node) || ts.isParenthesizedExpression(node)
    ? unwrapPlain(node.expression)
    : node;
}

function propertyName(name: ts.PropertyName): string | undefined {
  return ts.isIdentifier(name) || ts.isStringLiteral(name) || ts.isNumericLiteral(name) ? name.text : undefined;
}

/** One step down: the property or element named by `segment`, or undefined. */
function child(node: ts.Node, segment: Segment): ts.Node | undefined {
  const value = unwrap(node);
  if (ts.isObjectLiteralExpression(value)) {
    return value.properties.find((p) => p.name !== undefined && propertyName(p.name) === String(segment));
  }
  if (ts.isArrayLiteralExpression(value) && typeof segment === 'number') return value.elements[segment];
  return undefined;
}

function valueOf(node: ts.Node): ts.Node {
  return ts.isPropertyAssignment(node) ? node.initializer : node;
}

/** The deepest node along `segments` from `root`, and how many segments it matched. */
function walk(root: ts.Node, segments: readonly Segment[]): { node: ts.Node; matched: number } {
  let node = root;
  let matched = 0;
  for (const segment of segments) {
    const next = child(valueOf(node), segment);
    if (!next) break;
    node = next;
    matched++;
  }
  return { node, matched };
}

/** 1-based line and column of `at` inside the source text, or undefined when nothing matches. */
export function locateInSource(
  text: string,
  fileName: string,
  at: string,
): { line: number; column: number } | undefined {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const exported = source.statements.find(ts.isExportAssignment);
  if (!exported) return undefined;
  const segments = parsePath(at);
  let found = walk(exported.expression, segments);
  if (found.matched === 0 && segments[0] === 'features' && segments.length > 2)
    found = walk(exported.expression, segments.slice(2));
  if (found.matched === 0) return undefined;
  const target = ts.isPropertyAssignment(found.node) || ts.isShorthandPropertyAssignment(found.node)
    ? found.node.name
    : found.node;
  const { line, character } = source.getLineAndCharacterOfPosition(target.getStart(source));
  return { line: line + 1, column: character + 1 };
}

/** Diagnostics with `file` + `at` but no line get the position of that property in their file. */
export function locateDiagnostics(root: string, diagnostics: readonly Diagnostic[]): Diagnostic[] {
  const texts = new Map<string, string | null>();
  const read = (file: string): string | null => {
    if (!texts.has(file)) {
      try {
        texts.set(file, readFileSync(path.resolve(root, file), 'utf8'));
      } catch {
        texts.set(file, null);
      }
    }
    return texts.get(file) ?? null;
  };
  return diagnostics.map((d) => {
    if (d.line !== undefined || !d.file || !d.at || !/\.[cm]?[tj]s$/.test(d.file)) return d;
    const text = read(d.file);
    const position = text === null ? undefined : locateInSource(text, d.file, d.at);
    return position ? { ...d, ...position } : d;
  });
}
