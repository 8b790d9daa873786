/**
 * @module quickback/envelope
 * Field-level envelope encryption (seed 003), Web Crypto only (Workers, Node, Bun). The KEK
 * (`ENCRYPTION_KEK`, 32 bytes as hex) wraps one random 256-bit DEK per organization and key
 * version; DEKs encrypt values with AES-256-GCM and a fresh 96-bit random IV. Both layers bind
 * their context as associated data, so a wrapped DEK moved to another organization, or a value
 * moved to another organization, table, column, row or key version, fails to decrypt.
 *
 *   value at rest: qbenc:1:<keyVersion>:<iv>:<ciphertext+tag>   (base64url)
 *   wrapped DEK:   qbkey:1:<kekId>:<iv>:<ciphertext+tag>        (kekId: which KEK wrapped it)
 */

import { base64url, fastKey, fastOpen, fastSeal, type FastKey } from './gcm.js';

const VALUE_PREFIX = 'qbenc';
const KEY_PREFIX = 'qbkey';
const FORMAT = 1;
const B64URL = /^[A-Za-z0-9_-]+$/;

/** Random 96-bit IVs: a DEK must be rotated well before 2^32 encryptions (NIST SP 800-38D §8.3); we stop at 2^30. */
export const MESSAGES_PER_DEK = 2 ** 30;

/** `unknown-key`: wrapped under a KEK this app does not hold; `missing-key`: the organization has no such data key (shredded). */
export type EnvelopeFailure = 'malformed' | 'tampered' | 'unknown-key' | 'missing-key';

/** A value or key that cannot be opened: never its plaintext, never the key. */
export class EnvelopeError extends Error {
  /** `column`: which column of a row failed (set by decryptRow). */
  constructor(readonly reason: EnvelopeFailure, message: string, readonly column?: string) {
    super(message);
    this.name = 'EnvelopeError';
  }
}

/** Where a value lives: all of it is bound to the ciphertext. */
export interface FieldContext {
  orgId: string;
  table: string;
  column: string;
  rowId: string;
}

/** WebCrypto's key type, named portably (Node's types have no global `CryptoKey`). */
type CryptoKey = Awaited<ReturnType<typeof crypto.subtle.importKey>>;

export interface Kek {
  id: string;
  key: CryptoKey;
}
/** `fast`: the same key for node:crypto's synchronous AES-GCM (gcm.ts), where the runtime has it. */
export interface Dek {
  version: number;
  key: CryptoKey;
  fast?: FastKey;
}

