/**
 * @module emitters/openapi
 * The documents of the generated app, both computed here at compile time from the AppModel:
 * `src/openapi.json`, the OpenAPI 3.1 document (served at `/openapi.json`), and `src/openapi.ts`,
 * the module the app loads on the first request for a document: it imports the JSON (an import
 * attribute, read by Node through tsx, Bun and wrangler's esbuild alike) and, the same way,
 * `src/schema-registry.json`, the schema registry (served to signed-in callers at `/api/v1/schema`).
 * Both are data, so both are JSON: nothing to format, and a watch compile rewrites them whole.
 */
import type { AppModel } from '../../compiler/model/ir.js';
import { withBanner } from '../banner.js';
import { noMemo, type EmittedFile, type Emitter, type EmitMemo } from '../../compiler/emit/contract.js';
import { lines } from '../print-utils.js';
import { buildOpenApi } from './print/openapi.js';
import { buildRegistry } from './print/registry.js';

export const OPENAPI_MODULE = 'src/openapi.ts';
export const OPENAPI_DOCUMENT = 'src/openapi.json';
export const SCHEMA_REGISTRY = 'src/schema-registry.json';

/** The OpenAPI document as its JSON file. */
export function printOpenApiDocument(model: AppModel, memo: EmitMemo = noMemo): string {
  return `${JSON.stringify(buildOpenApi(model, memo), null, 2)}\n`;
}

/** The schema registry as its JSON file. */
export function printSchemaRegistry(model: AppModel): string {
  return `${JSON.stringify(buildRegistry(model), null, 2)}\n`;
}

export function printOpenApiModule(model: AppModel): string {
  const { documents } = model;
  return withBanner(
    'ts',
    model.configFile,
    lines(
      documents.openapi ? "import openapi from './openapi.json' with { type: 'json' };" : false,
      documents.schemaRegistry ? "import schemaRegistry from './schema-registry.json' with { type: 'json' };" : false,
      '',
      documents.openapi
        ? `/** OpenAPI 3.1 document of this API (GET /openapi.json${
          documents.openapi === 'public' ? '' : ', signed-in callers only'
        }). */`
        : false,
      documents.openapi ? 'export { openapi };' : false,
      documents.openapi && documents.schemaRegistry ? '' : false,
      documents.schemaRegistry ? '/** Schema registry for signed-in clients (GET /api/v1/schema). */' : false,
      documents.schemaRegistry ? 'export { schemaRegistry };' : false,
    ),
  );
}

export const openapiEmitter = {
  id: 'openapi',
  applies: (model) => model.documents.openapi !== false || model.documents.schemaRegistry,
  emit: (model, context) => [
    ...(model.documents.openapi
      ? [
        {
          path: OPENAPI_DOCUMENT,
          contents: printOpenApiDocument(model, context.memo),
          ownership: 'compiler',
          emitter: 'openapi',
        } satisfies EmittedFile,
      ]
      : []),
    ...(model.documents.schemaRegistry
      ? [
        {
          path: SCHEMA_REGISTRY,
          contents: printSchemaRegistry(model),
          ownership: 'compiler',
          emitter: 'openapi',
        } satisfies EmittedFile,
      ]
      : []),
    { path: OPENAPI_MODULE, contents: printOpenApiModule(model), ownership: 'compiler', emitter: 'openapi' },
  ],
} satisfies Emitter;
