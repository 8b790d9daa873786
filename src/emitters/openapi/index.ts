/**
 * @module emitters/openapi
 * `src/openapi.ts` of the generated app: the OpenAPI 3.1 document (served publicly at
 * `/openapi.json`) and the schema registry (served to signed-in callers at `/api/v1/schema`),
 * both computed here at compile time from the AppModel.
 */
import type { AppModel } from '../../compiler/model/ir.js';
import { withBanner } from '../banner.js';
import { noMemo, type Emitter, type EmitMemo } from '../../compiler/emit/contract.js';
import { lines, literal } from '../print-utils.js';
import { buildOpenApi } from './print/openapi.js';
import { buildRegistry } from './print/registry.js';

export const OPENAPI_MODULE = 'src/openapi.ts';

export function printOpenApiModule(model: AppModel, memo: EmitMemo = noMemo): string {
  const { documents } = model;
  return withBanner('ts', model.configFile, lines(
    documents.openapi ? `/** OpenAPI 3.1 document of this API (GET /openapi.json${documents.openapi === 'public' ? '' : ', signed-in callers only'}). */` : false,
    documents.openapi ? `export const openapi = ${literal(buildOpenApi(model, memo))} as const;` : false,
    documents.openapi && documents.schemaRegistry ? '' : false,
    documents.schemaRegistry ? '/** Schema registry for signed-in clients (GET /api/v1/schema). */' : false,
    documents.schemaRegistry ? `export const schemaRegistry = ${literal(buildRegistry(model))};` : false,
  ));
}

export const openapiEmitter = {
  id: 'openapi',
  applies: (model) => model.documents.openapi !== false || model.documents.schemaRegistry,
  emit: (model, context) => [{ path: OPENAPI_MODULE, contents: printOpenApiModule(model, context.memo), ownership: 'compiler', emitter: 'openapi' }],
} satisfies Emitter;
