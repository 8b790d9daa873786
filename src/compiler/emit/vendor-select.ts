/**
 * @module compiler/emit/vendor-select
 * The stage after emit that gives an app only the runtime it uses. The vendor-runtime emitter
 * offers every runtime module (under `<outDir>/src/lib/quickback/`); this keeps the modules the
 * app's other emitted files import — by name from `#quickback` (mapped to modules through
 * index.ts) or by a relative path — plus the public API always open to the owner's code (the
 * `@public` statements of index.ts), closed over the runtime's own imports. The vendored index.ts
 * keeps only the statements of vendored modules. Pure: the same files give byte-identical output.
 */
import path from 'node:path';
import type { ts as TS } from 'ts-morph';
import type { EmittedFile } from './contract.js';
import { INDEX, reExportedModule, runtimeGraph, type RuntimeGraph, type Ts } from './runtime-graph.js';

export const PUBLIC_SPECIFIER = '#quickback';
export const VENDOR_EMITTER = 'vendor-runtime';

/** Where the runtime lands in the project: `<outDir>/src/lib/quickback`. */
export function vendorDir(outDir: string): string {
  return path.posix.join(path.posix.normalize(outDir), 'src/lib/quickback');
}

/**
 * The runtime modules one emitted file asks for: names from `#quickback` (or index.ts by its relative
 * path, when the output is a subfolder), modules by relative path. Only the text up to the last
 * import of the index is parsed: the imports lead the file, and most generated files are long.
 */
function wantedBy(ts: Ts, file: EmittedFile, dir: string, graph: RuntimeGraph): string[] {
  const wanted: string[] = [];
  const isIndex = (spec: string) =>
    spec === PUBLIC_SPECIFIER
    || (spec.startsWith('.') && path.posix.join(path.posix.dirname(file.path), spec) === `${dir}/index.js`);
  let head = 0;
  for (const ref of ts.preProcessFile(file.contents, true, true).importedFiles) {
    if (isIndex(ref.fileName)) head = Math.max(head, ref.end + 1);
    if (!ref.fileName.startsWith('.')) continue;
    const target = path.posix.normalize(path.posix.join(path.posix.dirname(file.path), ref.fileName));
    if (target.startsWith(`${dir}/`)) wanted.push(path.posix.relative(dir, target).replace(/\.js$/, '.ts'));
  }
  if (head === 0) return wanted;
  const text = file.contents.slice(0, head);
  const source = ts.createSourceFile(file.path, text, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  for (const statement of source.statements) {
    const specifier = (ts.isImportDeclaration(statement) || ts.isExportDeclaration(statement))
      ? statement.moduleSpecifier
      : undefined;
    if (!specifier || !ts.isStringLiteral(specifier) || !isIndex(specifier.text)) continue;
    for (const name of importedNames(ts, statement as TS.ImportDeclaration | TS.ExportDeclaration)) {
      if (name === '*') wanted.push(...new Set(graph.exportedFrom.values()));
      else if (graph.exportedFrom.has(name)) wanted.push(graph.exportedFrom.get(name)!);
    }
  }
  return wanted.filter((key) => key !== INDEX);
}

/** The names an import or re-export takes from its module (`*` for a namespace or `export *`). */
function importedNames(ts: Ts, statement: TS.ImportDeclaration | TS.ExportDeclaration): string[] {
  if (ts.isExportDeclaration(statement)) {
    const clause = statement.exportClause;
    if (!clause || !ts.isNamedExports(clause)) return ['*'];
    return clause.elements.map((e) => (e.propertyName ?? e.name).text);
  }
  const bindings = statement.importClause?.namedBindings;
  if (!bindings) return [];
  if (ts.isNamespaceImport(bindings)) return ['*'];
  return bindings.elements.map((e) => (e.propertyName ?? e.name).text);
}

/** The closure of `roots` over the runtime's imports, sorted. */
export function closure(graph: RuntimeGraph, roots: Iterable<string>): string[] {
  const seen = new Set<string>();
  const stack = [...roots];
  while (stack.length > 0) {
    const key = stack.pop()!;
    if (seen.has(key) || !graph.imports.has(key)) continue;
    seen.add(key);
    stack.push(...graph.imports.get(key)!);
  }
  return [...seen].sort();
}

/** The group comment above an index.ts statement (`// Core: …`), if it starts a group; `@public` marks are not one. */
function groupComment(ts: Ts, contents: string, statement: TS.Statement): string {
  return (ts.getLeadingCommentRanges(contents, statement.pos) ?? [])
    .map((range) => contents.slice(range.pos, range.end))
    .filter((comment) => comment.startsWith('//') && !comment.includes('@public'))
    .join('\n');
}

/**
 * index.ts without the re-exports of modules not vendored. A dropped statement's group comment
 * moves to the next kept re-export of its group, so a group keeps its comment while any of it is left.
 */
function filterIndex(
  ts: Ts,
  contents: string,
  kept: ReadonlySet<string>,
  sources: Readonly<Record<string, string>>,
): string {
  const source = ts.createSourceFile(INDEX, contents, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  let out = '';
  let pending = '';
  for (const statement of source.statements) {
    const key = reExportedModule(ts, statement, sources);
    const group = groupComment(ts, contents, statement);
    if (key !== undefined && !kept.has(key)) {
      if (group) pending = group;
      continue;
    }
    const text = contents.slice(statement.pos, statement.end);
    out += group || !pending || key === undefined ? text : `\n\n${pending}${text}`;
    pending = '';
  }
  return out + contents.slice(source.endOfFileToken.pos);
}

/** The emitted files with the vendored runtime cut to what the app uses. */
export function selectVendored(
  ts: Ts,
  files: readonly EmittedFile[],
  sources: Readonly<Record<string, string>>,
  outDir: string,
): EmittedFile[] {
  const dir = vendorDir(outDir);
  const graph = runtimeGraph(ts, sources);
  const roots = [...graph.publicModules, ...graph.indexImports];
  for (const file of files)
    if (file.emitter !== VENDOR_EMITTER && /\.[cm]?tsx?$/.test(file.path))
      roots.push(...wantedBy(ts, file, dir, graph));
  const kept = new Set([INDEX, ...closure(graph, roots)]);
  return files.flatMap((file) => {
    if (file.emitter !== VENDOR_EMITTER) return [file];
    const key = path.posix.relative(dir, file.path);
    if (key === INDEX) return [{ ...file, contents: filterIndex(ts, file.contents, kept, sources) }];
    return kept.has(key) ? [file] : [];
  });
}
