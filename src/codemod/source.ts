/**
 * @module codemod/source
 * Parsing a user's file for a codemod: one ts-morph Project per process (in memory, no type
 * checker, no tsconfig), a refusal (QB_GEN_PARSE) when the file does not parse, and lookups of
 * the nodes generators edit. ts-morph only locates; edits are splices (see splice.ts).
 */
import {
  Node,
  Project,
  SyntaxKind,
  type CallExpression,
  type ObjectLiteralExpression,
  type SourceFile,
} from 'ts-morph';
import { QuickbackError } from '../shared/errors.js';
import { lineOf } from './splice.js';
import { detectStyle, type FileStyle } from './style.js';

let project: Project | undefined;

export interface ParsedSource {
  path: string;
  text: string;
  file: SourceFile;
  style: FileStyle;
}

export function parseSource(path: string, text: string): ParsedSource {
  project ??= new Project({
    useInMemoryFileSystem: true,
    skipAddingFilesFromTsConfig: true,
    skipFileDependencyResolution: true,
    compilerOptions: { allowJs: true, noLib: true, noResolve: true, types: [] },
  });
  const file = project.createSourceFile(`/${path.replace(/^\/+/, '')}`, text, { overwrite: true });
  const problems = project.getProgram().getSyntacticDiagnostics(file);
  if (problems.length > 0) {
    const first = problems[0];
    const line = first.getLineNumber() ?? lineOf(text, first.getStart() ?? 0);
    const message = first.getMessageText();
    throw new QuickbackError(
      'QB_GEN_PARSE',
      `${path}:${line} does not parse: ${typeof message === 'string' ? message : message.getMessageText()}`,
      {
        file: path,
        hint: 'Fix the syntax error first; the file was not touched.',
      },
    );
  }
  return { path, text, file, style: detectStyle(file) };
}

/** A conflict: the shape at `node` is not a literal the codemod can edit; `manual` says what to write by hand. */
export function conflict(source: ParsedSource, node: Node, what: string, manual: string): QuickbackError {
  const line = lineOf(source.text, node.getStart());
  return new QuickbackError(
    'QB_GEN_CONFLICT',
    `${source.path}:${line}: ${what} is \`${
      node.getText().split('\n')[0].slice(0, 60)
    }\`, not a literal this command can edit safely`,
    {
      file: source.path,
      hint: `Make the edit by hand: ${manual}`,
    },
  );
}

/** The first call whose callee is written exactly `name` (e.g. `defineConfig`, `defineDatabase`). */
export function findCall(source: ParsedSource, name: string): CallExpression | undefined {
  return source.file.getDescendantsOfKind(SyntaxKind.CallExpression).find((call) =>
    call.getExpression().getText() === name
  );
}

/** A property's name as written, without quotes. */
export function propertyName(node: Node): string | undefined {
  if (Node.isPropertyAssignment(node) || Node.isShorthandPropertyAssignment(node) || Node.isMethodDeclaration(node)) {
    const name = node.getNameNode();
    return Node.isStringLiteral(name) || Node.isNoSubstitutionTemplateLiteral(name)
      ? name.getLiteralText()
      : name.getText();
  }
  return undefined;
}

/** Property `name` of an object literal, and its value when it is written `name: value`. */
export function property(object: ObjectLiteralExpression, name: string): { node?: Node; value?: Node } {
  const node = object.getProperties().find((p) => propertyName(p) === name);
  return { node, value: node && Node.isPropertyAssignment(node) ? node.getInitializer() : undefined };
}
