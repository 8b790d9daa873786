/**
 * @module quickback/body
 * Request bodies: JSON only (a cross-site form post cannot reach a write route), a JSON object,
 * no server-managed or unknown keys, then the zod schema. One documented rule for keys: a key
 * naming a system-managed column (id, scope, audit) is refused with GUARD_SYSTEM_MANAGED, a key
 * naming no column with VALIDATION_FAILED; nothing is written in either case.
 */
import type { Context } from 'hono';
import type { ZodType } from 'zod';
import { apiError } from './errors.js';
import type { ResourceDefinition } from './resource.js';

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
    throw apiError('VALIDATION_FAILED', { message: 'The body must be a JSON object', hint: 'Send a JSON object, e.g. {"title":"..."}.' });
  }
  return parsed as Record<string, unknown>;
}

export function checkKeys(resource: ResourceDefinition, body: Record<string, unknown>, op: 'create' | 'update'): void {
  const fields = new Map(resource.fields.map((f) => [f.key, f]));
  const clientId = (key: string) => op === 'create' && resource.id.clientIds && key === resource.id.key;
  const system = Object.keys(body).filter((key) => fields.get(key)?.system || (fields.has(key) && key === resource.id.key && !clientId(key)));
  if (system.length > 0) {
    throw apiError('GUARD_SYSTEM_MANAGED', {
      details: { fields: system.sort() },
      hint: 'These fields are set by the server (id, tenant scope, audit fields); remove them from the body.',
    });
  }
  const unknown = Object.keys(body).filter((key) => !fields.has(key)).sort();
  if (unknown.length > 0) {
    const writable = resource.fields.filter((f) => !f.system && (f.key !== resource.id.key || clientId(f.key))).map((f) => f.key);
    throw apiError('VALIDATION_FAILED', {
      message: 'The body has unknown fields',
      details: { fields: Object.fromEntries(unknown.map((key) => [key, 'Unknown field'])) },
      hint: `Writable fields: ${writable.join(', ')}`,
    });
  }
}

export function parseWith(schema: ZodType<Record<string, unknown>>, body: Record<string, unknown>): Record<string, unknown> {
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  const fields: Record<string, string> = {};
  for (const issue of result.error.issues) {
    const path = issue.path.map(String).join('.') || '(body)';
    fields[path] ??= issue.message;
  }
  throw apiError('VALIDATION_FAILED', { details: { fields } });
}
