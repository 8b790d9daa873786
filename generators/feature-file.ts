/**
 * The feature definition file generators edit: quickback/features/<name>/<name>.ts (or the one
 * file of that folder with a feature()/defineTable() call). Locates it (or refuses, listing the
 * features there are), parses it, finds the options and columns literals, stages the edit.
 */
import type { ObjectLiteralExpression } from 'ts-morph';
import type { Edit } from '../src/codemod/edits.js';
import { asObject } from '../src/codemod/edits.js';
import { conflict, findCall, parseSource, property, type ParsedSource } from '../src/codemod/source.js';
import { applySplices } from '../src/codemod/splice.js';
import { QuickbackError } from '../src/shared/errors.js';
import type { Tree } from '../src/shared/tree.js';

export const FEATURES = 'quickback/features';
const NAME = /^[A-Za-z][\w-]*$/;

/** Feature folder names as the Tree sees them. */
export const featureNames = (tree: Tree): string[] => [
  ...new Set(
    tree.list(FEATURES).map((f) => f.slice(FEATURES.length + 1).split('/')[0]).filter((n) => !/\.[cm]?[jt]s$/.test(n)),
  ),
];

/** The prompt for a `<feature>` argument: a select over the project's features. */
export const featureArgument = { name: 'feature', message: 'Which feature?', choices: featureNames } as const;

export function featureFile(tree: Tree, name: string): string {
  if (!NAME.test(name))
    throw new QuickbackError('QB_GEN_INVALID_ARGUMENT', `"${name}" is not a feature name`, {
      hint: 'Name the folder under quickback/features/, e.g. guests.',
    });
  const dir = `${FEATURES}/${name}`;
  const preferred = `${dir}/${name}.ts`;
  if (tree.exists(preferred)) return preferred;
  const found = tree.list(dir).filter((f) =>
    !f.slice(dir.length + 1).includes('/') && /(^|[^\w.])(feature|defineTable)\(/.test(tree.read(f) ?? '')
  );
  if (found.length === 1) return found[0];
  const known = featureNames(tree);
  throw new QuickbackError(
    'QB_GEN_INVALID_ARGUMENT',
    found.length > 1
      ? `${dir} has ${found.length} definition files; expected ${preferred}`
      : `No feature "${name}" under ${FEATURES}/`,
    {
      hint: known.length > 0 ? `Features: ${known.join(', ')}` : `Add one first: quickback add feature ${name}`,
    },
  );
}

/** The options object of a feature definition, and (looked up on demand) its columns map. */
export interface FeatureParts {
  options: ObjectLiteralExpression;
  columns(): ObjectLiteralExpression;
}

/** The parts of feature("name", {...}) / defineTable(table, {...}) (columns: its map, or q.table's). */
export function featureParts(source: ParsedSource): FeatureParts {
  const call = findCall(source, 'feature') ?? findCall(source, 'defineTable');
  if (!call)
    throw new QuickbackError('QB_GEN_CONFLICT', `${source.path} has no feature(...) or defineTable(...) call`, {
      file: source.path,
      hint: 'Make the edit by hand in the feature definition.',
    });
  const options = asObject(
    source,
    call.getArguments()[1],
    `the options of ${call.getExpression().getText()}(...)`,
    'edit the object literal passed to it',
  );
  const columns = (): ObjectLiteralExpression => {
    if (call.getExpression().getText() === 'feature') {
      const { node, value } = property(options, 'columns');
      if (!node)
        throw new QuickbackError('QB_GEN_CONFLICT', `${source.path}: feature(...) has no \`columns\` map`, {
          file: source.path,
          hint: 'Add columns: { ... } by hand.',
        });
      return asObject(source, value ?? node, '`columns`', 'edit the columns map by hand');
    }
    const table = findCall(source, 'q.table');
    if (!table)
      throw conflict(
        source,
        call,
        'the table',
        'this file declares its table with Drizzle: edit the column there by hand',
      );
    return asObject(source, table.getArguments()[1], 'the columns of q.table(...)', 'edit the columns map by hand');
  };
  return { options, columns };
}

export function editFeature(
  tree: Tree,
  name: string,
  edit: (source: ParsedSource, parts: FeatureParts) => Edit,
): Edit & { path: string } {
  const path = featureFile(tree, name);
  const text = tree.read(path)!;
  const source = parseSource(path, text);
  const result = edit(source, featureParts(source));
  if (result.splices.length > 0) tree.write(path, applySplices(text, result.splices));
  return { ...result, path };
}
