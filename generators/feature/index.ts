/**
 * `quickback add feature <name>`: writes quickback/features/<name>/<name>.ts in the `feature()`
 * form from files/ (organization-scoped with role access, owner-scoped, or shared through a firewall
 * exception with role access: --scope none). An existing feature
 * is left as it is ("already exists").
 */
import { readFileSync } from 'node:fs';
import Handlebars from 'handlebars';
import { packagePath } from '../../src/shared/package-root.js';
import { QuickbackError } from '../../src/shared/errors.js';
import { featureArgument, FEATURES, featureNames } from '../feature-file.js';
import { defineGenerator } from '../types.js';
import { featureOptions, type FeatureOptions } from './options.js';

const TEMPLATE = packagePath('generators', 'feature', 'files', 'quickback', 'features', '__name__', '__name__.ts.hbs');
const list = (roles: string[]) => roles.map((r) => JSON.stringify(r)).join(', ');

export function featureFile(options: FeatureOptions): string {
  const render = Handlebars.compile(readFileSync(TEMPLATE, 'utf8'), { noEscape: true, strict: true });
  return render({
    ...options,
    organization: options.scope === 'organization',
    owner: options.scope === 'user',
    readRoles: list(options.readRoles),
    writeRoles: list(options.writeRoles),
  });
}

export const featureGenerator = defineGenerator({
  command: 'add feature',
  summary: 'write a new feature definition under quickback/features/',
  usage:
    'quickback add feature <name> [--columns name:type[:modifier...],...] [--scope organization|user|none] [--read-roles member+] [--write-roles admin+]',
  flags: {
    columns: { type: 'string' },
    scope: { type: 'string' },
    'read-roles': { type: 'string' },
    'write-roles': { type: 'string' },
  },
  args: [{ name: 'name', message: 'Feature name (camelCase)', placeholder: 'guests' }],
  options: featureOptions,
  run(tree, options) {
    const file = `quickback/features/${options.name}/${options.name}.ts`;
    if (tree.exists(file)) return { messages: [`feature ${options.name}: already exists (${file})`] };
    tree.write(file, featureFile(options));
    return { messages: [`feature ${options.name}: added`] };
  },
});

export const removeFeatureGenerator = defineGenerator({
  command: 'remove feature',
  summary: 'delete a feature folder under quickback/features/ (quickback undo brings it back)',
  usage: 'quickback remove feature <name> [--dry-run] [--json] [--no-compile] [--cwd DIR]',
  args: [{ ...featureArgument, message: 'Which feature should go?' }],
  options: (positionals: string[]) => {
    if (positionals.length !== 1)
      throw new QuickbackError('QB_GEN_INVALID_ARGUMENT', 'remove feature takes one feature name', {
        hint: 'quickback remove feature <name>',
      });
    return { name: positionals[0] };
  },
  run(tree, { name }) {
    const files = tree.list(`${FEATURES}/${name}`);
    if (files.length === 0) {
      const known = featureNames(tree);
      throw new QuickbackError('QB_GEN_INVALID_ARGUMENT', `No feature "${name}" under ${FEATURES}/`, {
        hint: known.length > 0 ? `Features: ${known.join(', ')}` : 'There are no features to remove.',
      });
    }
    for (const file of files) tree.delete(file);
    return {
      messages: [
        `feature ${name}: removed (${files.length} file${files.length === 1 ? '' : 's'}; quickback undo brings ${
          files.length === 1 ? 'it' : 'them'
        } back)`,
      ],
    };
  },
});
