/**
 * @module emitters/hono/print/resource
 * `src/features/<slug>/<slug>.resource.ts`: the feature's policy as data for the CRUD routes.
 */
import type { FeatureModel } from '../../../compiler/model/ir.js';
import { withBanner } from '../../banner.js';
import { importLine, indentTail, inlineLiteral, lines, literal, runtimeImport } from '../../print-utils.js';
import { bodySchema } from './zod.js';

export function resourcePath(feature: FeatureModel): string {
  return `src/features/${feature.slug}/${feature.slug}.resource.ts`;
}

function idDefinition(feature: FeatureModel): string {
  const { key, strategy, type, prefix } = feature.id;
  const generate = strategy === false || strategy === 'serial'
    ? ''
    : `, generate: () => newId(${prefix ? JSON.stringify(prefix) : ''})`;
  return `{ key: ${JSON.stringify(key)}, type: ${JSON.stringify(type)}${generate}, clientIds: ${strategy === false} }`;
}

function fields(feature: FeatureModel): string {
  const rows = feature.fields.map((f) =>
    `  ${
      inlineLiteral({ key: f.key, kind: f.kind, system: f.system, filterable: f.filterable, searchable: f.searchable })
    },`
  );
  return `[\n${rows.join('\n')}\n]`;
}

function masking(feature: FeatureModel): string {
  const rules = Object.entries(feature.masking).map((
    [key, m],
  ) => [key, { type: m.type, ...(m.custom ? { custom: m.custom } : {}), show: m.show, query: m.query }]);
  return literal(Object.fromEntries(rules));
}

function views(feature: FeatureModel): string {
  return literal(
    Object.fromEntries(feature.views.map((v) => [v.name, { fields: v.fields, access: v.access, query: v.query }])),
  );
}

function childImports(feature: FeatureModel, bySlug: Map<string, ChildRef>): string[] {
  return feature.children.filter((c) => c.feature !== feature.name).map((c) => {
    const child = bySlug.get(c.feature)!;
    return importLine([`${child.name}Resource`], `../${child.slug}/${child.slug}.resource.js`);
  });
}

/** Columns that reference another (routed) feature: their values go through its firewall (runtime references.ts). */
function referenceColumns(feature: FeatureModel, byName: Map<string, ChildRef>) {
  return feature.table.columns.flatMap((
    c,
  ) => (c.references && (c.references.table === feature.name || byName.has(c.references.table))
    ? [{ key: c.key, ...c.references }]
    : [])
  );
}

function referenceImports(feature: FeatureModel, byName: Map<string, ChildRef>): string[] {
  return referenceColumns(feature, byName).filter((r) => r.table !== feature.name).map((r) => {
    const parent = byName.get(r.table)!;
    return importLine([`${parent.name}Resource`], `../${parent.slug}/${parent.slug}.resource.js`);
  });
}

function references(feature: FeatureModel, byName: Map<string, ChildRef>): string | false {
  const items = referenceColumns(feature, byName).map((r) =>
    `{ column: ${JSON.stringify(r.key)}, resource: ${r.table}Resource, key: ${JSON.stringify(r.column)} }`
  );
  return items.length > 0 && `  references: () => [${items.join(', ')}],`;
}

function children(feature: FeatureModel): string {
  const items = feature.children.map((c) => `{ resource: ${c.feature}Resource, column: ${JSON.stringify(c.column)} }`);
  return `() => [${items.join(', ')}]`;
}

/** What the resource module needs of the features that reference this one, or that it references. */
export type ChildRef = Pick<FeatureModel, 'name' | 'slug'>;

/** `.encrypted()` columns and the organization column whose key encrypts them (seed 003). */
function encrypted(feature: FeatureModel): string | false {
  const columns = feature.fields.filter((f) => f.encrypted).map((f) => f.key);
  return columns.length > 0 && feature.scope.organization
    ? `  encrypted: ${inlineLiteral({ columns, orgKey: feature.scope.organization })},`
    : false;
}

