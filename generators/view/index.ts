/**
 * `quickback add view <feature> <name> --fields a,b`: adds `<name>: { fields: [...] }` to the
 * feature's `read.views`, creating `read` or `views` when missing. An existing view of that name
 * is left as it is ("already exists").
 */
import { asObject, setProperty, type Edit } from '../../src/codemod/edits.js';
import { property, type ParsedSource } from '../../src/codemod/source.js';
import { quoted } from '../../src/codemod/style.js';
import { editFeature, featureArgument, type FeatureParts } from '../feature-file.js';
import { defineGenerator } from '../types.js';
import { viewOptions, type ViewOptions } from './options.js';

export function addView(source: ParsedSource, { options }: FeatureParts, view: Omit<ViewOptions, 'feature'>): Edit {
  const spec = `{ fields: [${view.fields.map((f) => quoted(f, source.style)).join(', ')}] }`;
  const manual = `add read: { views: { ${view.name}: ${spec} } }`;
  const read = property(options, 'read');
  if (!read.node) return setProperty(source, options, 'read', `{ views: { ${view.name}: ${spec} } }`);
  const readObject = asObject(source, read.value ?? read.node, '`read`', manual);
  const views = property(readObject, 'views');
  if (!views.node) return setProperty(source, readObject, 'views', `{ ${view.name}: ${spec} }`);
  const viewsObject = asObject(source, views.value ?? views.node, '`read.views`', manual);
  if (property(viewsObject, view.name).node) return { status: 'unchanged', splices: [] };
  return setProperty(source, viewsObject, view.name, spec);
}

export const viewGenerator = defineGenerator({
  command: 'add view',
  summary: "add a named field view to a feature's read.views",
  usage: 'quickback add view <feature> <name> --fields a,b [--dry-run] [--json] [--no-compile] [--cwd DIR]',
  flags: { fields: { type: 'string' } },
  args: [
    featureArgument,
    { name: 'name', message: 'View name', placeholder: 'summary' },
    { name: 'fields', flag: true, message: 'Fields it returns (comma-separated)', placeholder: 'id,title' },
  ],
  options: viewOptions,
  run(tree, { feature, ...view }) {
    const result = editFeature(tree, feature, (source, parts) => addView(source, parts, view));
    return {
      messages: [
        `view ${feature}.${view.name}: ${result.status === 'unchanged' ? 'already exists' : 'added'} (${result.path})`,
      ],
    };
  },
});
