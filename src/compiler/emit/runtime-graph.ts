/**
 * @module compiler/emit/runtime-graph
 * The import graph of the hand-written runtime (src/runtime), parsed once per process with the
 * TypeScript API (`ts.preProcessFile`; the sources do not change while the compiler runs): each
 * module's runtime imports, and what the public index (index.ts) re-exports — which module each
 * name comes from, and which modules are the public API user code may always import (`@public`).
 */
import path from 'node:path';
import type { ts as TS } from 'ts-morph';

export type Ts = typeof TS;

export interface RuntimeGraph {
  /** Module key (`core/errors.ts`) → the runtime modules it imports, types and dynamic imports included. */
  imports: ReadonlyMap<string, readonly string[]>;
  /** A name index.ts re-exports → the module it comes from. */
  exportedFrom: ReadonlyMap<string, string>;
  /** Modules whose index.ts statement is marked `// @public`: the API of handlers and the seam. */
  publicModules: readonly string[];
  /** Modules index.ts imports for itself (not re-exported). */
  indexImports: readonly string[];
}

export const INDEX = 'index.ts';

/** A relative specifier of `from` as a module key, if it names a runtime module. */
export function resolveKey(
  from: string,
  specifier: string,
  sources: Readonly<Record<string, string>>,
): string | undefined {
  if (!specifier.startsWith('.')) return undefined;
  const key = path.posix.normalize(path.posix.join(path.posix.dirname(from), specifier)).replace(/\.js$/, '.ts');
  return key in sources ? key : undefined;
}

/** The module of an index.ts statement that re-exports (`export { … } from './x.js'`), else undefined. */
export function reExportedModule(
  ts: Ts,
  statement: TS.Statement,
  sources: Readonly<Record<string, string>>,
): string | undefined {
  if (
    !ts.isExportDeclaration(statement) || !statement.moduleSpecifier || !ts.isStringLiteral(statement.moduleSpecifier)
  ) return undefined;
  return resolveKey(INDEX, statement.moduleSpecifier.text, sources);
}

function indexFacts(ts: Ts, sources: Readonly<Record<string, string>>): Omit<RuntimeGraph, 'imports'> {
  const text = sources[INDEX] ?? '';
  const file = ts.createSourceFile(INDEX, text, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  const exportedFrom = new Map<string, string>();
  const publicModules: string[] = [];
  const indexImports: string[] = [];
  for (const statement of file.statements) {
    if (ts.isImportDeclaration(statement) && ts.isStringLiteral(statement.moduleSpecifier)) {
      const key = resolveKey(INDEX, statement.moduleSpecifier.text, sources);
      if (key) indexImports.push(key);
      continue;
    }
    const key = reExportedModule(ts, statement, sources);
    if (!key || !ts.isExportDeclaration(statement)) continue;
    const clause = statement.exportClause;
    if (clause && ts.isNamedExports(clause)) {
      for (const element of clause.elements) exportedFrom.set(element.name.text, key);
    }
    const comments = ts.getLeadingCommentRanges(text, statement.pos) ?? [];
    if (comments.some((range) => text.slice(range.pos, range.end).includes('@public'))) publicModules.push(key);
  }
  return { exportedFrom, publicModules, indexImports };
}

let cached: { sources: Readonly<Record<string, string>>; graph: RuntimeGraph } | undefined;

export function runtimeGraph(ts: Ts, sources: Readonly<Record<string, string>>): RuntimeGraph {
  if (cached?.sources === sources) return cached.graph;
  const imports = new Map<string, string[]>();
  for (const [key, text] of Object.entries(sources)) {
    const found = ts.preProcessFile(text, true, true).importedFiles.map((ref) =>
      resolveKey(key, ref.fileName, sources)
    );
    imports.set(key, [...new Set(found.filter((k): k is string => k !== undefined && k !== key))].sort());
  }
  const graph = { imports, ...indexFacts(ts, sources) };
  cached = { sources, graph };
  return graph;
}
