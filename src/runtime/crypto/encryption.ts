/**
 * @module quickback/encryption
 * Seed 003 wired into the routes. The keyring turns ENCRYPTION_KEK (and ENCRYPTION_KEK_PREVIOUS,
 * comma-separated) into one DataKeys per process or isolate, so the unwrap cache outlives a
 * request. `sealNew` / `sealChanges` encrypt a resource's `.encrypted()` columns before any
 * statement sees them (the write chokepoint); `openRow` decrypts after the firewall and before
 * masking. A value that does not open answers a coded error, never the stored value.
 */
import type { Context } from 'hono';
import { drizzleDataKeyStore, type DataKeyTable } from './data-key-store.js';
import { DataKeys, type DataKeyOptions } from './data-keys.js';
import { EnvelopeError, importKek, isEncryptedValue, keyVersionOf } from './envelope.js';
import type { AppContext } from '../core/context.js';
import { apiError } from '../core/errors.js';
import { revealed } from '../policy/masking.js';
import { decryptRow, encryptRow, type EncryptedFields } from './field-crypto.js';
import type { ResourceDefinition } from '../core/resource.js';
import type { QueryDatabase, QuickbackEnv, C, Row } from '../core/types.js';

declare module '../core/types.js' {
  interface QuickbackVariables {
    /** The data keys of `.encrypted()` columns (only when the app has them). */
    keys?: Keyring;
  }
}

export type Keyring = () => Promise<DataKeys>;

const KEK_FORMAT = /^[0-9a-fA-F]{64}$/;

/** The KEKs of the environment: the current one first, then the previous ones (read-only). */
export function kekSecrets(env: Record<string, string | undefined>): string[] {
  return [env.ENCRYPTION_KEK ?? '', ...(env.ENCRYPTION_KEK_PREVIOUS ?? '').split(',')].map((s) => s.trim()).filter(
    Boolean,
  );
}

/** Settings whose value is not a KEK (64 hex digits), for the boot check. */
export function invalidKekEnv(env: Record<string, string | undefined>): string[] {
  const previous = (env.ENCRYPTION_KEK_PREVIOUS ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  return [
    ...(env.ENCRYPTION_KEK && !KEK_FORMAT.test(env.ENCRYPTION_KEK.trim()) ? ['ENCRYPTION_KEK'] : []),
    ...(previous.some((k) => !KEK_FORMAT.test(k)) ? ['ENCRYPTION_KEK_PREVIOUS'] : []),
  ];
}

/** The app's data keys on its features database, created on first use. */
export function createKeyring(
  db: QueryDatabase,
  table: DataKeyTable,
  env: Record<string, string | undefined>,
  options?: DataKeyOptions,
): Keyring {
  let pending: Promise<DataKeys> | undefined;
  const load = async () =>
    new DataKeys(drizzleDataKeyStore(db, table), await Promise.all(kekSecrets(env).map(importKek)), options);
  return () => (pending ??= load().catch((err) => {
    pending = undefined;
    throw err;
  }));
}

const fieldsOf = new WeakMap<ResourceDefinition, EncryptedFields | null>();

/** The resource's encrypted columns as field-crypto takes them (derived once per resource: every request asks). */
export function encryptedFields(resource: ResourceDefinition): EncryptedFields | undefined {
  let fields = fieldsOf.get(resource);
  if (fields === undefined) {
    const { encrypted } = resource;
    fields = encrypted && encrypted.columns.length > 0
      ? { table: resource.name, columns: encrypted.columns, orgKey: encrypted.orgKey, idKey: resource.id.key }
      : null;
    fieldsOf.set(resource, fields);
  }
  return fields ?? undefined;
}

/** An envelope failure as the API answers it (no value, no key material). */
export function envelopeFailure(resource: { name: string } | null, err: unknown): unknown {
  if (!(err instanceof EnvelopeError)) return err;
  const feature = resource ? { feature: resource.name } : {};
  if (err.reason === 'unknown-key') {
    return apiError('ENCRYPTION_KEY_UNAVAILABLE', {
      details: feature,
      hint:
        'The data key was wrapped under a KEK this app does not hold: set ENCRYPTION_KEK_PREVIOUS to the previous KEK while rotating.',
    });
  }
  const reason = err.reason === 'missing-key' ? 'key-shredded' : err.reason;
  return apiError('ENCRYPTED_VALUE_UNREADABLE', {
    details: { ...feature, ...(err.column ? { column: err.column } : {}), reason },
    hint: reason === 'key-shredded'
      ? "The organization's data key was deleted (crypto-shredded): its values cannot be read."
      : 'The stored value was altered or moved from another row, column or organization.',
  });
}

export async function keysOf(c: C): Promise<DataKeys> {
  const keyring = c.get('keys');
  if (!keyring)
    throw apiError('MISSING_ENV', {
      details: { missing: ['ENCRYPTION_KEK'] },
      hint: 'This app has encrypted columns: set ENCRYPTION_KEK (openssl rand -hex 32).',
    });
  return keyring();
}

async function guarded<T>(resource: ResourceDefinition | null, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    throw envelopeFailure(resource, err);
  }
}

