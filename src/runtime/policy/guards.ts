/**
 * @module quickback/guards
 * Which body keys a write may carry, checked before the value schema so every guard code is
 * reachable. Precedence (reference §1.6): create → system-managed > protected > not createable;
 * update → system-managed > immutable > protected > not updatable. A key naming no column is
 * VALIDATION_FAILED ("Unknown field"). The first failing class answers; nothing is written.
 */
import { parseWith } from '../core/body.js';
import { apiError, type ApiErrorCode } from '../core/errors.js';
import type { ResourceDefinition } from '../core/resource.js';

export type { GuardsDefinition } from '../core/resource.js';

type Op = 'create' | 'update';

const HINTS: Partial<Record<ApiErrorCode, string>> = {
  GUARD_SYSTEM_MANAGED:
    'These fields are set by the server (id, tenant scope, audit fields); remove them from the body.',
  GUARD_FIELD_IMMUTABLE: 'These fields can only be set when the record is created.',
  GUARD_FIELD_PROTECTED: 'These fields change only through the actions listed in details.actions.',
};

function isSystem(resource: ResourceDefinition, key: string, op: Op): boolean {
  const field = resource.fields.find((f) => f.key === key);
  if (!field) return false;
  if (key === resource.id.key) return !(op === 'create' && resource.id.clientIds);
  return field.system;
}

function classify(resource: ResourceDefinition, key: string, op: Op): ApiErrorCode | 'unknown' | null {
  if (!resource.fields.some((f) => f.key === key)) return 'unknown';
  if (isSystem(resource, key, op)) return 'GUARD_SYSTEM_MANAGED';
  if (key === resource.id.key) return null;
  const g = resource.guards;
  if (!g.lists) return null;
  if (op === 'create') {
    if (key in g.protected) return 'GUARD_FIELD_PROTECTED';
    return g.createable.includes(key) || g.immutable.includes(key) ? null : 'GUARD_FIELD_NOT_CREATEABLE';
  }
  if (g.immutable.includes(key)) return 'GUARD_FIELD_IMMUTABLE';
  if (key in g.protected) return 'GUARD_FIELD_PROTECTED';
  return g.updatable.includes(key) ? null : 'GUARD_FIELD_NOT_UPDATABLE';
}

const ORDER: Record<Op, ApiErrorCode[]> = {
  create: ['GUARD_SYSTEM_MANAGED', 'GUARD_FIELD_PROTECTED', 'GUARD_FIELD_NOT_CREATEABLE'],
  update: ['GUARD_SYSTEM_MANAGED', 'GUARD_FIELD_IMMUTABLE', 'GUARD_FIELD_PROTECTED', 'GUARD_FIELD_NOT_UPDATABLE'],
};

/** The keys this caller may send on `op`, for hints and OpenAPI. */
export function writableKeys(resource: ResourceDefinition, op: Op): string[] {
  return resource.fields.map((f) => f.key).filter((key) => classify(resource, key, op) === null);
}

/** Throws the guard error of the first failing class, or VALIDATION_FAILED for unknown keys. */
export function checkWrite(resource: ResourceDefinition, body: Record<string, unknown>, op: Op): void {
  const found = new Map<string, string[]>();
  for (const key of Object.keys(body)) {
    const cls = classify(resource, key, op);
    if (cls) found.set(cls, [...(found.get(cls) ?? []), key]);
  }
  for (const code of ORDER[op]) {
    const fields = found.get(code)?.sort();
    if (!fields) continue;
    const details: Record<string, unknown> = { fields };
    if (code === 'GUARD_FIELD_PROTECTED')
      details.actions = Object.fromEntries(fields.map((f) => [f, [...resource.guards.protected[f]]]));
    throw apiError(code, {
      details,
      hint: HINTS[code] ?? `Writable fields: ${writableKeys(resource, op).join(', ') || '(none)'}`,
    });
  }
  const unknown = found.get('unknown')?.sort();
  if (unknown) {
    throw apiError('VALIDATION_FAILED', {
      message: 'The body has unknown fields',
      details: { fields: Object.fromEntries(unknown.map((key) => [key, 'Unknown field'])) },
      hint: `Writable fields: ${writableKeys(resource, op).join(', ') || '(none)'}`,
    });
  }
}

/** The values of a write: keys checked by the guards first (so every guard code is reachable), then the value schema. */
export function writeData(
  resource: ResourceDefinition,
  body: Record<string, unknown>,
  op: 'create' | 'update',
): Record<string, unknown> {
  checkWrite(resource, body, op);
  const data = parseWith(op === 'create' ? resource.createBody : resource.updateBody, body);
  if (op === 'update' && Object.keys(data).length === 0)
    throw apiError('VALIDATION_FAILED', { message: 'Nothing to update', hint: 'Send at least one field.' });
  return data;
}
