/**
 * Envelope encryption under attack (seed 003, issue 10): round trips, values transplanted to
 * another row / column / table / organization / key version, every single-bit flip of the
 * stored value (header, IV, ciphertext, tag), wrapped keys moved between organizations or
 * opened with the wrong KEK, KEK rotation, and 100,000 encryptions with no repeated IV.
 */
import { describe, expect, it } from 'vitest';
import {
  createWrappedDek,
  decryptValue,
  encryptValue,
  EnvelopeError,
  fromBase64Url,
  importKek,
  isEncryptedValue,
  keyVersionOf,
  rewrapDek,
  toBase64Url,
  unwrapDek,
  type Dek,
  type FieldContext,
} from './envelope.js';

const KEK_HEX = 'a1'.repeat(32);
const OTHER_KEK_HEX = 'b2'.repeat(32);
const FIELD: FieldContext = { orgId: 'org_1', table: 'guests', column: 'dietary_notes', rowId: 'gst_1' };

async function reason(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'decrypted';
  } catch (error) {
    if (error instanceof EnvelopeError) return error.reason;
    throw error;
  }
}

async function setup(): Promise<Dek> {
  return (await createWrappedDek(await importKek(KEK_HEX), FIELD.orgId, 1)).dek;
}

describe('envelope encryption', () => {
  it('round-trips text in the documented format, with a fresh IV per write', async () => {
    const dek = await setup();
    for (const text of ['', 'nut allergy', 'Zoë 🥜 "quotes" : colons', 'x'.repeat(10_000)]) {
      const stored = await encryptValue(dek, text, FIELD);
      expect(stored).toMatch(/^qbenc:1:1:[A-Za-z0-9_-]{16}:[A-Za-z0-9_-]+$/);
      expect(isEncryptedValue(stored)).toBe(true);
      expect(keyVersionOf(stored)).toBe(1);
      expect(await decryptValue(dek, stored, FIELD)).toBe(text);
    }
    expect(await encryptValue(dek, 'same', FIELD)).not.toBe(await encryptValue(dek, 'same', FIELD));
  });

  it('a value moved to another row, column, table, organization or key version does not decrypt', async () => {
    const dek = await setup();
    const stored = await encryptValue(dek, 'secret', FIELD);
    const elsewhere: FieldContext[] = [
      { ...FIELD, rowId: 'gst_2' },
      { ...FIELD, column: 'emergency_contact' },
      { ...FIELD, table: 'hosts' },
      { ...FIELD, orgId: 'org_2' },
      { ...FIELD, rowId: 'gst_1", "x' },
      { ...FIELD, orgId: '' },
    ];
    for (const field of elsewhere) expect(await reason(decryptValue(dek, stored, field))).toBe('tampered');
    const otherOrgDek = (await createWrappedDek(await importKek(KEK_HEX), 'org_2', 1)).dek;
    expect(await reason(decryptValue(otherOrgDek, stored, { ...FIELD, orgId: 'org_2' }))).toBe('tampered');
    expect(await reason(decryptValue({ ...dek, version: 2 }, stored, FIELD))).toBe('unknown-key');
    expect(await reason(decryptValue(dek, stored.replace('qbenc:1:1:', 'qbenc:1:2:'), FIELD))).toBe('unknown-key');
  });

  it('every single-bit flip of the stored value, and of its IV, ciphertext and tag bytes, is refused', async () => {
    const dek = await setup();
    const stored = await encryptValue(dek, 'emergency contact: +44 20 7946 0000', FIELD);
    let attempts = 0;
    let accepted = 0;
    for (let i = 0; i < stored.length; i++) {
      for (let bit = 0; bit < 8; bit++) {
        const flipped = stored.slice(0, i) + String.fromCharCode(stored.charCodeAt(i) ^ (1 << bit))
          + stored.slice(i + 1);
        attempts++;
        if ((await reason(decryptValue(dek, flipped, FIELD))) === 'decrypted') accepted++;
      }
    }
    const [head, iv, sealed] = [
      stored.split(':').slice(0, 3).join(':'),
      fromBase64Url(stored.split(':')[3]),
      fromBase64Url(stored.split(':')[4]),
    ];
    for (const [which, bytes] of [['iv', iv], ['sealed', sealed]] as const) {
      for (let i = 0; i < bytes.length * 8; i++) {
        const copy = bytes.slice();
        copy[i >> 3] ^= 1 << (i & 7);
        const candidate = which === 'iv'
          ? `${head}:${toBase64Url(copy)}:${toBase64Url(sealed)}`
          : `${head}:${toBase64Url(iv)}:${toBase64Url(copy)}`;
        attempts++;
        if ((await reason(decryptValue(dek, candidate, FIELD))) === 'decrypted') accepted++;
      }
    }
    console.log(`[envelope] bit flips: ${attempts} attempts, ${accepted} accepted`);
    expect(attempts).toBeGreaterThan(1000);
    expect(accepted).toBe(0);
  });

  it('wrapped keys: bound to their organization and version, named by their KEK, re-wrapped on KEK rotation', async () => {
    const oldKek = await importKek(KEK_HEX);
    const newKek = await importKek(OTHER_KEK_HEX);
    expect(oldKek.id).not.toBe(newKek.id);
    const { dek, wrapped } = await createWrappedDek(oldKek, 'org_1', 1);
    expect(wrapped).toMatch(new RegExp(`^qbkey:1:${oldKek.id}:`));
    const stored = await encryptValue(dek, 'before rotation', FIELD);
    expect(await reason(unwrapDek([oldKek], wrapped, 'org_2', 1))).toBe('tampered');
    expect(await reason(unwrapDek([oldKek], wrapped, 'org_1', 2))).toBe('tampered');
    expect(await reason(unwrapDek([newKek], wrapped, 'org_1', 1))).toBe('unknown-key');
    const opened = await unwrapDek([newKek, oldKek], wrapped, 'org_1', 1);
    expect(opened.kek.id).toBe(oldKek.id);
    const rewrapped = await rewrapDek(newKek, opened.raw, 'org_1', 1);
    const afterRotation = await unwrapDek([newKek], rewrapped, 'org_1', 1);
    expect(await decryptValue(afterRotation.dek, stored, FIELD)).toBe('before rotation');
  });

  it('refuses a KEK that is not 32 bytes of hex, and malformed values', async () => {
    for (const bad of ['', 'a1'.repeat(31), 'zz'.repeat(32), 'a1'.repeat(33)])
      expect(await reason(importKek(bad))).toBe('malformed');
    const dek = await setup();
    for (const bad of [
      'plain text',
      'qbenc:1:1:abc',
      'qbenc:2:1:AAAAAAAAAAAAAAAA:AAAA',
      'qbenc:1:0:AAAAAAAAAAAAAAAA:AAAA',
      'qbenc:1:1:AAAA:AAAAAAAAAAAAAAAAAAAAAAAA',
      'qbenc:1:1:AAAAAAAAAAAAAAAA:A+/=',
    ]) {
      expect(await reason(decryptValue(dek, bad, FIELD))).toBe('malformed');
    }
  });

  it("node:crypto (fast path) and Web Crypto produce the same format and open each other's values", async () => {
    const dek = await setup();
    const web: Dek = { version: dek.version, key: dek.key };
    expect(dek.fast).toBeDefined(); // Node has AES-GCM Cipheriv
    const byFast = await encryptValue(dek, 'fast → web', FIELD);
    const byWeb = await encryptValue(web, 'web → fast', FIELD);
    expect(await decryptValue(web, byFast, FIELD)).toBe('fast → web');
    expect(await decryptValue(dek, byWeb, FIELD)).toBe('web → fast');
    for (const key of [dek, web]) {
      const tampered = byWeb.slice(0, -3) + (byWeb.at(-3) === 'A' ? 'B' : 'A') + byWeb.slice(-2);
      expect(await reason(decryptValue(key, tampered, FIELD))).toBe('tampered');
      expect(await reason(decryptValue(key, byFast, { ...FIELD, rowId: 'gst_2' }))).toBe('tampered');
    }
  });

  it('100,000 encryptions under one key: no IV repeats', async () => {
    const dek = await setup();
    const seen = new Set<string>();
    const count = Number(process.env.QB_ENVELOPE_IVS ?? 100_000);
    for (let i = 0; i < count; i++) seen.add((await encryptValue(dek, 'x', FIELD)).split(':')[3]);
    console.log(`[envelope] ${count} encryptions, ${count - seen.size} repeated IVs`);
    expect(seen.size).toBe(count);
  }, 120_000);
});