function place(fields: EncryptedFields, row: Row): { orgId: string; rowId: string | number } {
  const orgId = row[fields.orgKey];
  const rowId = row[fields.idKey];
  if (typeof orgId !== 'string' || orgId === '')
    throw apiError('ORG_REQUIRED', {
      hint: "Encrypted columns use the organization's key: set an active organization.",
    });
  if (typeof rowId !== 'string' && typeof rowId !== 'number')
    throw new Error(`quickback: ${fields.table} row has no id to bind its encrypted values to`);
  return { orgId, rowId };
}

/** A new row (id and organization stamped) with its encrypted columns encrypted. */
export async function sealNew(c: C, resource: ResourceDefinition, row: Row): Promise<Row> {
  const fields = encryptedFields(resource);
  if (!fields || !fields.columns.some((k) => typeof row[k] === 'string')) return row;
  const { orgId, rowId } = place(fields, row);
  return guarded(resource, async () => encryptRow(await keysOf(c), fields, row, orgId, rowId));
}

/**
 * The SET of an update of `stored` (the row as read, ciphertext): written encrypted columns are
 * encrypted, and columns still under an older key version are re-encrypted under the current one
 * (lazy re-encryption; a value that does not open is left as it is).
 */
export async function sealChanges(c: C, resource: ResourceDefinition, set: Row, stored: Row): Promise<Row> {
  const fields = encryptedFields(resource);
  if (!fields) return set;
  const written = fields.columns.filter((k) => typeof set[k] === 'string');
  const older = fields.columns.filter((k) => !(k in set) && isEncryptedValue(stored[k]));
  if (written.length === 0 && older.length === 0) return set;
  const { orgId, rowId } = place(fields, stored);
  return guarded(resource, async () => {
    const keys = await keysOf(c);
    // Never creates a key: a shredded organization's old values stay as they are.
    const current = older.length > 0 ? ((await keys.currentVersion(orgId)) ?? 0) : 0;
    const plain: Row = { ...set };
    for (const key of older.filter((k) => keyVersionOf(stored[k] as string) < current)) {
      const opened = await decryptRow(keys, { ...fields, columns: [key] }, stored).catch(() => undefined);
      if (opened) plain[key] = opened[key];
    }
    return encryptRow(keys, fields, plain, orgId, rowId);
  });
}

const opened = new WeakSet<Row>();

/** The row its readers see: encrypted columns in plaintext (rows already opened pass as they are). */
export async function openRow(c: C, resource: ResourceDefinition, row: Row): Promise<Row> {
  const fields = encryptedFields(resource);
  if (!fields || opened.has(row) || !fields.columns.some((k) => isEncryptedValue(row[k]))) return row;
  const out = await guarded(resource, async () => decryptRow(await keysOf(c), fields, row));
  opened.add(out);
  return out;
}

/**
 * Rows for a list. With `only` (the response's projection: `?fields=` or a view), just those
 * encrypted columns are decrypted; the others are projected away unread. With `ctx`, a column
 * the caller sees only as `[REDACTED]` (a `redact` mask it is not shown) is not decrypted either:
 * its answer does not depend on the value.
 */
export async function openRows(
  c: C,
  resource: ResourceDefinition,
  rows: Row[],
  view: { only?: readonly string[]; ctx?: AppContext } = {},
): Promise<Row[]> {
  const fields = encryptedFields(resource);
  if (!fields) return rows;
  const projected = view.only ? fields.columns.filter((k) => view.only!.includes(k)) : fields.columns;
  if (projected.length === 0) return rows;
  const keys = await guarded(resource, () => keysOf(c));
  const needed = (row: Row) => projected.filter((k) => {
    const rule = resource.masking[k];
    return isEncryptedValue(row[k]) && !(view.ctx && rule?.type === 'redact' && !revealed(rule, view.ctx, row));
  });
  return Promise.all(rows.map((row) => {
    const columns = opened.has(row) ? [] : needed(row);
    return columns.length === 0 ? row : guarded(resource, () => decryptRow(keys, { ...fields, columns }, row));
  }));
}
