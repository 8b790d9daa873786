/**
 * @module emitters/openapi/print/platform
 * The app's own routes beside the features (runtime/app.ts): `POST /api/v1/token` (only a session
 * mints a token), `GET /api/v1/system/email-status` (public), `GET /api/v1/schema` (the schema
 * registry, for signed-in callers) and `GET /openapi.json` itself (public, or for a session).
 */
import type { AppModel } from '../../../compiler/model/ir.js';
import type { PathItems } from './paths.js';
import { errors, NOT_MODIFIED, ok } from './responses.js';
import { authOf, requirement } from './security.js';

const str = { type: 'string' };

export function platformPaths(model: AppModel): PathItems {
  const auth = authOf(model);
  const tags = ['auth'];
  // GET answers under /api get a weak ETag: If-None-Match may answer 304.
  const notModified = model.etag ? { 304: NOT_MODIFIED } : {};
  const paths: PathItems = {};
  if (model.jwt) {
    paths['/api/v1/token'] = {
      post: {
        operationId: 'mintToken',
        tags,
        summary: 'A bearer token for the signed-in session (a token cannot renew itself; an API key gets none)',
        security: requirement(auth.session),
        responses: {
          200: ok('The token (also in the `set-auth-token` header)', {
            type: 'object',
            required: ['token'],
            properties: { token: str },
          }),
          ...errors(401),
        },
      },
    };
  }
  if (model.auth.provider === 'better-auth') {
    paths['/api/v1/system/email-status'] = {
      get: {
        operationId: 'emailStatus',
        tags,
        summary: "Whether Better Auth's emails (magic links, one-time codes) are delivered",
        security: [],
        responses: {
          200: ok(
            '`emailConfigured` is false for the dev outbox and while the transport lacks a setting (listed in `missing`)',
            {
              type: 'object',
              required: ['emailConfigured', 'transport', 'missing'],
              properties: {
                emailConfigured: { type: 'boolean' },
                transport: { type: ['string', 'null'], enum: ['cloudflare', 'aws-ses', 'outbox', null] },
                missing: { type: 'array', items: str },
              },
            },
          ),
          ...notModified,
          ...errors(),
        },
      },
    };
  }
  if (model.documents.schemaRegistry) {
    paths['/api/v1/schema'] = {
      get: {
        operationId: 'schemaRegistry',
        tags: ['documents'],
        summary: 'The schema registry: features, fields, access, views and actions, for admin UIs and tooling',
        security: requirement(auth.chain),
        responses: {
          200: ok('The registry', {
            type: 'object',
            required: ['name', 'openapi', 'features', 'actions'],
            properties: {
              name: str,
              openapi: str,
              features: { type: 'array', items: { type: 'object' } },
              actions: { type: 'array', items: { type: 'object' } },
            },
          }),
          ...notModified,
          ...errors(401),
        },
      },
    };
  }
  if (model.documents.openapi) {
    const open = model.documents.openapi === 'public';
    paths['/openapi.json'] = {
      get: {
        operationId: 'openapiDocument',
        tags: ['documents'],
        summary: 'This document',
        security: open ? [] : requirement(auth.session),
        responses: {
          200: ok('The OpenAPI 3.1 document', {
            type: 'object',
            required: ['openapi', 'info', 'paths'],
            properties: { openapi: str, info: { type: 'object' }, paths: { type: 'object' } },
          }),
          ...errors(...(open ? [] : [401])),
        },
      },
    };
  }
  return paths;
}
