/**
 * @module emitters/openapi/print/paths
 * The operations of one feature, exactly the routes runtime/crud.ts mounts for it: list, views
 * (`/views/<name>`), create, get, PATCH, DELETE, PUT (upsert) and the `/batch` routes, each
 * with its security (the schemes the app accepts, per access rule), parameters, closed request
 * body and the error responses it can produce.
 */
import type { AccessModel, FeatureModel } from '../../../compiler/model/ir.js';
import { listParameters, paramRef } from './parameters.js';
import { errors, NOT_MODIFIED, ok, written } from './responses.js';
import { createableFields, inputSchema, pascal, ref, updateProperties, type Schema } from './schemas.js';
import { accessSecurity } from './security.js';

/** Runtime MAX_BATCH_SIZE (runtime/batch.ts; a unit test keeps the two equal). */
export const MAX_BATCH_SIZE = 100;

const body = (schema: Schema) => ({ required: true, content: { 'application/json': { schema } } });

export interface PathItems {
  [path: string]: Record<string, Schema>;
}

/** `schemes`: what the app's auth chain accepts (security.ts authOf). */
export function featurePaths(feature: FeatureModel, etag: boolean, schemes: string[]): PathItems {
  const P = pascal(feature.name);
  const tags = [feature.name];
  const hidden = feature.firewall.errorMode === 'hide' ? [404] : [];
  const idSchema = inputSchema(feature, feature.fields.find((f) => f.key === feature.id.key)!);
  const idParam = { name: 'id', in: 'path', required: true, schema: idSchema };
  const org = paramRef('organizationId');
  const key = paramRef('IdempotencyKey');
  const notModified = etag ? { '304': NOT_MODIFIED } : {};
  const op = (operationId: string, summary: string, rule: AccessModel, rest: Schema): Schema => ({
    operationId,
    summary,
    tags,
    security: accessSecurity(schemes, rule, feature),
    ...rest,
  });
  const defaultView = feature.views.find((v) => v.name === feature.defaultView);
  const row = ref(P);
  const record = `${feature.name} record`;

  const paths: PathItems = {};
  paths[feature.routePath] = {
    get: op(`list${P}`, `List ${feature.name}`, feature.access.read, {
      parameters: listParameters(feature, defaultView, false),
      responses: { '200': ok(`A page of ${feature.name}.`, ref(`${P}List`)), ...notModified, ...errors(400, 401, 403) },
    }),
    post: op(`create${P}`, `Create a ${record}`, feature.access.create, {
      parameters: [org, key],
      requestBody: body(ref(`${P}Create`)),
      responses: { '201': written('The created record.', row, etag), ...errors(400, 401, 403, 409, 413, 415) },
    }),
  };
  for (const view of feature.views) {
    paths[`${feature.routePath}/views/${view.name}`] = {
      get: op(`list${P}View${pascal(view.name)}`, `List ${feature.name} through the ${view.name} view`, view.access, {
        parameters: listParameters(feature, view, true),
        responses: {
          '200': ok(`A page of ${feature.name} projected to: ${view.fields.join(', ')}.`, ref(`${P}List`)),
          ...notModified,
          ...errors(400, 401, 403),
        },
      }),
    };
  }
  Object.assign(paths, batchPaths(feature, schemes));
  const one: Record<string, Schema> = {
    get: op(`get${P}`, `Get a ${record}`, feature.access.read, {
      parameters: [idParam, org],
      responses: { '200': ok('The record.', row), ...notModified, ...errors(400, 401, 403, ...hidden) },
    }),
    patch: op(`update${P}`, `Update a ${record}`, feature.access.update, {
      parameters: [idParam, org, key, paramRef('ifMatch')],
      requestBody: body(ref(`${P}Update`)),
      responses: {
        '200': written('The updated record.', row, etag),
        ...errors(400, 401, 403, ...hidden, 409, 412, 413, 415),
      },
    }),
    delete: op(`delete${P}`, `Delete a ${record} (${feature.deleteMode})`, feature.access.delete, {
      parameters: [idParam, org, key, paramRef('ifMatch')],
      responses: { '200': ok('Deleted.', ref('Deleted')), ...errors(400, 401, 403, ...hidden, 409, 412) },
    }),
  };
  if (feature.put) {
    one.put = op(
      `upsert${P}`,
      `Create or replace the ${record} with this id`,
      { or: [feature.access.create, feature.access.update] },
      {
        parameters: [idParam, org, key, paramRef('ifMatch'), paramRef('ifNoneMatch')],
        requestBody: body({ type: 'object', properties: upsertProperties(feature), additionalProperties: false }),
        responses: {
          '200': written('The updated record.', row, etag),
          '201': written('The created record.', row, etag),
          ...errors(400, 401, 403, ...hidden, 409, 412, 413, 415),
        },
      },
    );
  }
  paths[`${feature.routePath}/{id}`] = one;
  return paths;
}

