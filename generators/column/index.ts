/**
 * `quickback add column <feature> <name>:<type>[:modifier...]`: adds `name: q.<type>()...` to the
 * feature's columns map (and to explicit guards.createable / guards.updatable lists). `quickback remove column <feature> <name>`: takes the column out, and
 * with it the mentions that would no longer compile (guards lists, `protected`, masking, the
 * views' fields and query lists). Both are splices in the file's own style.
 */
import { Node, type ObjectLiteralExpression } from 'ts-morph';
import {
  addArrayItem,
  isString,
  removeArrayItem,
  removeProperty,
  setProperty,
  type Edit,
} from '../../src/codemod/edits.js';
import { quoted } from '../../src/codemod/style.js';
import { property, type ParsedSource } from '../../src/codemod/source.js';
import { editFeature, featureArgument, FEATURES, type FeatureParts } from '../feature-file.js';
import type { ColumnOption } from '../feature/options.js';
import { defineGenerator } from '../types.js';
import { addColumnOptions, removeColumnOptions } from './options.js';

const objectAt = (object: ObjectLiteralExpression | undefined, name: string): ObjectLiteralExpression | undefined => {
  const value = object && property(object, name).value;
  return value && Node.isObjectLiteralExpression(value) ? value : undefined;
};

/** Every mention of column `name` outside the columns map that removing it would leave dangling. */
function mentions(source: ParsedSource, options: ObjectLiteralExpression, name: string): Edit[] {
  const edits: Edit[] = [];
  const fromList = (object: ObjectLiteralExpression | undefined, key: string) => {
    const value = object && property(object, key).value;
    if (value && Node.isArrayLiteralExpression(value)) edits.push(removeArrayItem(source, value, isString(name)));
  };
  const guards = objectAt(options, 'guards');
  for (const key of ['createable', 'updatable', 'immutable']) fromList(guards, key);
  const guarded = objectAt(guards, 'protected');
  if (guarded) edits.push(removeProperty(source, guarded, name));
  const masking = objectAt(options, 'masking');
  if (masking) edits.push(removeProperty(source, masking, name));
  const views = objectAt(objectAt(options, 'read'), 'views');
  for (const view of views?.getProperties() ?? []) {
    const spec = Node.isPropertyAssignment(view) ? view.getInitializer() : undefined;
    if (!spec || !Node.isObjectLiteralExpression(spec)) continue;
    fromList(spec, 'fields');
    for (const key of ['filterable', 'searchable', 'sortable']) fromList(objectAt(spec, 'query'), key);
  }
  return edits;
}

export interface AddedColumn extends Edit {
  existing?: string;
  lists: string[];
}

/** The edit of `add column`: the column (unless one of that name exists) and explicit guards lists. */
export function addColumn(source: ParsedSource, parts: FeatureParts, column: ColumnOption): AddedColumn {
  const { options } = parts;
  const columns = parts.columns();
  const existing = property(columns, column.name).node?.getText();
  if (existing !== undefined) return { status: 'unchanged', splices: [], existing, lists: [] };
  const edits = [setProperty(source, columns, column.name, column.code)];
  const lists: string[] = [];
  // Explicit guards lists name every writable field: the new column joins them.
  const guards = objectAt(options, 'guards');
  for (const key of ['createable', 'updatable']) {
    const list = guards && property(guards, key).value;
    if (!list || !Node.isArrayLiteralExpression(list)) continue;
    edits.push(addArrayItem(source, list, quoted(column.name, source.style), isString(column.name)));
    lists.push(`guards.${key}`);
  }
  return { status: 'added', splices: edits.flatMap((e) => e.splices), lists };
}

/** The edit of `remove column`: the column and its mentions. */
export function removeColumn(source: ParsedSource, { options, columns }: FeatureParts, name: string): Edit {
  const removed = removeProperty(source, columns(), name);
  if (removed.status === 'unchanged') return removed;
  return {
    status: 'updated',
    splices: [...removed.splices, ...mentions(source, options, name).flatMap((e) => e.splices)],
  };
}

export const addColumnGenerator = defineGenerator({
  command: 'add column',
  summary: "add a column to a feature's columns map",
  usage: 'quickback add column <feature> <name>:<type>[:modifier...] [--dry-run] [--json] [--no-compile] [--cwd DIR]',
  args: [featureArgument, {
    name: 'column',
    message: 'Column (name:type[:modifier...])',
    placeholder: 'nickname:text:optional',
  }],
  options: addColumnOptions,
  run(tree, { feature, column }) {
    let added: AddedColumn | undefined;
    const result = editFeature(tree, feature, (source, parts) => (added = addColumn(source, parts, column)));
    const { existing, lists } = added!;
    const also = lists.length > 0 ? `, and to ${lists.join(' and ')}` : '';
    const note = existing === undefined
      ? `added${also}`
      : `already exists${existing.endsWith(column.code) ? '' : ` (as \`${existing}\`; change it by hand)`}`;
    return { messages: [`column ${feature}.${column.name}: ${note} (${result.path})`] };
  },
});

export const removeColumnGenerator = defineGenerator({
  command: 'remove column',
  summary: 'remove a column (and the guards, masking and view entries naming it) from a feature',
  usage: 'quickback remove column <feature> <name> [--dry-run] [--json] [--no-compile] [--cwd DIR]',
  args: [featureArgument, { name: 'column', message: 'Column name' }],
  options: removeColumnOptions,
  run(tree, { feature, name }) {
    const result = editFeature(tree, feature, (source, parts) => removeColumn(source, parts, name));
    if (result.status === 'unchanged')
      return { messages: [`column ${feature}.${name}: not there (nothing to remove) (${result.path})`] };
    // Handlers are the user's code: not edited, but named when they still mention the column.
    const word = new RegExp(`\\b${name}\\b`);
    const handlers = tree.list(`${FEATURES}/${feature}`).filter((f) =>
      f !== result.path && word.test(tree.read(f) ?? '')
    );
    const still = handlers.length > 0 ? `; still named in ${handlers.join(', ')} (yours to update)` : '';
    return { messages: [`column ${feature}.${name}: removed (${result.path})${still}`] };
  },
});
