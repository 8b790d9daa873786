/**
 * @module emitters/openapi/print/stack
 * The stack add-ons in the OpenAPI document when they are on: files (`/storage/v1/object/{key}`),
 * realtime (`/broadcast/v1/ws-ticket`, `/broadcast/v1/websocket`) and webhooks (`/webhooks/v1/…`,
 * inbound included), with their bodies, answers (files: the allowed media types) and error
 * responses. They run the auth chain like /api (`schemes`); the websocket (a ticket) and inbound
 * webhooks (a signature) take no credentials.
 */
import type { AppModel } from '../../../compiler/model/ir.js';
import type { PathItems } from './paths.js';
import { errors, json, NOT_MODIFIED, ok } from './responses.js';
import type { Schema } from './schemas.js';
import { requirement } from './security.js';

const object = (properties: Record<string, Schema>, required = Object.keys(properties)): Schema => ({
  type: 'object',
  required,
  properties,
});
const str: Schema = { type: 'string' };
const idParam = (name: string) => ({ name, in: 'path', required: true, schema: str });

/** Every operation of a path item gets the same security, unless it states its own. */
const secured = (item: Record<string, Schema>, security: Schema[]): Record<string, Schema> =>
  Object.fromEntries(
    Object.entries(item).map(([method, op]) => [method, { ...op, security: op.security ?? security }]),
  );

function filesPaths(model: AppModel): PathItems {
  const files = model.files!;
  // The stored media type is sent back; with allowedTypes it is one of them.
  const binary = Object.fromEntries(
    (files.allowedTypes ?? ['*/*']).map((type) => [type, { schema: { type: 'string', contentMediaType: type } }]),
  );
  const key = {
    name: 'key',
    in: 'path',
    required: true,
    description: 'The object key: plain segments (no `..`, no encoded separators), at most 1024 bytes.',
    schema: str,
  };
  const stored = object({
    key: str,
    size: { type: 'integer' },
    contentType: str,
    etag: str,
    path: str,
    url: { type: ['string', 'null'] },
  });
  const upload = (operationId: string) => ({
    operationId,
    tags: ['files'],
    summary: `Upload a file (at most ${files.maxFileSize} bytes${
      files.allowedTypes ? `; ${files.allowedTypes.join(', ')}` : ''
    })`,
    parameters: [key],
    requestBody: { required: true, content: binary },
    responses: { 201: ok('Stored', stored), ...errors(400, 401, 413, 415) },
  });
  return {
    '/storage/v1/object/{key}': {
      put: upload('putFile'),
      post: upload('postFile'),
      get: {
        operationId: 'getFile',
        tags: ['files'],
        summary: 'Download a file (an attachment)',
        parameters: [key],
        responses: {
          200: { description: 'The file, with the media type it was stored with', content: binary },
          304: NOT_MODIFIED,
          ...errors(400, 401, 404),
        },
      },
      delete: {
        operationId: 'deleteFile',
        tags: ['files'],
        summary: 'Delete a file',
        parameters: [key],
        responses: { 204: { description: 'Deleted' }, ...errors(400, 401, 404) },
      },
    },
  };
}

function realtimePaths(model: AppModel): PathItems {
  const ws = model.realtime!.wsTicket;
  return {
    '/broadcast/v1/ws-ticket': {
      post: {
        operationId: 'wsTicket',
        tags: ['realtime'],
        summary: 'A 60-second ticket for the realtime websocket',
        ...(ws ? { requestBody: { required: false, content: json(object({ [ws.requestField]: str }, [])) } } : {}),
        responses: {
          200: ok(
            'The ticket and its channel',
            object({ wsTicket: str, expiresIn: { type: 'integer' }, channel: str }),
          ),
          ...errors(400, 401, ...(ws ? [403, 404] : [])),
        },
      },
    },
    '/broadcast/v1/websocket': {
      get: {
        operationId: 'websocket',
        tags: ['realtime'],
        summary: 'Upgrade to the realtime websocket',
        security: [],
        parameters: [{ name: 'ws_ticket', in: 'query', required: true, schema: str }],
        responses: {
          101: { description: 'Switching protocols: postgres_changes and broadcast messages follow' },
          ...errors(400, 401),
        },
      },
    },
  };
}

