/**
 * @module codemod/imports
 * Named imports as splices: add a name (alphabetical place in a sorted list, else last; a new
 * statement in the file's style when there is no list) or remove one (the statement goes with its
 * only name).
 */
import { appendEntry, removeEntry, type Edit } from './edits.js';
import type { ParsedSource } from './source.js';
import { indentAt, lineStart } from './splice.js';

/** The import declaration of `module` with a (non-type-only) named import list, if any. */
function namedImportOf(source: ParsedSource, module: string) {
  return source.file.getImportDeclarations().find((d) =>
    d.getModuleSpecifierValue() === module && !d.isTypeOnly() && d.getNamedImports().length > 0
  );
}

/**
 * Adds `name` to the named imports from `module`: in alphabetical place when the list is sorted,
 * else last; a new import statement (in the file's quotes and semicolons) when there is no list.
 */
export function addNamedImport(source: ParsedSource, module: string, name: string): Edit {
  const { text, style } = source;
  const imported = source.file.getImportDeclarations().some((d) =>
    d.getModuleSpecifierValue() === module
    && d.getNamedImports().some((s) => !s.isTypeOnly() && (s.getAliasNode()?.getText() ?? s.getName()) === name)
  );
  if (imported) return { status: 'unchanged', splices: [] };
  const declaration = namedImportOf(source, module);
  if (!declaration) {
    const last = source.file.getImportDeclarations().at(-1);
    const statement = `import { ${name} } from ${JSON.stringify(module).replace(/"/g, style.quote)}${
      style.semicolons ? ';' : ''
    }`;
    if (!last) return { status: 'added', splices: [{ start: 0, end: 0, text: `${statement}${style.eol}` }] };
    return {
      status: 'added',
      splices: [{ start: last.getEnd(), end: last.getEnd(), text: `${style.eol}${statement}` }],
    };
  }
  const list = declaration.getImportClauseOrThrow().getNamedBindingsOrThrow();
  const specifiers = declaration.getNamedImports();
  const names = specifiers.map((s) => s.getName().toLowerCase());
  const sorted = names.every((n, i) => i === 0 || names[i - 1] <= n);
  const next = sorted ? specifiers.find((s) => s.getName().toLowerCase() > name.toLowerCase()) : undefined;
  if (!next) return { status: 'added', splices: appendEntry(source, list, specifiers, name) };
  const lineBegin = lineStart(text, next.getStart());
  if (text.slice(lineBegin, next.getStart()).trim() === '' && list.getText().includes('\n')) {
    return {
      status: 'added',
      splices: [{ start: lineBegin, end: lineBegin, text: `${indentAt(text, next.getStart())}${name},${style.eol}` }],
    };
  }
  return { status: 'added', splices: [{ start: next.getStart(), end: next.getStart(), text: `${name}, ` }] };
}

/** Removes `name` from the named imports from `module` (see removeEntry); the rest of the list stays. */
export function removeNamedImport(source: ParsedSource, module: string, name: string): Edit {
  for (const declaration of source.file.getImportDeclarations().filter((d) => d.getModuleSpecifierValue() === module)) {
    const specifiers = declaration.getNamedImports();
    const index = specifiers.findIndex((s) => s.getName() === name && !s.getAliasNode());
    if (index < 0) continue;
    if (specifiers.length > 1 || declaration.getDefaultImport()) return removeEntry(source, specifiers, index);
    // The only name: the whole statement goes, with its line when it stands alone on it.
    const { text } = source;
    const start = lineStart(text, declaration.getStart());
    const lineEnd = text.indexOf('\n', declaration.getEnd());
    const alone = text.slice(start, declaration.getStart()).trim() === ''
      && text.slice(declaration.getEnd(), lineEnd < 0 ? text.length : lineEnd).trim() === '';
    return {
      status: 'updated',
      splices: [
        alone
          ? { start, end: lineEnd < 0 ? text.length : lineEnd + 1, text: '' }
          : { start: declaration.getStart(), end: declaration.getEnd(), text: '' },
      ],
    };
  }
  return { status: 'unchanged', splices: [] };
}
