/**
 * @module emitters/hono/print/resource
 * `src/features/<slug>/<slug>.resource.ts`: the feature's policy as data for the CRUD routes.
 */
import type { FeatureModel } from '../../../compiler/model/ir.js';
import { withBanner } from '../../banner.js';
import { importLine, indentTail, inlineLiteral, lines, literal } from '../../print-utils.js';
import { bodySchema } from './zod.js';

export function resourcePath(feature: FeatureModel): string {
  return `src/features/${feature.slug}/${feature.slug}.resource.ts`;
}

function idDefinition(feature: FeatureModel): string {
  const { key, strategy, type, prefix } = feature.id;
  const generate = strategy === false || strategy === 'serial' ? '' : `, generate: () => newId(${prefix ? JSON.stringify(prefix) : ''})`;
  return `{ key: ${JSON.stringify(key)}, type: ${JSON.stringify(type)}${generate}, clientIds: ${strategy === false} }`;
}

function fields(feature: FeatureModel): string {
  const rows = feature.fields.map((f) => `  ${inlineLiteral({ key: f.key, kind: f.kind, system: f.system, filterable: f.filterable, searchable: f.searchable })},`);
  return `[\n${rows.join('\n')}\n]`;
}

export function printResource(feature: FeatureModel): string {
  const name = feature.table.exportName;
  const generated = feature.id.strategy !== false && feature.id.strategy !== 'serial';
  const body = lines(
    importLine(['z'], 'zod'),
    importLine(['ResourceDefinition'], '../../lib/quickback/resource.js', true),
    generated ? importLine(['newId'], '../../lib/ids.js') : false,
    importLine([name], `./${feature.slug}.schema.js`),
    '',
    `export const ${feature.name}Resource: ResourceDefinition = {`,
    `  name: ${JSON.stringify(feature.name)},`,
    `  table: ${name},`,
    `  id: ${idDefinition(feature)},`,
    `  fields: ${indentTail(fields(feature), 2)},`,
    `  firewall: ${indentTail(literal({ predicates: feature.firewall.predicates, errorMode: feature.firewall.errorMode }), 2)},`,
    `  scope: ${inlineLiteral(feature.scope)},`,
    `  access: ${indentTail(literal(feature.access), 2)},`,
    `  deleteMode: ${JSON.stringify(feature.deleteMode)},`,
    `  audit: ${indentTail(literal(feature.audit), 2)},`,
    `  createBody: ${indentTail(bodySchema(feature, 'create'), 2)},`,
    `  updateBody: ${indentTail(bodySchema(feature, 'update'), 2)},`,
    '};',
  );
  return withBanner('ts', feature.source, body);
}

export function printRoutes(feature: FeatureModel): string {
  return withBanner('ts', feature.source, lines(
    importLine(['crudRoutes'], '../../lib/quickback/crud.js'),
    importLine([`${feature.name}Resource`], `./${feature.slug}.resource.js`),
    '',
    `/** ${feature.routePath}: list, get, create, update, delete. */`,
    `export const ${feature.name}Routes = crudRoutes(${feature.name}Resource);`,
  ));
}
