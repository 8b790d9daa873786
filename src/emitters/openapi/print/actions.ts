/**
 * @module emitters/openapi/print/actions
 * One operation per action: record actions at `<routePath>/{id}/<name>`, standalone actions at
 * their absolute path; the input's JSON Schema (lifted from the user's zod schema) as the request
 * body, or as query parameters for GET; the 200 answer as the declared `output` (JSON), open when
 * none is declared, or the file/stream `contentType`; the errors the action pipeline can produce,
 * and the handler's own ActionErrors.
 */
import type { ActionModel, AppModel, FeatureModel } from '../../../compiler/model/ir.js';
import { lift } from './lift.js';
import type { PathItems } from './paths.js';
import { actionErrors, json, NOT_MODIFIED } from './responses.js';
import { inputSchema, pascal, type Schema } from './schemas.js';
import { paramRef } from './parameters.js';
import { accessSecurity, requirement } from './security.js';

function queryParameters(input: Schema): Schema[] {
  const properties = (input.properties ?? {}) as Record<string, Schema>;
  const required = new Set((input.required ?? []) as string[]);
  return Object.entries(properties).map(([name, schema]) => ({
    name,
    in: 'query',
    required: required.has(name),
    schema,
  }));
}

/** The 200 answer: the output schema, an open JSON value, or the raw media type of a file or stream. */
function answer(action: ActionModel, output: Schema | undefined): Schema {
  if (action.responseType !== 'json') {
    const what = action.responseType === 'file'
      ? "The file (the handler's Response, sent as is)."
      : "The stream (the handler's Response, sent as is).";
    return {
      description: what,
      content: { [action.contentType]: { schema: { type: 'string', contentMediaType: action.contentType } } },
    };
  }
  return output
    ? { description: "The handler's result (feature rows masked for the caller).", content: json(output) }
    : {
      description: "The handler's result: not described (the action declares no `output`), any JSON value.",
      content: json({}),
    };
}

function operation(
  feature: FeatureModel | null,
  action: ActionModel,
  context: { schemes: string[]; etag: boolean; idempotency: boolean },
  components: Record<string, Schema>,
): [string, string, Schema] {
  const { schemes } = context;
  // Writes under /api take an Idempotency-Key (runtime/idempotency.ts) when the app has feature routes.
  const keyed = context.idempotency && action.method !== 'GET';
  const base = `${pascal(feature?.name ?? 'standalone')}${pascal(action.name)}`;
  const input = lift(action.input, `${base}Input`);
  const output = action.output ? lift(action.output, `${base}Output`) : undefined;
  Object.assign(components, input.components, output?.components);
  const conditional = action.kind === 'record' && action.method !== 'GET';
  const statuses = [
    400,
    401,
    403,
    ...(action.kind === 'record' || keyed ? [409] : []),
    ...(conditional ? [412] : []),
    ...(action.inputSource === 'body' ? [413, 415] : []),
    ...(action.unsafe ? [503] : []),
  ];
  const parameters: Schema[] = action.inputSource === 'query' ? queryParameters(input.schema) : [];
  if (action.kind === 'record' && feature) {
    parameters.unshift({
      name: 'id',
      in: 'path',
      required: true,
      schema: inputSchema(feature, feature.fields.find((f) => f.key === feature.id.key)!),
    }, ...(conditional ? [paramRef('ifMatch')] : []));
  }
  if (keyed) parameters.push(paramRef('IdempotencyKey'));
  const transition = action.transition
    ? ` Moves ${action.transition.field} along ${
      JSON.stringify(action.transition.fromTo)
    } (409 ACCESS_ACTION_NOT_ALLOWED_FOR_STATE / ACCESS_TRANSITION_LOST).`
    : '';
  const description = `${
    action.unsafe ? `Unsafe: ${action.unsafe.reason}; platform admins only, audited.` : ''
  }${transition}`.trim();
  // A cross-tenant unsafe action is not scoped to the feature; platform-admin-only ones need a caller.
  const security = action.unsafe?.adminOnly
    ? requirement(schemes)
    : accessSecurity(schemes, action.access, action.unsafe?.crossTenant ? null : feature, true);
  const op: Schema = {
    operationId: `${action.name}${feature ? pascal(feature.name) : ''}Action`,
    summary: action.description,
    ...(description ? { description } : {}),
    tags: [feature?.name ?? 'actions'],
    security,
    ...(parameters.length > 0 ? { parameters } : {}),
    ...(action.inputSource === 'body' ? { requestBody: { required: true, content: json(input.schema) } } : {}),
    // GET answers under /api get a weak ETag: If-None-Match may answer 304.
    responses: {
      '200': answer(action, output?.schema),
      ...(context.etag && action.method === 'GET' ? { '304': NOT_MODIFIED } : {}),
      ...actionErrors(statuses),
    },
  };
  return [action.path.replace(/:id/, '{id}'), action.method.toLowerCase(), op];
}

/** The action operations, and the components their lifted schemas need. */
export function actionPaths(model: AppModel, schemes: string[]): { paths: PathItems; schemas: Record<string, Schema> } {
  const owners: [FeatureModel | null, ActionModel[]][] = [
    ...model.features.filter((f) => !f.internal).map((f): [FeatureModel, ActionModel[]] => [f, f.actions]),
    [null, model.actions],
  ];
  const paths: PathItems = {};
  const schemas: Record<string, Schema> = {};
  for (const [feature, actions] of owners) {
    for (const action of actions) {
      const [path, method, op] = operation(feature, action, {
        schemes,
        etag: model.etag,
        idempotency: model.idempotency !== null,
      }, schemas);
      paths[path] = { ...paths[path], [method]: op };
    }
  }
  return { paths, schemas };
}

/** Registry entries of the actions: names, routes, input (and output) schemas, the media type of files and streams. */
export function actionEntries(actions: ActionModel[]) {
  return actions.map((a) => ({
    name: a.name,
    kind: a.kind,
    method: a.method,
    path: a.path,
    access: a.access,
    input: a.input,
    ...(a.output ? { output: a.output } : {}),
    ...(a.responseType === 'json' ? {} : { responseType: a.responseType, contentType: a.contentType }),
    ...(a.transition ? { transition: a.transition } : {}),
    ...(a.unsafe ? { unsafe: true } : {}),
  }));
}
