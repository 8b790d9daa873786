/**
 * @module typecheck-apps
 * `tsc --noEmit -p <app>/tsconfig.json` for many generated apps at the cost of a few. Each app's
 * tsconfig is parsed by TypeScript itself; apps whose compiler options come out the same share one
 * program, so the declarations of hono, drizzle-orm and better-auth (the same files under this
 * repository's node_modules for every app in .out/) are parsed, bound and their types instantiated
 * once, not once per app (one tsc process per app cost the scaffold matrix and the emit fixtures
 * most of their time). Each app still gets its own diagnostics: those in its own files, those of
 * its tsconfig, and any the shared program cannot pin on one app (all of its apps get those).
 * Global scripts (a Bun app's src/types/bun.d.ts: `declare const Bun`) are everyone's in a program,
 * so apps share one only where theirs are the same, byte for byte, and the program holds one copy.
 * An app with a module that declares outside itself (`declare module`, `declare global`) is checked
 * in a program of its own.
 */
import path from 'node:path';
import ts from 'typescript';
import { REPO } from './project.js';

interface App {
  root: string;
  parsed: ts.ParsedCommandLine;
  diagnostics: ts.Diagnostic[];
  globals: string[];
}

const format: ts.FormatDiagnosticsHost = {
  getCanonicalFileName: (f) => f,
  getCurrentDirectory: () => REPO,
  getNewLine: () => '\n',
};

function parse(root: string, overrides: ts.CompilerOptions): App {
  const diagnostics: ts.Diagnostic[] = [];
  const host = {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (d: ts.Diagnostic) => {
      diagnostics.push(d);
    },
  };
  const parsed = ts.getParsedCommandLineOfConfigFile(path.join(root, 'tsconfig.json'), overrides, host);
  if (!parsed) return { root, parsed: { options: {}, fileNames: [], errors: [] }, diagnostics, globals: [] };
  return {
    root,
    parsed,
    diagnostics: [...diagnostics, ...parsed.errors],
    globals: parsed.fileNames.filter((f) => reach(f) === 'global'),
  };
}

/**
 * What of a file's declarations other files see without importing it: 'module', nothing;
 * 'global', all of them (a script, no imports or exports); 'augments', a module's `declare module` or `declare global`.
 */
function reach(file: string): 'module' | 'global' | 'augments' {
  const source = ts.createSourceFile(file, ts.sys.readFile(file) ?? '', ts.ScriptTarget.Latest);
  if (!ts.isExternalModule(source)) return 'global';
  return source.statements.some((s) => ts.isModuleDeclaration(s)) ? 'augments' : 'module';
}

/** The apps that may share a program: same options (their own paths aside), same global scripts. */
function groupKey(app: App): string {
  if (app.parsed.fileNames.some((f) => reach(f) === 'augments')) return app.root;
  const options = Object.entries(app.parsed.options).filter(([name]) => name !== 'configFilePath').sort(([a], [b]) =>
    a.localeCompare(b)
  );
  return JSON.stringify([options, app.globals.map((f) => [path.relative(app.root, f), ts.sys.readFile(f)])]);
}

/** One program for `apps`, with the first app's copy of their global scripts; what is found there is every app's. */
function check(apps: App[]): void {
  const rootNames = apps.flatMap((
    a,
    i,
  ) => (i === 0 ? a.parsed.fileNames : a.parsed.fileNames.filter((f) => !a.globals.includes(f))));
  const program = ts.createProgram({ rootNames, options: apps[0].parsed.options });
  for (const diagnostic of ts.getPreEmitDiagnostics(program)) {
    const file = diagnostic.file?.fileName;
    const owner = file && !apps[0].globals.includes(file) && apps.find((a) => file.startsWith(`${a.root}/`));
    for (const app of owner ? [owner] : apps) app.diagnostics.push(diagnostic);
  }
}

/**
 * Type-checks every app under `roots` (each a folder with its tsconfig.json), with `overrides` on
 * top of each tsconfig as `tsc -p` flags would be (`{ strict: true }` for `--strict`). Returns
 * each root's diagnostics as tsc prints them, '' where there are none.
 */
export function typecheckApps(roots: string[], overrides: ts.CompilerOptions = {}): Map<string, string> {
  const apps = roots.map((root) => parse(path.resolve(root), { ...overrides, noEmit: true }));
  const groups = new Map<string, App[]>();
  for (const app of apps) {
    if (app.diagnostics.length > 0) continue; // a tsconfig tsc would refuse: reported as it is
    const key = groupKey(app);
    groups.set(key, [...(groups.get(key) ?? []), app]);
  }
  for (const group of groups.values()) check(group);
  return new Map(roots.map((root, i) => [root, ts.formatDiagnostics(apps[i].diagnostics, format)]));
}