export function printResource(feature: FeatureModel, all: readonly ChildRef[] = []): string {
  const name = feature.table.exportName;
  const byName = new Map(all.map((f) => [f.name, f]));
  const generated = feature.id.strategy !== false && feature.id.strategy !== 'serial';
  const body = lines(
    importLine(['z'], 'zod'),
    runtimeImport(['type ResourceDefinition']),
    generated ? importLine(['newId'], '../../lib/ids.js') : false,
    importLine([name], `./${feature.slug}.schema.js`),
    ...[...new Set([...childImports(feature, byName), ...referenceImports(feature, byName)])],
    '',
    `export const ${feature.name}Resource: ResourceDefinition = {`,
    `  name: ${JSON.stringify(feature.name)},`,
    `  table: ${name},`,
    `  id: ${idDefinition(feature)},`,
    `  fields: ${indentTail(fields(feature), 2)},`,
    `  firewall: ${
      indentTail(literal({ predicates: feature.firewall.predicates, errorMode: feature.firewall.errorMode }), 2)
    },`,
    `  scope: ${inlineLiteral(feature.scope)},`,
    `  access: ${indentTail(literal(feature.access), 2)},`,
    `  deleteMode: ${JSON.stringify(feature.deleteMode)},`,
    `  audit: ${indentTail(literal(feature.audit), 2)},`,
    `  createBody: ${indentTail(bodySchema(feature, 'create'), 2)},`,
    `  updateBody: ${indentTail(bodySchema(feature, 'update'), 2)},`,
    `  guards: ${
      indentTail(
        literal({
          lists: feature.guards.lists,
          createable: feature.guards.createable,
          updatable: feature.guards.updatable,
          immutable: feature.guards.immutable,
          protected: feature.guards.protected,
        }),
        2,
      )
    },`,
    `  masking: ${indentTail(masking(feature), 2)},`,
    `  views: ${indentTail(views(feature), 2)},`,
    feature.defaultView ? `  defaultView: ${JSON.stringify(feature.defaultView)},` : false,
    `  batch: ${inlineLiteral(feature.batch)},`,
    `  put: ${feature.put},`,
    encrypted(feature),
    feature.realtime ? `  realtime: ${inlineLiteral({ ...feature.realtime })},` : false,
    feature.webhooks ? `  webhooks: ${inlineLiteral({ ...feature.webhooks })},` : false,
    feature.children.length > 0 ? `  children: ${children(feature)},` : false,
    references(feature, byName),
    '};',
  );
  return withBanner('ts', feature.source, body);
}

export function printRoutes(feature: FeatureModel): string {
  const record = feature.actions.some((a) => a.kind === 'record');
  return withBanner(
    'ts',
    feature.source,
    lines(
      runtimeImport(['crudRoutes']),
      importLine([`${feature.name}Resource`], `./${feature.slug}.resource.js`),
      record ? importLine([`${feature.name}RecordActions`], `./${feature.slug}.actions.js`) : false,
      '',
      `/** ${feature.routePath}: list, get, create, update, delete, batch${record ? ', record actions' : ''}. */`,
      `export const ${feature.name}Routes = crudRoutes(${feature.name}Resource${
        record ? `, ${feature.name}RecordActions` : ''
      });`,
    ),
  );
}

/** \`src/resources.ts\`: every resource, for the scoped db of action handlers. */
export function printResources(features: FeatureModel[], configFile: string): string {
  return withBanner(
    'ts',
    configFile,
    lines(
      runtimeImport(['type ResourceDefinition']),
      ...features.map((f) => importLine([`${f.name}Resource`], `./features/${f.slug}/${f.slug}.resource.js`)),
      '',
      `export const resources: ResourceDefinition[] = [${features.map((f) => `${f.name}Resource`).join(', ')}];`,
    ),
  );
}