type Bytes = Uint8Array<ArrayBuffer>;

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export function toBase64Url(bytes: Uint8Array): string {
  return base64url.encode(bytes);
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** Strict base64url: the alphabet, no padding, and canonical (the unused low bits of the last character are zero). */
export function fromBase64Url(text: string): Bytes {
  const rest = text.length % 4;
  if (!B64URL.test(text) || rest === 1) throw new EnvelopeError('malformed', 'not base64url');
  if (rest !== 0 && (ALPHABET.indexOf(text[text.length - 1]) & (rest === 2 ? 0x0f : 0x03)) !== 0)
    throw new EnvelopeError('malformed', 'not canonical base64url');
  return base64url.decode(text);
}

/** JSON of the parts: unambiguous whatever the ids contain. */
const associatedData = (parts: (string | number)[]): Bytes => encoder.encode(JSON.stringify(parts)) as Bytes;

async function seal(key: CryptoKey, plaintext: Bytes, aad: Bytes): Promise<[Bytes, Bytes]> {
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const sealed = await crypto.subtle.encrypt(
    { name: 'AES-GCM', iv, additionalData: aad, tagLength: 128 },
    key,
    plaintext,
  );
  return [iv, new Uint8Array(sealed)];
}

async function open(key: CryptoKey, iv: Bytes, sealed: Bytes, aad: Bytes): Promise<Bytes> {
  try {
    return new Uint8Array(
      await crypto.subtle.decrypt({ name: 'AES-GCM', iv, additionalData: aad, tagLength: 128 }, key, sealed),
    );
  } catch {
    throw new EnvelopeError('tampered', 'the ciphertext does not authenticate in this place');
  }
}

async function dekOf(version: number, raw: Bytes): Promise<Dek> {
  const key = await crypto.subtle.importKey('raw', raw, 'AES-GCM', false, ['encrypt', 'decrypt']);
  const fast = fastKey(raw);
  return fast ? { version, key, fast } : { version, key };
}

/** The KEK from its env value (64 hex digits); its id names it in wrapped keys without revealing it. */
export async function importKek(secret: string): Promise<Kek> {
  if (!/^[0-9a-fA-F]{64}$/.test(secret.trim()))
    throw new EnvelopeError('malformed', 'ENCRYPTION_KEK must be 32 bytes as 64 hex digits (openssl rand -hex 32)');
  const raw = Uint8Array.from(secret.trim().match(/../g)!, (h) => parseInt(h, 16));
  const mac = await crypto.subtle.importKey('raw', raw, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  const id = toBase64Url(
    new Uint8Array(await crypto.subtle.sign('HMAC', mac, encoder.encode('quickback kek id'))).slice(0, 9),
  );
  return { id, key: await crypto.subtle.importKey('raw', raw, 'AES-GCM', false, ['encrypt', 'decrypt']) };
}

/** A new DEK for `orgId` at `version`, wrapped under the KEK: what org_data_keys stores. */
export async function createWrappedDek(
  kek: Kek,
  orgId: string,
  version: number,
): Promise<{ dek: Dek; wrapped: string }> {
  const raw = crypto.getRandomValues(new Uint8Array(32));
  const [iv, sealed] = await seal(kek.key, raw, associatedData([KEY_PREFIX, FORMAT, orgId, version]));
  const dek = await dekOf(version, raw);
  raw.fill(0);
  return { dek, wrapped: [KEY_PREFIX, FORMAT, kek.id, toBase64Url(iv), toBase64Url(sealed)].join(':') };
}

/** Opens a wrapped DEK with whichever of the KEKs wrapped it (current first, then previous ones). */
export async function unwrapDek(
  keks: readonly Kek[],
  wrapped: string,
  orgId: string,
  version: number,
): Promise<{ dek: Dek; kek: Kek; raw: Bytes }> {
  const parts = wrapped.split(':');
  if (parts.length !== 5 || parts[0] !== KEY_PREFIX || parts[1] !== String(FORMAT))
    throw new EnvelopeError('malformed', 'not a wrapped data key');
  const kek = keks.find((k) => k.id === parts[2]);
  if (!kek)
    throw new EnvelopeError(
      'unknown-key',
      'the data key was wrapped under a KEK this app does not hold (set ENCRYPTION_KEK_PREVIOUS while rotating)',
    );
  const raw = await open(
    kek.key,
    fromBase64Url(parts[3]),
    fromBase64Url(parts[4]),
    associatedData([KEY_PREFIX, FORMAT, orgId, version]),
  );
  if (raw.length !== 32) throw new EnvelopeError('tampered', 'a data key is 32 bytes');
  return { dek: await dekOf(version, raw), kek, raw };
}

/** Re-wraps a DEK's raw bytes under another KEK (KEK rotation: data rows stay as they are). */
export async function rewrapDek(kek: Kek, raw: Bytes, orgId: string, version: number): Promise<string> {
  const [iv, sealed] = await seal(kek.key, raw, associatedData([KEY_PREFIX, FORMAT, orgId, version]));
  return [KEY_PREFIX, FORMAT, kek.id, toBase64Url(iv), toBase64Url(sealed)].join(':');
}

const fieldData = (field: FieldContext, version: number) =>
  associatedData([VALUE_PREFIX, FORMAT, field.orgId, field.table, field.column, field.rowId, version]);

export function isEncryptedValue(value: unknown): value is string {
  return typeof value === 'string' && value.startsWith(`${VALUE_PREFIX}:`);
}

/** The key version a stored value names (to fetch its DEK), or an EnvelopeError. */
export function keyVersionOf(stored: string): number {
  const parts = stored.split(':');
  if (
    parts.length !== 5 || parts[0] !== VALUE_PREFIX || parts[1] !== String(FORMAT)
    || !/^[1-9][0-9]{0,8}$/.test(parts[2])
  ) {
    throw new EnvelopeError('malformed', 'not an encrypted value');
  }
  return Number(parts[2]);
}

export async function encryptValue(dek: Dek, plaintext: string, field: FieldContext): Promise<string> {
  const data = encoder.encode(plaintext) as Bytes;
  const aad = fieldData(field, dek.version);
  const [iv, sealed] = dek.fast
    ? fastSeal(dek.fast, crypto.getRandomValues(new Uint8Array(12)), data, aad)
    : await seal(dek.key, data, aad);
  return [VALUE_PREFIX, FORMAT, dek.version, toBase64Url(iv), toBase64Url(sealed)].join(':');
}

function parts(dek: Dek, stored: string, field: FieldContext): { iv: Bytes; sealed: Bytes; aad: Bytes } {
  if (keyVersionOf(stored) !== dek.version)
    throw new EnvelopeError('unknown-key', 'the value names another key version');
  const [, , , iv, sealed] = stored.split(':');
  const ivBytes = fromBase64Url(iv);
  if (ivBytes.length !== 12) throw new EnvelopeError('malformed', 'the IV is 96 bits');
  return { iv: ivBytes, sealed: fromBase64Url(sealed), aad: fieldData(field, dek.version) };
}

/** Synchronous decryption with the DEK's node:crypto key (decryptValue when it has none). */
export function decryptValueSync(dek: Dek & { fast: FastKey }, stored: string, field: FieldContext): string {
  const { iv, sealed, aad } = parts(dek, stored, field);
  const opened = fastOpen(dek.fast, iv, sealed, aad);
  if (!opened) throw new EnvelopeError('tampered', 'the ciphertext does not authenticate in this place');
  return decoder.decode(opened);
}

export async function decryptValue(dek: Dek, stored: string, field: FieldContext): Promise<string> {
  if (dek.fast) return decryptValueSync(dek as Dek & { fast: FastKey }, stored, field);
  const { iv, sealed, aad } = parts(dek, stored, field);
  return decoder.decode(await open(dek.key, iv, sealed, aad));
}
