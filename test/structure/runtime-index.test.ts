/**
 * @module test/structure/runtime-index
 * The runtime's index (`#quickback`, every generated file's one import of the runtime) loads on
 * every target, whichever of its statements an app keeps: no module it reaches imports a package
 * for its values at the top level other than the ones every app has (hono, drizzle-orm, zod,
 * jose) and node: built-ins; optional drivers (pg, neon, ws, Redis, S3, bun:) come in as types,
 * dynamic imports or from the generated code. And the whole index, unfiltered, loads under Node.
 */
import { ts } from 'ts-morph';
import { describe, expect, it } from 'vitest';
import { readRuntimeSources } from '../../src/compiler/emit/runtime-sources.js';
import { runtimeGraph } from '../../src/compiler/emit/runtime-graph.js';
import { closure } from '../../src/compiler/emit/vendor-select.js';

const EVERY_APP = ['hono', 'drizzle-orm', 'zod', 'jose'];

const packageOf = (specifier: string) => specifier.split('/')[0];

/** The bare specifiers a module imports values from at its top level (type-only imports and `import()` aside). */
function valueImports(file: string, text: string): string[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  return source.statements.flatMap((statement) => {
    if (!ts.isImportDeclaration(statement) || !ts.isStringLiteral(statement.moduleSpecifier)) return [];
    const specifier = statement.moduleSpecifier.text;
    const clause = statement.importClause;
    if (specifier.startsWith('.') || clause?.isTypeOnly) return [];
    const bindings = clause?.namedBindings;
    const typesOnly = clause && !clause.name && bindings && ts.isNamedImports(bindings)
      && bindings.elements.length > 0 && bindings.elements.every((e) => e.isTypeOnly);
    return typesOnly ? [] : [specifier];
  });
}

describe('the runtime index', () => {
  it('reaches no module that imports an optional driver for its values at the top level', () => {
    const sources = readRuntimeSources();
    const graph = runtimeGraph(ts, sources);
    const reached = closure(graph, ['index.ts', ...graph.exportedFrom.values()]);
    expect(reached).toContain('app/server-bun.ts');
    const drivers = reached.flatMap((key) =>
      valueImports(key, sources[key]).filter((s) => !s.startsWith('node:') && !EVERY_APP.includes(packageOf(s))).map((
        s,
      ) => `${key}: ${s}`)
    );
    expect(drivers).toEqual([]);
  });

  it('loads whole under Node, every value it names defined', async () => {
    const index = await import('../../src/runtime/index.js');
    for (const name of ['createQuickbackApp', 'crudRoutes', 'shutdownNodeServer', 'shutdownBunServer', 'apiError']) {
      expect(typeof (index as Record<string, unknown>)[name], name).toBe('function');
    }
    expect(Object.values(index).filter((value) => value === undefined)).toEqual([]);
  });
});
