/**
 * Envelope encryption's stored format as data that must keep opening: a known-answer vector
 * (the KEK id, a wrapped data key and a value written by this version), the strict base64url
 * decoder, the parsers' refusals, and keys that never leave Web Crypto.
 */
import { describe, expect, it } from 'vitest';
import {
  decryptValue,
  EnvelopeError,
  fromBase64Url,
  importKek,
  isEncryptedValue,
  keyVersionOf,
  rewrapDek,
  unwrapDek,
  type FieldContext,
} from './envelope.js';

const KEK_HEX = 'a1'.repeat(32);
const KAT = {
  kekId: '9vk7D-eM56GJ',
  wrapped: 'qbkey:1:9vk7D-eM56GJ:R4Clz-9hii6kqZ02:JfjaLBJi_0m8zI2vJFs_UltUesKgElWxjyeU8hvVbN4TQxPtiyf25k6w6B_rLJKi',
  stored: 'qbenc:1:3:ArsOAm2RXHq6Blnw:At77xRY4HtWIqLUCOy_gE0hmu9kNC-a4K7apmchciIo',
  field: { orgId: 'org_kat', table: 'guests', column: 'dietary_notes', rowId: 'gst_9' } as FieldContext,
};

async function failure(
  promise: Promise<unknown> | (() => unknown),
): Promise<{ reason: string; message: string; name: string } | 'ok'> {
  try {
    await (typeof promise === 'function' ? promise() : promise);
    return 'ok';
  } catch (error) {
    if (!(error instanceof EnvelopeError)) throw error;
    return { reason: error.reason, message: error.message, name: error.name };
  }
}

describe('the stored format (known answer)', () => {
  it('the KEK id is stable (every wrapped key names it), and surrounding whitespace in the env value is ignored', async () => {
    expect((await importKek(KEK_HEX)).id).toBe(KAT.kekId);
    expect((await importKek(`  ${KEK_HEX.toUpperCase()}\n`)).id).toBe(KAT.kekId);
  });

  it('a data key wrapped and a value written by this version still open', async () => {
    const { dek } = await unwrapDek([await importKek(KEK_HEX)], KAT.wrapped, 'org_kat', 3);
    expect(await decryptValue(dek, KAT.stored, KAT.field)).toBe('known answer ✓');
    expect(await decryptValue({ version: dek.version, key: dek.key }, KAT.stored, KAT.field)).toBe('known answer ✓');
  });

  it('neither the KEK nor a data key can be exported from Web Crypto', async () => {
    const kek = await importKek(KEK_HEX);
    const { dek } = await unwrapDek([kek], KAT.wrapped, 'org_kat', 3);
    for (const key of [kek.key, dek.key]) await expect(crypto.subtle.exportKey('raw', key)).rejects.toThrow();
  });
});

describe("refusals, with the reason and the operator's hint", () => {
  it('a KEK that is not 64 hex digits names the fix', async () => {
    expect(await failure(importKek('xyz'))).toEqual({
      reason: 'malformed',
      name: 'EnvelopeError',
      message: expect.stringContaining('openssl rand -hex 32'),
    });
  });

  it('wrapped keys: wrong shape, prefix or format version is malformed; an unknown KEK says how to rotate; not 32 bytes is tampered', async () => {
    const kek = await importKek(KEK_HEX);
    const [, , id, iv, sealed] = KAT.wrapped.split(':');
    for (const bad of [
      `qbkey:1:${id}:${iv}`,
      `qbkex:1:${id}:${iv}:${sealed}`,
      `qbkey:2:${id}:${iv}:${sealed}`,
      `${KAT.wrapped}:x`,
    ]) {
      expect(await failure(unwrapDek([kek], bad, 'org_kat', 3))).toMatchObject({ reason: 'malformed' });
    }
    expect(await failure(unwrapDek([kek], `qbkey:1:other:${iv}:${sealed}`, 'org_kat', 3))).toMatchObject({
      reason: 'unknown-key',
      message: expect.stringContaining('ENCRYPTION_KEK_PREVIOUS'),
    });
    const short = await rewrapDek(kek, new Uint8Array(16), 'org_kat', 3);
    expect(await failure(unwrapDek([kek], short, 'org_kat', 3))).toMatchObject({ reason: 'tampered' });
  });

  it('values: the key version is 1 to 9 digits without a leading zero', () => {
    expect(keyVersionOf('qbenc:1:123456789:a:b')).toBe(123456789);
    for (const version of ['1234567890', '01', 'x1', '1x', '', '-1']) {
      expect(() => keyVersionOf(`qbenc:1:${version}:a:b`)).toThrow(EnvelopeError);
    }
  });

  it('isEncryptedValue: strings with the qbenc: prefix only', () => {
    expect([
      isEncryptedValue('qbenc:1:1:a:b'),
      isEncryptedValue('qbenc'),
      isEncryptedValue('xqbenc:1'),
      isEncryptedValue(7),
      isEncryptedValue(null),
    ]).toEqual([true, false, false, false, false]);
  });
});

describe('fromBase64Url: strict and canonical', () => {
  it('decodes canonical text of every length class', () => {
    expect([...fromBase64Url('AQ')]).toEqual([1]);
    expect([...fromBase64Url('AAE')]).toEqual([0, 1]);
    expect([...fromBase64Url('AAAB')]).toEqual([0, 0, 1]);
    expect([...fromBase64Url('_-8')]).toEqual([255, 239]);
  });

  it.each(['A', 'AAAAA', 'AB', 'AE', 'AAB', 'A+AA', 'AAA/', '=AAA', 'AA==', 'AA A', ''])('refuses %j', (text) => {
    expect(() => fromBase64Url(text)).toThrow(EnvelopeError);
  });
});
