/**
 * The resource-level seal/open of encryption.ts: DEK rotation (the nonce budget spent) with lazy
 * re-encryption on write, envelope failures as coded API errors, and the KEK settings the boot
 * check refuses.
 */
import type { Context } from 'hono';
import { describe, expect, it } from 'vitest';
import { memoryStore } from './data-keys.testkit.js';
import { DataKeys } from './data-keys.js';
import { invalidKekEnv, openRow, sealChanges, sealNew } from './encryption.js';
import { importKek, keyVersionOf } from './envelope.js';
import { isApiError } from '../core/errors.js';
import type { ResourceDefinition } from '../core/resource.js';

const guests = {
  name: 'guests',
  id: { key: 'id' },
  encrypted: { columns: ['notes', 'contact'], orgKey: 'organizationId' },
} as unknown as ResourceDefinition;
const contextWith = (keys: DataKeys) =>
  ({ get: (name: string) => (name === 'keys' ? () => Promise.resolve(keys) : undefined) }) as unknown as Context;

describe('encryption (resource level)', () => {
  it('rotates the DEK when its budget is spent and re-encrypts older values lazily on the next write of their row', async () => {
    const store = memoryStore();
    const keys = new DataKeys(store, [await importKek('12'.repeat(32))], { block: 2, budget: 4 });
    const c = contextWith(keys);
    const row = await sealNew(c, guests, {
      id: 'g1',
      organizationId: 'org_1',
      notes: 'old notes',
      contact: 'old contact',
    });
    expect([keyVersionOf(row.notes as string), keyVersionOf(row.contact as string)]).toEqual([1, 1]);
    // Spend the rest of version 1's budget on other rows: the next block needs version 2.
    for (let i = 0; i < 4; i++) await sealNew(c, guests, { id: `x${i}`, organizationId: 'org_1', notes: 'filler' });
    expect([...store.rows.values()].map((r) => r.version)).toEqual([1, 2]);
    const set = await sealChanges(c, guests, { contact: 'new contact' }, row);
    expect(keyVersionOf(set.contact as string)).toBe(2);
    expect(keyVersionOf(set.notes as string)).toBe(2); // not written, re-encrypted under the current key
    expect(await openRow(c, guests, { ...row, ...set })).toMatchObject({ notes: 'old notes', contact: 'new contact' });
    // A value that no longer opens is left as it is, out of the SET (the write still goes through).
    const broken = { ...row, notes: (row.notes as string).slice(0, -2) + 'AA' };
    const kept = await sealChanges(c, guests, { contact: 'x' }, broken);
    expect(['notes' in kept, keyVersionOf(kept.contact as string) >= 2]).toEqual([false, true]);
  });

  it('answers envelope failures with coded errors, never the value', async () => {
    const keys = new DataKeys(memoryStore(), [await importKek('34'.repeat(32))]);
    const c = contextWith(keys);
    const row = await sealNew(c, guests, { id: 'g1', organizationId: 'org_1', notes: 'n' });
    const failure = await openRow(c, guests, { ...row, id: 'g2' }).catch((e) => e);
    expect(isApiError(failure) && failure.toBody()).toEqual(
      expect.objectContaining({
        code: 'ENCRYPTED_VALUE_UNREADABLE',
        details: { feature: 'guests', column: 'notes', reason: 'tampered' },
      }),
    );
    expect(JSON.stringify(failure.toBody())).not.toContain('qbenc');
    const other = new DataKeys(memoryStore(), [await importKek('56'.repeat(32))]);
    await keys.shred('org_1');
    expect((await openRow(contextWith(keys), guests, row).catch((e) => e)).toBody().details.reason).toBe(
      'key-shredded',
    );
    // Updating another column of a shredded organization's row creates no key and leaves its values alone.
    const storeOf = memoryStore();
    const fresh = new DataKeys(storeOf, [await importKek('34'.repeat(32))]);
    expect(await sealChanges(contextWith(fresh), guests, { name: 'renamed' }, row)).toEqual({ name: 'renamed' });
    expect(storeOf.rows.size).toBe(0);
    expect(
      (await sealNew(contextWith(other), guests, { id: 'g3', organizationId: null, notes: 'n' }).catch((e) => e)).code,
    ).toBe('ORG_REQUIRED');
  });

  it('flags KEK settings that are not 32 bytes of hex', () => {
    expect(invalidKekEnv({ ENCRYPTION_KEK: 'ab'.repeat(32) })).toEqual([]);
    expect(invalidKekEnv({ ENCRYPTION_KEK: 'ab'.repeat(31), ENCRYPTION_KEK_PREVIOUS: `${'cd'.repeat(32)}, nope` }))
      .toEqual(['ENCRYPTION_KEK', 'ENCRYPTION_KEK_PREVIOUS']);
    expect(
      invalidKekEnv({
        ENCRYPTION_KEK: 'ab'.repeat(32),
        ENCRYPTION_KEK_PREVIOUS: `${'cd'.repeat(32)},${'ef'.repeat(32)}`,
      }),
    ).toEqual([]);
  });
});
