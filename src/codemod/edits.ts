/**
 * @module codemod/edits
 * The edits generators need on object and array literals, as splices in the file's own style:
 * set a property (add it, or replace its value), add an array item, remove either. A new entry of a
 * multi-line literal goes on its own line just before the closing bracket's line, so comments and
 * commented-out entries stay where they are; a one-line literal stays on one line. Anything that
 * is not a literal (a variable, a spread, a call) is a conflict, never a guess.
 */
import { Node, SyntaxKind, type ArrayLiteralExpression, type ObjectLiteralExpression } from 'ts-morph';
import { conflict, propertyName, type ParsedSource } from './source.js';
import { indentAt, lineStart, type Splice } from './splice.js';

export type EditStatus = 'added' | 'updated' | 'unchanged';
export interface Edit {
  status: EditStatus;
  splices: Splice[];
}

export const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/** Splices that append `entry` as the last item of a literal whose items are `items`. */
export function appendEntry(source: ParsedSource, literal: Node, items: Node[], entry: string): Splice[] {
  const { text, style } = source;
  const close = literal.getLastChildByKindOrThrow(
    literal.getKind() === SyntaxKind.ArrayLiteralExpression ? SyntaxKind.CloseBracketToken : SyntaxKind.CloseBraceToken,
  ).getStart();
  const last = items.at(-1);
  const lastComma = last?.getNextSiblingIfKind(SyntaxKind.CommaToken);
  if (!literal.getText().includes('\n')) {
    if (!last) {
      const open = literal.getStart() + 1;
      return [{
        start: open,
        end: close,
        text: literal.getKind() === SyntaxKind.ArrayLiteralExpression ? entry : ` ${entry} `,
      }];
    }
    return lastComma
      ? [{ start: lastComma.getEnd(), end: lastComma.getEnd(), text: ` ${entry},` }]
      : [{ start: last.getEnd(), end: last.getEnd(), text: `, ${entry}` }];
  }
  const closeLine = lineStart(text, close);
  const closeAlone = text.slice(closeLine, close).trim() === '';
  const indent = last ? indentAt(text, last.getStart()) : indentAt(text, close) + style.indent;
  if (!closeAlone) {
    // `{\n  a: 1 }`: the closing bracket shares the last item's line; continue after that item.
    const at = lastComma?.getEnd() ?? last?.getEnd() ?? literal.getStart() + 1;
    return [{ start: at, end: at, text: `${last && !lastComma ? ',' : ''}${style.eol}${indent}${entry}` }];
  }
  // The literal's own habit wins over the file's: a last item without a comma means none after ours.
  const trailing = lastComma ? true : last ? false : style.trailingCommas;
  const splices: Splice[] = [];
  if (last && !lastComma) splices.push({ start: last.getEnd(), end: last.getEnd(), text: ',' });
  splices.push({ start: closeLine, end: closeLine, text: `${indent}${entry}${trailing ? ',' : ''}${style.eol}` });
  return splices;
}

export function asObject(
  source: ParsedSource,
  node: Node | undefined,
  what: string,
  manual: string,
): ObjectLiteralExpression {
  if (node && Node.isObjectLiteralExpression(node)) return node;
  throw conflict(source, node ?? source.file, what, manual);
}

/** Sets `name: value` (value as source text) in an object literal. */
export function setProperty(source: ParsedSource, object: ObjectLiteralExpression, name: string, value: string): Edit {
  const existing = object.getProperties().find((p) => propertyName(p) === name);
  if (existing) {
    if (!Node.isPropertyAssignment(existing)) throw conflict(source, existing, `\`${name}\``, `set ${name}: ${value}`);
    const initializer = existing.getInitializerOrThrow();
    if (initializer.getText() === value) return { status: 'unchanged', splices: [] };
    return { status: 'updated', splices: [{ start: initializer.getStart(), end: initializer.getEnd(), text: value }] };
  }
  const key = IDENTIFIER.test(name) ? name : JSON.stringify(name).replace(/"/g, source.style.quote);
  return { status: 'added', splices: appendEntry(source, object, object.getProperties(), `${key}: ${value}`) };
}

/** Adds an item (source text) to an array literal unless an equal item is there. */
export function addArrayItem(
  source: ParsedSource,
  array: ArrayLiteralExpression,
  item: string,
  same: (element: Node) => boolean,
): Edit {
  if (array.getElements().some(same)) return { status: 'unchanged', splices: [] };
  spreadConflict(source, array, `add ${item} to the array by hand (if the spread does not hold it already)`);
  return { status: 'added', splices: appendEntry(source, array, array.getElements(), item) };
}

/** Removes entry `index` of a literal: its whole line(s) when it stands alone, else the entry and one comma. */
export function removeEntry(source: ParsedSource, entries: Node[], index: number): Edit {
  const { text } = source;
  const entry = entries[index];
  const comma = entry.getNextSiblingIfKind(SyntaxKind.CommaToken);
  const start = lineStart(text, entry.getStart());
  const end = comma?.getEnd() ?? entry.getEnd();
  const lineEnd = text.indexOf('\n', end);
  const rest = text.slice(end, lineEnd < 0 ? text.length : lineEnd).trim();
  if (text.slice(start, entry.getStart()).trim() === '' && (rest === '' || rest.startsWith('//')) && lineEnd >= 0) {
    return { status: 'updated', splices: [{ start, end: lineEnd + 1, text: '' }] };
  }
  if (entries.length === 1) {
    // The only entry of a one-line literal: `{ a: 1 }` becomes `{}`.
    const literal = entry.getParentOrThrow();
    return { status: 'updated', splices: [{ start: literal.getStart() + 1, end: literal.getEnd() - 1, text: '' }] };
  }
  if (comma) {
    let after = comma.getEnd();
    while (text[after] === ' ') after++;
    return { status: 'updated', splices: [{ start: entry.getStart(), end: after, text: '' }] };
  }
  const previous = entries[index - 1];
  return {
    status: 'updated',
    splices: [{ start: previous ? previous.getEnd() : entry.getStart(), end: entry.getEnd(), text: '' }],
  };
}

/** Removes the first matching array item (see removeEntry). */
export function removeArrayItem(
  source: ParsedSource,
  array: ArrayLiteralExpression,
  same: (element: Node) => boolean,
): Edit {
  const elements = array.getElements();
  const index = elements.findIndex(same);
  if (index >= 0) return removeEntry(source, elements, index);
  spreadConflict(source, array, 'remove the entry from what the spread holds, by hand');
  return { status: 'unchanged', splices: [] };
}

/** An array with a spread may hold (or lack) an item where we cannot see it: a conflict. */
function spreadConflict(source: ParsedSource, array: ArrayLiteralExpression, manual: string): void {
  const spread = array.getElements().find((e) => Node.isSpreadElement(e));
  if (spread) throw conflict(source, spread, 'a spread in the array', manual);
}

/** Removes property `name` from an object literal, with its line(s) when it stands alone on them. */
export function removeProperty(source: ParsedSource, object: ObjectLiteralExpression, name: string): Edit {
  const properties = object.getProperties();
  const index = properties.findIndex((p) => propertyName(p) === name);
  return index < 0 ? { status: 'unchanged', splices: [] } : removeEntry(source, properties, index);
}

/** Whether an array element is the string literal `value` (either quote style). */
export const isString = (value: string) => (element: Node) =>
  (Node.isStringLiteral(element) || Node.isNoSubstitutionTemplateLiteral(element))
  && element.getLiteralText() === value;
