/**
 * @module emitters/openapi/print/openapi
 * The OpenAPI 3.1 document of a generated app, built from the AppModel only: info, servers, the
 * security schemes the app accepts (security.ts), the closed `Error` schema (every code of
 * runtime/errors.ts), shared list/batch schemas and error responses, then per feature its schemas
 * and paths, the actions, the platform routes and the stack add-ons.
 * Deterministic: fixed key order, features in model order, no timestamps.
 */
import type { AppModel } from '../../../compiler/model/ir.js';
import { noMemo, type EmitMemo } from '../../../compiler/emit/contract.js';
import { apiErrorCodes } from '../../../runtime/core/errors.js';
import { actionPaths } from './actions.js';
import { sharedParameters } from './parameters.js';
import { featurePaths, MAX_BATCH_SIZE, type PathItems } from './paths.js';
import { platformPaths } from './platform.js';
import { ACTION_ERROR, sharedResponses } from './responses.js';
import { stackPaths } from './stack.js';
import { featureSchemas, ref, type Schema } from './schemas.js';
import { authOf, requirement, securitySchemes } from './security.js';

const codes = Object.keys(apiErrorCodes) as (keyof typeof apiErrorCodes)[];

function errorSchema(): Schema {
  return {
    type: 'object',
    description:
      'Every error response: a message, the layer that refused, a stable code, and optional details and hint.',
    properties: {
      error: { type: 'string' },
      layer: { type: 'string', enum: [...new Set(codes.map((code) => apiErrorCodes[code].layer))] },
      code: { type: 'string', enum: codes },
      details: { type: 'object', additionalProperties: true },
      hint: { type: 'string' },
    },
    required: ['error', 'layer', 'code'],
    additionalProperties: false,
  };
}

function sharedSchemas(): Record<string, Schema> {
  const count = { type: 'integer', minimum: 0 };
  return {
    Error: errorSchema(),
    Pagination: {
      type: 'object',
      properties: {
        limit: { type: 'integer', minimum: 1, maximum: 100 },
        offset: count,
        count,
        hasMore: { type: 'boolean' },
        total: { ...count, description: 'With `total=true` only.' },
      },
      required: ['limit', 'offset', 'count', 'hasMore'],
    },
    Deleted: { type: 'object', properties: { success: { const: true } }, required: ['success'] },
    BatchOptions: {
      type: 'object',
      properties: {
        failFast: {
          type: 'boolean',
          default: false,
          description:
            'Run the records in one transaction: the first failure rolls back all of them (400 BATCH_FAIL_FAST_STOPPED).',
        },
      },
      additionalProperties: false,
    },
    BatchError: {
      type: 'object',
      properties: {
        index: { type: 'integer', minimum: 0 },
        id: { description: 'The record id, when the request named one.' },
        error: ref('Error'),
      },
      required: ['index', 'error'],
    },
    BatchMeta: {
      type: 'object',
      properties: {
        total: count,
        succeeded: count,
        failed: count,
        failFast: { type: 'boolean' },
        transactional: { type: 'boolean' },
      },
      required: ['total', 'succeeded', 'failed', 'failFast', 'transactional'],
    },
  };
}

export function buildOpenApi(model: AppModel, memo: EmitMemo = noMemo): Schema {
  const features = model.features.filter((f) => !f.internal);
  const { chain } = authOf(model);
  const schemas: Record<string, Schema> = sharedSchemas();
  const paths: PathItems = {};
  for (const feature of features) {
    Object.assign(schemas, memo.use('openapi/schemas', [feature], () => featureSchemas(feature)));
    Object.assign(
      paths,
      memo.use('openapi/paths', [feature, model.etag, chain], () => featurePaths(feature, model.etag, chain)),
    );
  }
  const actions = actionPaths(model, chain);
  for (const [path, item] of Object.entries(actions.paths)) paths[path] = { ...paths[path], ...item };
  if (features.some((f) => f.actions.length > 0) || model.actions.length > 0) schemas.ActionError = ACTION_ERROR;
  Object.assign(schemas, actions.schemas);
  Object.assign(paths, platformPaths(model));
  const stack = stackPaths(model, chain);
  Object.assign(paths, stack.paths);
  const supabase = model.auth.provider === 'supabase-auth';
  const documents = model.documents.openapi || model.documents.schemaRegistry;
  const signIn = supabase
    ? 'Sign in with Supabase Auth and send its access token as a bearer token'
    : model.auth.external && !model.auth.external.proxy
    ? 'Sign in at the auth service (Better Auth)'
    : 'Sign in at /auth/v1 (Better Auth)';
  const order = chain.length > 1
    ? `; credentials are checked in this order, the first that verifies wins: ${chain.join(', ')}`
    : '';
  return {
    openapi: '3.1.0',
    info: {
      title: model.name,
      version: '1.0.0',
      description:
        `The ${model.name} API. ${signIn}${order}. Errors are { error, layer, code, details?, hint? }; batches take at most ${MAX_BATCH_SIZE} records.`,
    },
    servers: [{ url: '/' }],
    tags: [
      ...features.map((f) => ({ name: f.name, description: f.routePath })),
      ...(model.actions.length > 0 ? [{ name: 'actions', description: 'Standalone actions' }] : []),
      ...(model.jwt || model.auth.provider === 'better-auth'
        ? [{ name: 'auth', description: 'Bearer tokens and email status' }]
        : []),
      ...(documents ? [{ name: 'documents', description: 'This document and the schema registry' }] : []),
      ...stack.tags,
    ],
    security: requirement(chain),
    paths,
    components: {
      securitySchemes: securitySchemes(model),
      parameters: sharedParameters(),
      responses: sharedResponses(),
      schemas,
    },
  };
}
