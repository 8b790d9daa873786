/**
 * @module quickback/body
 * Request bodies: JSON only (a cross-site form post cannot reach a write route), a JSON object
 * whose strings every database can store (text-input.ts), then (after the key check of guards.ts) the zod schema of the values.
 */
import type { Context } from 'hono';
import type { ZodType } from 'zod';
import { apiError } from './errors.js';
import { assertStorable } from './text-input.js';

/** 1 MiB. Larger bodies get 413 PAYLOAD_TOO_LARGE (see app.ts). */
export const BODY_LIMIT = 1024 * 1024;

export async function readJsonObject(c: Context): Promise<Record<string, unknown>> {
  const type = (c.req.header('content-type') ?? '').toLowerCase();
  if (!/^application\/([\w.+-]+\+)?json\b/.test(type)) {
    throw apiError('UNSUPPORTED_MEDIA_TYPE', { hint: 'Send Content-Type: application/json with a JSON object body.' });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(await c.req.text());
  } catch {
    throw apiError('INVALID_JSON', { hint: 'The body must be a JSON object, e.g. {"title":"..."}.' });
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw apiError('VALIDATION_FAILED', {
      message: 'The body must be a JSON object',
      hint: 'Send a JSON object, e.g. {"title":"..."}.',
    });
  }
  assertStorable(parsed);
  return parsed as Record<string, unknown>;
}

export function parseWith(
  schema: ZodType<Record<string, unknown>>,
  body: Record<string, unknown>,
): Record<string, unknown> {
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  const fields: Record<string, string> = {};
  for (const issue of result.error.issues) {
    const path = issue.path.map(String).join('.') || '(body)';
    fields[path] ??= issue.message;
  }
  throw apiError('VALIDATION_FAILED', { details: { fields } });
}

/** The body's declared length (Content-Length without Transfer-Encoding), if any. */
export function declaredLength(request: Request): number | undefined {
  const length = request.headers.get('content-length');
  return length === null || request.headers.has('transfer-encoding') ? undefined : Number(length);
}

/**
 * Reads and discards an oversized body (up to 16 MiB) before the 413 goes out, so HTTP clients
 * that are still sending see the response instead of a reset connection.
 */
export async function drain(request: Request, max = 16 * BODY_LIMIT): Promise<void> {
  if (!request.body || request.bodyUsed || request.body.locked) return;
  const reader = request.body.getReader();
  let seen = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done || (seen += value.byteLength) > max) break;
    }
  } catch {
    // the client went away: nothing left to drain
  } finally {
    await reader.cancel().catch(() => {});
  }
}
