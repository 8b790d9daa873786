/**
 * @module compiler/model/actions
 * `defineActions` files → ActionModels: the route (record `POST /:id/<name>` by default, or a
 * standalone absolute path under /api/v1), normalised access (roles expanded), the input (and the
 * declared output) as JSON Schema, the media type of the answer, where the user's handler lives,
 * and the transition and unsafe settings.
 */
import type { ActionSpec } from '../../dsl/actions.js';
import type { AccessRule } from '../../dsl/feature.js';
import type { ActionsInput } from '../load/types.js';
import { normalizeAccess } from './access.js';
import type { ActionModel } from './ir.js';

function unsafeModel(unsafe: ActionSpec['unsafe']): ActionModel['unsafe'] {
  if (!unsafe) return undefined;
  const options = unsafe === true ? { reason: 'unsafe action' } : unsafe;
  return {
    reason: options.reason,
    adminOnly: options.adminOnly === true || options.crossTenant === true,
    crossTenant: options.crossTenant === true,
  };
}

function actionModel(
  file: ActionsInput,
  name: string,
  spec: ActionSpec,
  routePath: string | undefined,
  hierarchy: readonly string[],
): ActionModel {
  const resolved = file.resolved?.[name];
  const standalone = spec.standalone === true || spec.path !== undefined || file.table === null;
  const method = spec.method ?? 'POST';
  const input = resolved?.input && 'schema' in resolved.input
    ? resolved.input.schema
    : { type: 'object', properties: {} };
  const output = resolved?.output && 'schema' in resolved.output ? resolved.output.schema : undefined;
  const responseType = spec.responseType ?? 'json';
  return {
    name,
    feature: file.table,
    kind: standalone ? 'standalone' : 'record',
    method,
    path: standalone ? `/api/v1${spec.path ?? `/${name}`}` : `${routePath}/:id/${name}`,
    description: spec.description,
    access: normalizeAccess(spec.access as AccessRule | undefined, hierarchy),
    input,
    inputSource: method === 'GET' ? 'query' : 'body',
    handler: resolved?.handler?.file ?? '',
    seedHandler: resolved?.handler?.exists === false,
    ...(spec.transition
      ? {
        transition: {
          field: spec.transition.field,
          fromTo: spec.transition.fromTo,
          ...(spec.transition.to ? { to: spec.transition.to } : {}),
          ...(spec.transition.via ? { via: spec.transition.via } : {}),
        },
      }
      : {}),
    responseType,
    contentType: responseType === 'json' ? 'application/json' : spec.contentType ?? 'application/octet-stream',
    ...(output ? { output } : {}),
    ...(spec.unsafe ? { unsafe: unsafeModel(spec.unsafe) } : {}),
  };
}

/** Every action of the project, grouped by feature name ('' for tableless files), sorted by name. */
export function actionModels(
  files: ActionsInput[],
  routePathOf: (feature: string) => string | undefined,
  hierarchy: readonly string[],
): Map<string, ActionModel[]> {
  const out = new Map<string, ActionModel[]>();
  for (const file of files) {
    for (const [name, spec] of Object.entries(file.actions ?? {})) {
      const key = file.table ?? '';
      const list = out.get(key) ?? [];
      list.push(actionModel(file, name, spec, file.table ? routePathOf(file.table) : undefined, hierarchy));
      out.set(key, list);
    }
  }
  for (const list of out.values()) list.sort((a, b) => (a.name < b.name ? -1 : 1));
  return out;
}
