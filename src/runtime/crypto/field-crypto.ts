/**
 * @module quickback/field-crypto
 * Where rows meet the envelope (seed 003): `encryptRow` before any statement sees a written row,
 * `decryptRow` after the firewall and before masking. A value is bound to its organization,
 * feature, column and row id, so the row id must be known before the insert. Whatever a client
 * sends for an encrypted column is encrypted, a `qbenc:` string included, so a ciphertext
 * copied from elsewhere is stored as an opaque string, never adopted. A stored value without the
 * prefix (written before the column was encrypted) is read as it is and encrypted on its next write.
 */
import type { DataKeys } from './data-keys.js';
import {
  decryptValue,
  decryptValueSync,
  encryptValue,
  EnvelopeError,
  isEncryptedValue,
  keyVersionOf,
} from './envelope.js';
import type { Row } from '../core/types.js';

/** A feature's encrypted columns, as its resource definition lists them. */
export interface EncryptedFields {
  /** The feature's name (bound into every value). */
  table: string;
  /** Keys of the encrypted columns. */
  columns: readonly string[];
  /** Key of the organization scope column, and of the id. */
  orgKey: string;
  idKey: string;
}

/** The row with its encrypted columns encrypted under the organization's current DEK (one key lookup per row). */
export async function encryptRow(
  keys: DataKeys,
  fields: EncryptedFields,
  row: Row,
  orgId: string,
  rowId: string | number,
): Promise<Row> {
  const present = fields.columns.filter((key) => typeof row[key] === 'string');
  if (present.length === 0) return row;
  const dek = await keys.forWrite(orgId);
  const out = { ...row };
  for (const column of present)
    out[column] = await encryptValue(dek, row[column] as string, {
      orgId,
      table: fields.table,
      column,
      rowId: String(rowId),
    });
  return out;
}

/** The row as its readers see it: encrypted columns in plaintext. An EnvelopeError when a value does not open in this place. */
export async function decryptRow(keys: DataKeys, fields: EncryptedFields, row: Row): Promise<Row> {
  const present = fields.columns.filter((key) => isEncryptedValue(row[key]));
  if (present.length === 0) return row;
  const orgId = String(row[fields.orgKey]);
  const rowId = String(row[fields.idKey]);
  const out = { ...row };
  for (const column of present) {
    const stored = row[column] as string;
    try {
      const version = keyVersionOf(stored);
      const dek = keys.peek(orgId, version) ?? (await keys.forRead(orgId, version));
      const where = { orgId, table: fields.table, column, rowId };
      out[column] = dek.fast
        ? decryptValueSync(dek as Parameters<typeof decryptValueSync>[0], stored, where)
        : await decryptValue(dek, stored, where);
    } catch (err) {
      throw err instanceof EnvelopeError ? new EnvelopeError(err.reason, err.message, column) : err;
    }
  }
  return out;
}
