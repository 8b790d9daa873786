/**
 * @module emitters/openapi/print/actions
 * One operation per action: record actions at `<routePath>/{id}/<name>`, standalone actions at
 * their absolute path; the input's JSON Schema (lifted from the user's zod schema) as the request
 * body, or as query parameters for GET; the errors the action pipeline can produce.
 */
import type { ActionModel, AppModel, FeatureModel } from '../../../compiler/model/ir.js';
import { ERROR_RESPONSES, json, security, type PathItems } from './paths.js';
import { inputSchema, type Schema } from './schemas.js';

function errorRefs(statuses: number[]): Record<string, Schema> {
  return Object.fromEntries(statuses.map((s) => [String(s), s === 503 ? { description: 'The audit event could not be written (unsafe actions fail closed).', content: json({ $ref: '#/components/schemas/Error' }) } : { $ref: `#/components/responses/${ERROR_RESPONSES[s]}` }]));
}

function queryParameters(input: Record<string, unknown>): Schema[] {
  const properties = (input.properties ?? {}) as Record<string, Schema>;
  const required = new Set((input.required ?? []) as string[]);
  return Object.entries(properties).map(([name, schema]) => ({ name, in: 'query', required: required.has(name), schema }));
}

function operation(feature: FeatureModel | null, action: ActionModel): [string, string, Schema] {
  const { $schema: _dialect, ...input } = action.input;
  const statuses = [400, 401, 403, ...(action.kind === 'record' ? [409] : []), ...(action.inputSource === 'body' ? [413, 415] : []), ...(action.unsafe ? [503] : [])];
  const parameters: Schema[] = action.inputSource === 'query' ? queryParameters(input) : [];
  if (action.kind === 'record' && feature) {
    parameters.unshift({ name: 'id', in: 'path', required: true, schema: inputSchema(feature, feature.fields.find((f) => f.key === feature.id.key)!) });
  }
  const responseContent = action.responseType === 'json' ? json({}) : { 'application/octet-stream': { schema: { type: 'string', contentMediaType: 'application/octet-stream' } } };
  const transition = action.transition ? ` Moves ${action.transition.field} along ${JSON.stringify(action.transition.fromTo)} (409 ACCESS_ACTION_NOT_ALLOWED_FOR_STATE / ACCESS_TRANSITION_LOST).` : '';
  const op: Schema = {
    operationId: `${action.name}${feature ? feature.name.charAt(0).toUpperCase() + feature.name.slice(1) : ''}Action`,
    summary: action.description,
    description: `${action.unsafe ? `Unsafe: ${action.unsafe.reason}; platform admins only, audited.` : ''}${transition}`.trim() || undefined,
    tags: [feature?.name ?? 'actions'],
    security: security(action.access),
    ...(parameters.length > 0 ? { parameters } : {}),
    ...(action.inputSource === 'body' ? { requestBody: { required: true, content: json(input) } } : {}),
    responses: { '200': { description: 'The handler\'s result.', content: responseContent }, ...errorRefs(statuses) },
  };
  if (op.description === undefined) delete op.description;
  return [action.path.replace(/:id/, '{id}'), action.method.toLowerCase(), op];
}

export function actionPaths(model: AppModel): PathItems {
  const owners: [FeatureModel | null, ActionModel[]][] = [...model.features.filter((f) => !f.internal).map((f): [FeatureModel, ActionModel[]] => [f, f.actions]), [null, model.actions]];
  const paths: PathItems = {};
  for (const [feature, actions] of owners) {
    for (const action of actions) {
      const [path, method, op] = operation(feature, action);
      paths[path] = { ...paths[path], [method]: op };
    }
  }
  return paths;
}

/** Registry entries of the actions: names, routes and input schemas. */
export function actionEntries(actions: ActionModel[]) {
  return actions.map((a) => ({ name: a.name, kind: a.kind, method: a.method, path: a.path, access: a.access, input: a.input, ...(a.transition ? { transition: a.transition } : {}), ...(a.unsafe ? { unsafe: true } : {}) }));
}
