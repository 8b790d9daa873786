import { describe, expect, it } from 'vitest';
import type { DataKeyRow, DataKeyStore } from './data-keys.js';
import { DataKeys } from './data-keys.js';
import { importKek } from './envelope.js';
import { decryptRow, encryptRow, type EncryptedFields } from './field-crypto.js';

/** An in-memory org_data_keys (the SQLite one is tested in data-keys.test.ts). */
function memoryStore(): DataKeyStore {
  const rows = new Map<string, DataKeyRow>();
  const id = (o: string, v: number) => `${o}/${v}`;
  return {
    latest: async (o) => [...rows.values()].filter((r) => r.orgId === o).sort((a, b) => b.version - a.version)[0] ?? null,
    get: async (o, v) => rows.get(id(o, v)) ?? null,
    insert: async (r) => (rows.has(id(r.orgId, r.version)) ? false : (rows.set(id(r.orgId, r.version), { ...r }), true)),
    reserve: async (o, v, n) => (rows.get(id(o, v))!.messages += n),
    rewrap: async (o, v, w) => { rows.get(id(o, v))!.wrappedKey = w; },
    all: async () => [...rows.values()],
    remove: async (o) => [...rows.keys()].filter((k) => k.startsWith(`${o}/`)).map((k) => rows.delete(k)).length,
  };
}

const FIELDS: EncryptedFields = { table: 'guests', columns: ['notes', 'contact'], orgKey: 'organizationId', idKey: 'id' };

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
    const theirs = await encryptRow(keys, FIELDS, { id: 'gst_9', organizationId: 'org_2', notes: 'secret of org 2' }, 'org_2', 'gst_9');
    const copied = await encryptRow(keys, FIELDS, { id: 'gst_1', organizationId: 'org_1', notes: theirs.notes }, 'org_1', 'gst_1');
    expect((await decryptRow(keys, FIELDS, copied)).notes).toBe(theirs.notes);
    expect(await decryptRow(keys, FIELDS, { id: 'gst_3', organizationId: 'org_1', notes: 'written before encryption' })).toMatchObject({ notes: 'written before encryption' });
  });
});