function upsertProperties(feature: FeatureModel): Schema {
  return Object.fromEntries(createableFields(feature).map((f) => [f.key, inputSchema(feature, f)]));
}

/** What a batch writes atomically, per database (runtime/batch.ts, transaction.ts). */
export const BATCH_ATOMICITY =
  'Every item is checked first (access, guards, values, references); those that fail are reported in `errors` by index and never written. '
  + 'The others are written in one atomic unit: one transaction on SQLite (better-sqlite3, libsql, bun:sqlite) and PostgreSQL (node-postgres, Neon over WebSocket), one `db.batch` on D1 and Neon HTTP, so a crash or a lost connection writes all of them or none. '
  + 'When the database refuses an item (a unique value, a foreign key), that unit rolls back and the others are written again without it; the item is reported in `errors`. '
  + 'With `options.failFast` the first failure of any item stops the batch with 400 BATCH_FAIL_FAST_STOPPED and nothing is written.';

function batchPaths(feature: FeatureModel, schemes: string[]): PathItems {
  const P = pascal(feature.name);
  const tags = [feature.name];
  const idKey = feature.id.key;
  const idSchema = inputSchema(feature, feature.fields.find((f) => f.key === idKey)!);
  const records = (items: Schema) => body({
    type: 'object',
    properties: { records: { type: 'array', maxItems: MAX_BATCH_SIZE, items }, options: ref('BatchOptions') },
    required: ['records'],
    additionalProperties: false,
  });
  const keyed = (properties: Schema): Schema => ({
    type: 'object',
    properties: { [idKey]: idSchema, ...properties },
    required: [idKey],
    additionalProperties: false,
  });
  const result = (codes: string[], schema: string) =>
    Object.fromEntries(
      codes.map((
        c,
      ) => [c, ok(c === '207' ? 'Some records failed (see errors).' : 'Every record succeeded.', ref(schema))]),
    );
  const op = (operationId: string, summary: string, rule: AccessModel, rest: Schema): Schema => ({
    operationId,
    summary,
    description: BATCH_ATOMICITY,
    tags,
    security: accessSecurity(schemes, rule, feature),
    parameters: [paramRef('organizationId'), paramRef('IdempotencyKey')],
    ...rest,
  });
  const item: Record<string, Schema> = {};
  const errs = errors(400, 401, 403, 409, 413, 415);
  if (feature.batch.create) {
    item.post = op(`batchCreate${P}`, `Create up to ${MAX_BATCH_SIZE} ${feature.name} records`, feature.access.create, {
      requestBody: records(ref(`${P}Create`)),
      responses: { ...result(['200', '201', '207'], `${P}BatchResult`), ...errs },
    });
  }
  if (feature.batch.update) {
    item.patch = op(
      `batchUpdate${P}`,
      `Update up to ${MAX_BATCH_SIZE} ${feature.name} records (each with its ${idKey})`,
      feature.access.update,
      {
        requestBody: records(keyed(updateProperties(feature))),
        responses: { ...result(['200', '207'], `${P}BatchResult`), ...errs },
      },
    );
  }
  if (feature.batch.delete) {
    item.delete = op(
      `batchDelete${P}`,
      `Delete up to ${MAX_BATCH_SIZE} ${feature.name} records`,
      feature.access.delete,
      {
        requestBody: body({
          type: 'object',
          properties: {
            ids: { type: 'array', maxItems: MAX_BATCH_SIZE, items: idSchema },
            options: ref('BatchOptions'),
          },
          required: ['ids'],
          additionalProperties: false,
        }),
        responses: { ...result(['200', '207'], `${P}BatchDeleteResult`), ...errs },
      },
    );
  }
  if (feature.batch.upsert && feature.put) {
    const { [idKey]: _id, ...fields } = upsertProperties(feature);
    item.put = op(
      `batchUpsert${P}`,
      `Create or update up to ${MAX_BATCH_SIZE} ${feature.name} records by ${idKey}`,
      { or: [feature.access.create, feature.access.update] },
      {
        requestBody: records(keyed(fields)),
        responses: { ...result(['200', '201', '207'], `${P}BatchResult`), ...errs },
      },
    );
  }
  return Object.keys(item).length > 0 ? { [`${feature.routePath}/batch`]: item } : {};
}
