import { describe, expect, it } from 'vitest';
import { memoryStore } from './data-keys.testkit.js';
import { DataKeys } from './data-keys.js';
import { importKek } from './envelope.js';
import { decryptRow, encryptRow, type EncryptedFields } from './field-crypto.js';

const FIELDS: EncryptedFields = {
  table: 'guests',
  columns: ['notes', 'contact'],
  orgKey: 'organizationId',
  idKey: 'id',
};

describe('field crypto', () => {
  it('encrypts the listed string columns only, and reads them back in their row', async () => {
    const keys = new DataKeys(memoryStore(), [await importKek('c3'.repeat(32))]);
    const row = { id: 'gst_1', organizationId: 'org_1', name: 'Ada', notes: 'nut allergy', contact: null, visits: 3 };
    const stored = await encryptRow(keys, FIELDS, row, 'org_1', 'gst_1');
    expect(stored).toMatchObject({ id: 'gst_1', name: 'Ada', contact: null, visits: 3 });
    expect(stored.notes).toMatch(/^qbenc:1:1:/);
    expect(await decryptRow(keys, FIELDS, stored)).toEqual(row);
    expect(await decryptRow(keys, FIELDS, { ...stored, id: 'gst_2' }).catch((e) => e.reason)).toBe('tampered');
  });

  it('a ciphertext sent as a value is encrypted like any text (never adopted); legacy plaintext reads as it is', async () => {
    const keys = new DataKeys(memoryStore(), [await importKek('c3'.repeat(32))]);
    const theirs = await encryptRow(
      keys,
      FIELDS,
      { id: 'gst_9', organizationId: 'org_2', notes: 'secret of org 2' },
      'org_2',
      'gst_9',
    );
    const copied = await encryptRow(
      keys,
      FIELDS,
      { id: 'gst_1', organizationId: 'org_1', notes: theirs.notes },
      'org_1',
      'gst_1',
    );
    expect((await decryptRow(keys, FIELDS, copied)).notes).toBe(theirs.notes);
    expect(await decryptRow(keys, FIELDS, { id: 'gst_3', organizationId: 'org_1', notes: 'written before encryption' }))
      .toMatchObject({ notes: 'written before encryption' });
  });
});
