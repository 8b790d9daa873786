/**
 * @module codemod/style
 * The style a user's file is written in, read from the file itself, so inserted text looks like
 * the rest: indentation unit (tabs or N spaces), quote character, semicolons, trailing commas in
 * multi-line lists, and line endings. Each is the majority of what the file already does, with
 * Prettier's defaults (2 spaces, double quotes, semicolons, trailing commas, LF) for a tie.
 */
import { SyntaxKind, type SourceFile, type ts } from 'ts-morph';

const STATEMENTS = new Set([
  SyntaxKind.ImportDeclaration,
  SyntaxKind.ExportAssignment,
  SyntaxKind.VariableStatement,
  SyntaxKind.ExpressionStatement,
  SyntaxKind.ReturnStatement,
  SyntaxKind.ExportDeclaration,
]);

export interface FileStyle {
  indent: string;
  quote: '"' | "'";
  semicolons: boolean;
  trailingCommas: boolean;
  eol: '\n' | '\r\n';
}

function indentUnit(lines: string[]): string {
  let tabs = 0;
  const widths = new Map<number, number>();
  let previous = 0;
  for (const line of lines) {
    if (!line.trim()) continue;
    const lead = /^[\t ]*/.exec(line)![0];
    if (lead.startsWith('\t')) {
      tabs++;
      continue;
    }
    const width = lead.length;
    const step = Math.abs(width - previous);
    if (step > 0 && step <= 8) widths.set(step, (widths.get(step) ?? 0) + 1);
    previous = width;
  }
  const spaces = [...widths.values()].reduce((a, b) => a + b, 0);
  if (tabs > spaces) return '\t';
  const best = [...widths].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0];
  return ' '.repeat(best?.[0] ?? 2);
}

/** Reads the style from the parsed file: string literals, statement ends, multi-line lists. */
export function detectStyle(file: SourceFile): FileStyle {
  const text = file.getFullText();
  const crlf = (text.match(/\r\n/g) ?? []).length;
  const lf = (text.match(/\n/g) ?? []).length - crlf;
  let singles = 0;
  let doubles = 0;
  for (const literal of file.getDescendantsOfKind(SyntaxKind.StringLiteral)) {
    if (literal.getText().startsWith("'")) singles++;
    else doubles++;
  }
  let withSemi = 0;
  let without = 0;
  file.forEachDescendant((node) => {
    if (!STATEMENTS.has(node.getKind())) return;
    if (node.getText().endsWith(';')) withSemi++;
    else without++;
  });
  let commas = 0;
  let bare = 0;
  for (const list of [
    ...file.getDescendantsOfKind(SyntaxKind.ObjectLiteralExpression),
    ...file.getDescendantsOfKind(SyntaxKind.ArrayLiteralExpression),
  ]) {
    const items = list.compilerNode.kind === SyntaxKind.ObjectLiteralExpression
      ? (list.compilerNode as ts.ObjectLiteralExpression).properties
      : (list.compilerNode as ts.ArrayLiteralExpression).elements;
    if (items.length === 0 || !list.getText().includes('\n')) continue;
    if (items.hasTrailingComma) commas++;
    else bare++;
  }
  return {
    indent: indentUnit(text.split(/\r?\n/)),
    quote: singles > doubles ? "'" : '"',
    semicolons: withSemi >= without,
    trailingCommas: commas >= bare,
    eol: crlf > lf ? '\r\n' : '\n',
  };
}

/** A string literal in the file's quote style. */
export function quoted(value: string, style: FileStyle): string {
  const escaped = value.replace(/\\/g, '\\\\').replace(new RegExp(style.quote, 'g'), `\\${style.quote}`);
  return `${style.quote}${escaped}${style.quote}`;
}
