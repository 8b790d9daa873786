/**
 * @module quickback/idempotency-replay
 * The response of a marked write (idempotency-marker.ts) whose own response was never stored (the
 * process died in between), rebuilt for a retry from the records as a GET reads them: the
 * caller's read access and firewall, encrypted columns opened, masking.
 * - create, PATCH, PUT (`record`): the record at the recorded status (201 or 200);
 * - DELETE (`deleted`): `{ success: true }`;
 * - batches: the envelope `{ success, errors, meta }` at the recorded status (deletes: their ids).
 * Not rebuilt (undefined; the caller answers 409 with `written: true`): records with database ids
 * (serial), a record no longer readable by the caller (deleted or changed since, or no read access).
 */
import type { Context } from 'hono';
import { evaluateAccess } from '../policy/access.js';
import { READ_CHUNK } from './batch-items.js';
import { openRow, openRows } from '../crypto/encryption.js';
import { isApiError } from '../core/errors.js';
import type { Marker } from '../data/idempotency-marker.js';
import { representation } from '../data/preconditions.js';
import type { ResourceDefinition } from '../core/resource.js';
import { byIds, mask, type Row } from '../data/rows.js';
import { authorize } from '../policy/tenant.js';
import type { QuickbackEnv, C } from '../core/types.js';

/** The resources whose routes mark their writes, by name (crud.ts registers each; one app per copy of the runtime). */
const resources = new Map<string, ResourceDefinition>();

export function replayable(resource: ResourceDefinition): void {
  resources.set(resource.name, resource);
}

async function readable(c: C, resource: ResourceDefinition, ids: (string | number)[]): Promise<Row[] | undefined> {
  const ctx = await authorize(c, resource, resource.access.read);
  const rows: Row[] = [];
  for (let start = 0; start < ids.length; start += READ_CHUNK) {
    rows.push(
      ...await c.get('db').select().from(resource.table).where(
        byIds(resource, ctx, ids.slice(start, start + READ_CHUNK)),
      ),
    );
  }
  const byKey = new Map(rows.map((row) => [row[resource.id.key], row]));
  const ordered = ids.map((id) => byKey.get(id));
  if (ordered.some((row) => !row || !evaluateAccess(resource.access.read, ctx, row))) return undefined;
  return ordered as Row[];
}

async function rebuildOrThrow(c: C, marker: Marker): Promise<Response | undefined> {
  if (marker.kind === 'deleted') return c.json({ success: true }, marker.status as 200);
  const resource = resources.get(marker.resource);
  if (!resource || marker.ids === null) return undefined;
  if (marker.kind === 'record') {
    const rows = await readable(c, resource, marker.ids);
    if (!rows) return undefined;
    const ctx = await authorize(c, resource, resource.access.read);
    return representation(c, resource, ctx, await openRow(c, resource, rows[0]), marker.status as 200 | 201);
  }
  const idKey = resource.id.key;
  let success: Row[];
  if (marker.op === 'delete') success = marker.ids.map((id) => ({ [idKey]: id }));
  else {
    const rows = marker.ids.length === 0 ? [] : await readable(c, resource, marker.ids);
    if (!rows) return undefined;
    const ctx = await authorize(c, resource, resource.access.read);
    success = (await openRows(c, resource, rows)).map((row) => mask(resource, ctx, row));
  }
  return c.json({ success, errors: marker.errors, meta: marker.meta }, marker.status as 200);
}

/** The rebuilt response, or undefined where it cannot be rebuilt (a coded refusal while reading counts as that). */
export async function rebuild(c: C, marker: Marker): Promise<Response | undefined> {
  try {
    return await rebuildOrThrow(c, marker);
  } catch (err) {
    if (isApiError(err)) return undefined;
    throw err;
  }
}
