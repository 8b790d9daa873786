/**
 * @module emitters/openapi/print/openapi
 * The OpenAPI 3.1 document of a generated app, built from the AppModel only: info, servers, the
 * session-cookie security scheme, the closed `Error` schema (every code of runtime/errors.ts),
 * shared list/batch schemas and error responses, then per feature its schemas and paths.
 * Deterministic: fixed key order, features in model order, no timestamps.
 */
import type { AppModel } from '../../../compiler/model/ir.js';
import { noMemo, type EmitMemo } from '../../contract.js';
import { apiErrorCodes } from '../../../runtime/errors.js';
import { actionPaths } from './actions.js';
import { sharedParameters } from './parameters.js';
import { ERROR_RESPONSES, featurePaths, json, MAX_BATCH_SIZE, type PathItems } from './paths.js';
import { stackPaths } from './stack.js';
import { featureSchemas, ref, type Schema } from './schemas.js';

const codes = Object.keys(apiErrorCodes) as (keyof typeof apiErrorCodes)[];
const codesWith = (status: number) => codes.filter((code) => apiErrorCodes[code].status === status);

function errorSchema(): Schema {
  return {
    type: 'object',
    description: 'Every error response: a message, the layer that refused, a stable code, and optional details and hint.',
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
      properties: { limit: { type: 'integer', minimum: 1, maximum: 100 }, offset: count, count, hasMore: { type: 'boolean' }, total: { ...count, description: 'With `total=true` only.' } },
      required: ['limit', 'offset', 'count', 'hasMore'],
    },
    Deleted: { type: 'object', properties: { success: { const: true } }, required: ['success'] },
    BatchOptions: {
      type: 'object',
      properties: { failFast: { type: 'boolean', default: false, description: 'Run the records in one transaction: the first failure rolls back all of them (400 BATCH_FAIL_FAST_STOPPED).' } },
      additionalProperties: false,
    },
    BatchError: {
      type: 'object',
      properties: { index: { type: 'integer', minimum: 0 }, id: { description: 'The record id, when the request named one.' }, error: ref('Error') },
      required: ['index', 'error'],
    },
    BatchMeta: {
      type: 'object',
      properties: { total: count, succeeded: count, failed: count, failFast: { type: 'boolean' }, transactional: { type: 'boolean' } },
      required: ['total', 'succeeded', 'failed', 'failFast', 'transactional'],
    },
  };
}

/** One shared response per error status; its schema narrows `code` to the codes of that status. */
function errorResponses(): Record<string, Schema> {
  return Object.fromEntries(Object.entries(ERROR_RESPONSES).map(([status, name]) => {
    const list = codesWith(Number(status));
    return [name, {
      description: `Error (${list.join(', ')}).`,
      content: json({ allOf: [ref('Error'), { properties: { code: { enum: list } } }] }),
    }];
  }));
}