function webhookPaths(): PathItems {
  const endpoint = object({
    id: str,
    organizationId: { type: ['string', 'null'] },
    userId: { type: ['string', 'null'] },
    url: str,
    events: { type: 'array', items: str },
    description: { type: ['string', 'null'] },
    active: { type: 'boolean' },
    roles: { type: ['array', 'null'], items: str },
    createdBy: str,
    createdAt: str,
    updatedAt: str,
  });
  const withSecret = { allOf: [endpoint, object({ secret: str })] };
  const tags = ['webhooks'];
  const id = idParam('id');
  return {
    '/webhooks/v1/events': {
      get: {
        operationId: 'webhookEvents',
        tags,
        summary: 'The event types this API emits',
        responses: { 200: ok('The catalogue', object({ events: { type: 'array', items: str } })), ...errors(401, 403) },
      },
    },
    '/webhooks/v1/endpoints': {
      get: {
        operationId: 'listWebhookEndpoints',
        tags,
        summary: 'Endpoints of the active organization (or yours)',
        responses: {
          200: ok('The endpoints', object({ data: { type: 'array', items: endpoint } })),
          ...errors(401, 403),
        },
      },
      post: {
        operationId: 'createWebhookEndpoint',
        tags,
        summary: 'Subscribe a URL (the secret is shown once)',
        requestBody: {
          required: true,
          content: json({
            ...object({ url: str, events: { type: 'array', items: str }, description: str, role: str }, [
              'url',
              'events',
            ]),
            additionalProperties: false,
          }),
        },
        responses: { 201: ok('Created', withSecret), ...errors(400, 401, 403) },
      },
    },
    '/webhooks/v1/endpoints/{id}': {
      get: {
        operationId: 'getWebhookEndpoint',
        tags,
        summary: 'An endpoint',
        parameters: [id],
        responses: { 200: ok('The endpoint', endpoint), ...errors(401, 403, 404) },
      },
      patch: {
        operationId: 'updateWebhookEndpoint',
        tags,
        summary: 'Change an endpoint',
        parameters: [id],
        requestBody: {
          required: true,
          content: json({
            ...object({
              url: str,
              events: { type: 'array', items: str },
              description: { type: ['string', 'null'] },
              active: { type: 'boolean' },
              role: str,
            }, []),
            additionalProperties: false,
          }),
        },
        responses: { 200: ok('The endpoint', endpoint), ...errors(400, 401, 403, 404) },
      },
      delete: {
        operationId: 'deleteWebhookEndpoint',
        tags,
        summary: 'Delete an endpoint and its deliveries',
        parameters: [id],
        responses: { 200: ok('Deleted', object({ success: { type: 'boolean' } })), ...errors(401, 403, 404) },
      },
    },
    '/webhooks/v1/endpoints/{id}/deliveries': {
      get: {
        operationId: 'listWebhookDeliveries',
        tags,
        summary: 'The last 50 deliveries',
        parameters: [id],
        responses: {
          200: ok('Deliveries', object({ data: { type: 'array', items: { type: 'object' } } })),
          ...errors(401, 403, 404),
        },
      },
    },
    '/webhooks/v1/endpoints/{id}/test': {
      post: {
        operationId: 'testWebhookEndpoint',
        tags,
        summary: 'Send a webhook.test event',
        parameters: [id],
        responses: { 202: ok('Queued', object({ deliveryId: str })), ...errors(400, 401, 403, 404) },
      },
    },
    '/webhooks/v1/endpoints/{id}/rotate-secret': {
      post: {
        operationId: 'rotateWebhookSecret',
        tags,
        summary: 'A new signing secret (shown once)',
        parameters: [id],
        responses: { 200: ok('The secret', object({ id: str, secret: str })), ...errors(401, 403, 404) },
      },
    },
    '/webhooks/v1/inbound/{provider}': {
      post: {
        operationId: 'receiveWebhook',
        tags,
        summary:
          "Receive a signed event (stripe-signature, x-hub-signature-256, x-webhook-signature or Standard Webhooks' webhook-signature)",
        security: [],
        parameters: [idParam('provider')],
        requestBody: { required: true, content: json({ type: 'object' }) },
        responses: {
          200: ok(
            'Stored (or a duplicate)',
            object({ received: { type: 'boolean' }, id: str, duplicate: { type: 'boolean' } }, ['received']),
          ),
          ...errors(400, 401, 404),
        },
      },
    },
    '/webhooks/v1/inbound/events': {
      get: {
        operationId: 'listInboundEvents',
        tags,
        summary: 'Received events (platform admins)',
        responses: {
          200: ok('Events', object({ data: { type: 'array', items: { type: 'object' } } })),
          ...errors(401, 403),
        },
      },
    },
    '/webhooks/v1/inbound/events/{id}/retry': {
      post: {
        operationId: 'retryInboundEvent',
        tags,
        summary: "Run an event's handler again (platform admins)",
        parameters: [id],
        responses: { 202: ok('Queued', object({ id: str, status: str })), ...errors(401, 403, 404) },
      },
    },
  };
}

export function stackPaths(
  model: AppModel,
  schemes: string[],
): { paths: PathItems; tags: { name: string; description: string }[] } {
  const paths: PathItems = {
    ...(model.files ? filesPaths(model) : {}),
    ...(model.realtime ? realtimePaths(model) : {}),
    ...(model.webhooks ? webhookPaths() : {}),
  };
  return {
    paths: Object.fromEntries(Object.entries(paths).map(([path, item]) => [path, secured(item, requirement(schemes))])),
    tags: [
      ...(model.files ? [{ name: 'files', description: '/storage/v1: uploads and downloads' }] : []),
      ...(model.realtime
        ? [{ name: 'realtime', description: '/broadcast/v1: websocket tickets and the websocket' }]
        : []),
      ...(model.webhooks
        ? [{ name: 'webhooks', description: '/webhooks/v1: endpoints, deliveries and inbound events' }]
        : []),
    ],
  };
}
