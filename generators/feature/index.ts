/**
 * `quickback add feature <name>`: writes quickback/features/<name>/<name>.ts in the `feature()`
 * form from files/ (organization-scoped with role access, or owner-scoped). An existing feature
 * is left as it is ("already exists").
 */
import { readFileSync } from 'node:fs';
import Handlebars from 'handlebars';
import { packagePath } from '../../src/shared/package-root.js';
import { defineGenerator } from '../types.js';
import { featureOptions, type FeatureOptions } from './options.js';

const TEMPLATE = packagePath('generators', 'feature', 'files', 'quickback', 'features', '__name__', '__name__.ts.hbs');
const list = (roles: string[]) => roles.map((r) => JSON.stringify(r)).join(', ');

export function featureFile(options: FeatureOptions): string {
  const render = Handlebars.compile(readFileSync(TEMPLATE, 'utf8'), { noEscape: true, strict: true });
  return render({ ...options, organization: options.scope === 'organization', readRoles: list(options.readRoles), writeRoles: list(options.writeRoles) });
}

export const featureGenerator = defineGenerator({
  command: 'add feature',
  summary: 'write a new feature definition under quickback/features/',
  usage: 'quickback add feature <name> [--columns name:type[:modifier...],...] [--scope organization|user] [--read-roles member+] [--write-roles admin+]',
  options: featureOptions,
  run(tree, options) {
    const file = `quickback/features/${options.name}/${options.name}.ts`;
    if (tree.exists(file)) return { messages: [`feature ${options.name}: already exists (${file})`] };
    tree.write(file, featureFile(options));
    return { messages: [`feature ${options.name}: added`] };
  },
});
