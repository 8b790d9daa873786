/**
 * @module emitters/openapi/print/responses
 * Responses every printer shares: JSON content, the error responses of `components.responses`
 * (one per status, `code` narrowed to the codes of that status, plus `OtherError` as every
 * operation's `default`: 429, 500, 503 and any status an operation does not list), and the
 * answers of action routes, whose handlers may throw an ActionError with a code of their own.
 */
import { apiErrorCodes } from '../../../runtime/core/errors.js';
import { ref, type Schema } from './schemas.js';

/** Status → the shared response in `components.responses`. */
export const ERROR_RESPONSES: Record<number, string> = {
  400: 'BadRequest',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'NotFound',
  409: 'Conflict',
  412: 'PreconditionFailed',
  413: 'PayloadTooLarge',
  415: 'UnsupportedMediaType',
};

const codes = Object.keys(apiErrorCodes) as (keyof typeof apiErrorCodes)[];
export const codesWith = (status: number) => codes.filter((code) => apiErrorCodes[code].status === status);
/** Codes no shared status response lists: they answer through `default`. */
const otherCodes = codes.filter((code) => !(apiErrorCodes[code].status in ERROR_RESPONSES));

export const json = (schema: Schema) => ({ 'application/json': { schema } });
export const ok = (description: string, schema: Schema) => ({ description, content: json(schema) });
export const NOT_MODIFIED = { description: 'Not modified (weak ETag matched If-None-Match); no body.' };

/** A record answered by a write, with its new ETag (`etag`: etag.enabled) to send as If-Match next. */
export const written = (description: string, schema: Schema, etag: boolean) => ({
  ...ok(description, schema),
  ...(etag
    ? {
      headers: {
        ETag: {
          description: "The record's new weak ETag (as its GET sends it): send it as If-Match to chain edits.",
          schema: { type: 'string' },
        },
      },
    }
    : {}),
});

/** The `Error` schema with `code` narrowed to the codes of one status. */
const statusError = (status: number): Schema => ({
  allOf: [ref('Error'), { type: 'object', properties: { code: { enum: codesWith(status) } } }],
});

/** The shared error responses, `components.responses`. */
export function sharedResponses(): Record<string, Schema> {
  return {
    ...Object.fromEntries(
      Object.entries(ERROR_RESPONSES).map(([status, name]) => [name, {
        description: `Error (${codesWith(Number(status)).join(', ')}).`,
        content: json(statusError(Number(status))),
      }]),
    ),
    OtherError: {
      description: `Any other error, in the same shape: ${
        [...new Set(otherCodes.map((c) => apiErrorCodes[c].status))].sort((a, b) => a - b).map((s) =>
          `${s} (${otherCodes.filter((c) => apiErrorCodes[c].status === s).join(', ')})`
        ).join('; ')
      }.`,
      content: json(ref('Error')),
    },
  };
}

/** References to the shared responses of these statuses, and `default` for the rest. */
export function errors(...statuses: number[]): Record<string, Schema> {
  return {
    ...Object.fromEntries(statuses.map((s) => [String(s), { $ref: `#/components/responses/${ERROR_RESPONSES[s]}` }])),
    default: { $ref: '#/components/responses/OtherError' },
  };
}

/** `ActionError` (runtime/actions.ts): what a handler's `throw new ActionError(message, code, status)` answers. */
export const ACTION_ERROR: Schema = {
  type: 'object',
  description: "An ActionError thrown by the action's handler: its own message, code, 4xx status and details.",
  properties: {
    error: { type: 'string' },
    layer: { const: 'access' },
    code: { type: 'string' },
    details: { type: 'object', additionalProperties: true },
  },
  required: ['error', 'layer', 'code'],
  additionalProperties: false,
};

/** Errors of an action route: each 4xx is the pipeline's error of that status or the handler's ActionError (`4XX`: any other 4xx). */
export function actionErrors(statuses: number[]): Record<string, Schema> {
  const either = (description: string, schema: Schema) => ({
    description,
    content: json({ anyOf: [schema, ref('ActionError')] }),
  });
  const out: Record<string, Schema> = {};
  for (const s of statuses) {
    out[String(s)] = s === 503
      ? {
        description: `Error (${
          codesWith(503).join(', ')
        }): ACCESS_AUDIT_LOG_FAILED when the audit event could not be written (unsafe actions fail closed).`,
        content: json(statusError(503)),
      }
      : either(`Error (${codesWith(s).join(', ')}), or an ActionError of the handler.`, statusError(s));
  }
  return {
    ...out,
    '4XX': either('An ActionError of the handler with another 4xx status (or 429 AUTH_RATE_LIMITED).', ref('Error')),
    default: { $ref: '#/components/responses/OtherError' },
  };
}
