/**
 * @module emitters/openapi
 * `src/openapi.ts` of the generated app: the OpenAPI 3.1 document (served publicly at
 * `/openapi.json`) and the schema registry (served to signed-in callers at `/api/v1/schema`),
 * both computed here at compile time from the AppModel.
 */
import type { AppModel } from '../../compiler/model/ir.js';
import { withBanner } from '../banner.js';
import type { Emitter } from '../contract.js';
import { lines, literal } from '../print-utils.js';
import { buildOpenApi } from './print/openapi.js';
import { buildRegistry } from './print/registry.js';

export const OPENAPI_MODULE = 'src/openapi.ts';

export function printOpenApiModule(model: AppModel): string {
  return withBanner('ts', model.configFile, lines(
    '/** OpenAPI 3.1 document of this API (GET /openapi.json). */',
    `export const openapi = ${literal(buildOpenApi(model))} as const;`,
    '',
    '/** Schema registry for signed-in clients (GET /api/v1/schema). */',
    `export const schemaRegistry = ${literal(buildRegistry(model))};`,
  ));
}

export const openapiEmitter = {
  id: 'openapi',
  applies: () => true,
  emit: (model) => [{ path: OPENAPI_MODULE, contents: printOpenApiModule(model), ownership: 'compiler', emitter: 'openapi' }],
} satisfies Emitter;