export function buildOpenApi(model: AppModel, memo: EmitMemo = noMemo): Schema {
  const features = model.features.filter((f) => !f.internal);
  const schemas: Record<string, Schema> = sharedSchemas();
  const paths: PathItems = {};
  for (const feature of features) {
    Object.assign(schemas, memo.use('openapi/schemas', [feature], () => featureSchemas(feature)));
    Object.assign(paths, memo.use('openapi/paths', [feature, model.etag], () => featurePaths(feature, model.etag)));
  }
  for (const [path, item] of Object.entries(actionPaths(model))) paths[path] = { ...paths[path], ...item };
  if (model.jwt) paths['/api/v1/token'] = tokenPath();
  if (model.auth.provider === 'better-auth') paths['/api/v1/system/email-status'] = emailStatusPath();
  const stack = stackPaths(model);
  Object.assign(paths, stack.paths);
  const supabase = model.auth.provider === 'supabase-auth';
  if (supabase) Object.assign(paths, withSupabaseSecurity(paths));
  return {
    openapi: '3.1.0',
    info: {
      title: model.name,
      version: '1.0.0',
      description: `The ${model.name} API. ${supabase ? 'Sign in with Supabase Auth and send its access token as a bearer token' : 'Sign in at /auth/v1 (Better Auth)'}; errors are { error, layer, code, details?, hint? }; batches take at most ${MAX_BATCH_SIZE} records.`,
    },
    servers: [{ url: '/' }],
    tags: [...features.map((f) => ({ name: f.name, description: f.routePath })), ...(model.actions.length > 0 ? [{ name: 'actions', description: 'Standalone actions' }] : []), ...(model.jwt || model.auth.provider === 'better-auth' ? [{ name: 'auth', description: 'Bearer tokens and email status' }] : []), ...stack.tags],
    security: supabase ? [{ supabaseAccessToken: [] }] : [{ sessionCookie: [] }, ...(model.jwt ? [{ bearerToken: [] }] : [])],
    paths,
    components: {
      securitySchemes: supabase ? {
        supabaseAccessToken: {
          type: 'http', scheme: 'bearer', bearerFormat: 'JWT',
          description: 'An access token issued by Supabase Auth (SUPABASE_URL/auth/v1), verified against the project\'s JWKS or JWT secret.',
        },
      } : {
        sessionCookie: {
          type: 'apiKey',
          in: 'cookie',
          name: 'better-auth.session_token',
          description: 'The Better Auth session cookie set by POST /auth/v1/sign-in/email (`__Secure-` prefixed over HTTPS).',
        },
        ...(model.jwt ? { bearerToken: {
          type: 'http', scheme: 'bearer', bearerFormat: 'JWT',
          description: `Quickback's HS256 token (valid ${model.jwt.expiresIn} s): from the \`set-auth-token\` header of any session-authenticated call, or POST /api/v1/token.`,
        } } : {}),
      },
      parameters: sharedParameters(),
      responses: errorResponses(),
      schemas,
    },
  };
}

/** Supabase Auth: operations take its access token, not the Better Auth cookie (new objects: the paths may be memoised). */
function withSupabaseSecurity(paths: PathItems): PathItems {
  const swap = (security: Schema[]) => security.map((s) => ('sessionCookie' in s ? { supabaseAccessToken: [] } : s));
  return Object.fromEntries(Object.entries(paths).map(([path, item]) => [path, Object.fromEntries(Object.entries(item).map(([method, op]) =>
    [method, Array.isArray((op as Schema).security) ? { ...(op as Schema), security: swap((op as Schema).security as Schema[]) } : op]))]));
}

/** `POST /api/v1/token`: a bearer token for the session's caller (a token cannot renew itself). */
function tokenPath() {
  return {
    post: {
      operationId: 'mintToken', tags: ['auth'], summary: 'A bearer token for the signed-in session', security: [{ sessionCookie: [] }],
      responses: {
        200: { description: 'The token', content: { 'application/json': { schema: { type: 'object', required: ['token'], properties: { token: { type: 'string' } } } } } },
        401: { $ref: '#/components/responses/Unauthorized' },
      },
    },
  };
}

/** `GET /api/v1/system/email-status` (seed 002): whether sign-in emails reach people, for UI warnings. */
function emailStatusPath() {
  return {
    get: {
      operationId: 'emailStatus', tags: ['auth'], summary: 'Whether Better Auth\'s emails (magic links, one-time codes) are delivered', security: [],
      responses: {
        200: {
          description: '`emailConfigured` is false for the dev outbox and while the transport lacks a setting (listed in `missing`)',
          content: { 'application/json': { schema: {
            type: 'object', required: ['emailConfigured', 'transport', 'missing'],
            properties: {
              emailConfigured: { type: 'boolean' },
              transport: { type: ['string', 'null'], enum: ['cloudflare', 'aws-ses', 'outbox', null] },
              missing: { type: 'array', items: { type: 'string' } },
            },
          } } },
        },
      },
    },
  };
}
