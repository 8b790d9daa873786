/**
 * Per-organization data keys on a real SQLite table (better-sqlite3 through Drizzle): lazy
 * creation, concurrent first writes (one key wins), the unwrap cache, KEK rotation (lazy and
 * `rewrapAll`), DEK rotation when the nonce budget is spent, and crypto-shredding.
 */
import Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { beforeEach, describe, expect, it } from 'vitest';
import { drizzleDataKeyStore } from './data-key-store.js';
import { DataKeys, type DataKeyRow } from './data-keys.js';
import { memoryStore } from './data-keys.testkit.js';
import { decryptValue, encryptValue, EnvelopeError, importKek, keyVersionOf, type FieldContext } from './envelope.js';

const orgDataKeys = sqliteTable('org_data_keys', {
  orgId: text('org_id').notNull(),
  version: integer('version').notNull(),
  wrappedKey: text('wrapped_key').notNull(),
  messages: integer('messages').notNull().default(0),
}, (t) => [primaryKey({ columns: [t.orgId, t.version] })]);

const field = (orgId: string, rowId = 'r1'): FieldContext => ({ orgId, table: 'guests', column: 'notes', rowId });

describe('data keys', () => {
  let sqlite: Database.Database;
  let store: ReturnType<typeof drizzleDataKeyStore>;
  const keks = async (...hex: string[]) => Promise.all(hex.map(importKek));
  beforeEach(() => {
    sqlite = new Database(':memory:');
    sqlite.exec(
      'CREATE TABLE org_data_keys (org_id text NOT NULL, version integer NOT NULL, wrapped_key text NOT NULL, messages integer NOT NULL DEFAULT 0, PRIMARY KEY (org_id, version))',
    );
    store = drizzleDataKeyStore(drizzle(sqlite), orgDataKeys);
  });
  const rows = () =>
    sqlite.prepare('SELECT org_id, version, wrapped_key, messages FROM org_data_keys ORDER BY org_id, version')
      .all() as { org_id: string; version: number; wrapped_key: string; messages: number }[];

  it('creates one key per organization on first write, wrapped (never the raw key), and caches the unwrap', async () => {
    const keys = new DataKeys(store, await keks('a1'.repeat(32)));
    expect(rows()).toEqual([]);
    const dek = await keys.forWrite('org_1');
    const stored = await encryptValue(dek, 'hello', field('org_1'));
    for (let i = 0; i < 50; i++)
      expect(await decryptValue(await keys.forRead('org_1', keyVersionOf(stored)), stored, field('org_1'))).toBe(
        'hello',
      );
    await keys.forWrite('org_2');
    expect(rows().map((r) => [r.org_id, r.version, r.messages])).toEqual([['org_1', 1, 1024], ['org_2', 1, 1024]]);
    expect(rows().every((r) => /^qbkey:1:/.test(r.wrapped_key))).toBe(true);
    expect(keys.unwraps).toBe(2);
  });

  it('concurrent writers of one organization share one key creation and one block reservation', async () => {
    const counted = memoryStore();
    const calls = { insert: 0, reserve: 0 };
    const spied = {
      ...counted,
      insert: (r: DataKeyRow) => (calls.insert++, counted.insert(r)),
      reserve: (o: string, v: number, n: number) => (calls.reserve++, counted.reserve(o, v, n)),
    };
    const keys = new DataKeys(spied, await keks('a1'.repeat(32)), { block: 64 });
    const deks = await Promise.all(Array.from({ length: 100 }, () => keys.forWrite('org_new')));
    expect(new Set(deks).size).toBe(1);
    expect(calls).toEqual({ insert: 1, reserve: 2 }); // 100 writes from blocks of 64
    expect(counted.rows.get('org_new/1')?.messages).toBe(128);
  });

  it('concurrent readers of a cold key share one unwrap', async () => {
    const kek = await keks('a1'.repeat(32));
    await new DataKeys(store, kek).forWrite('org_1');
    const keys = new DataKeys(store, kek);
    const deks = await Promise.all(Array.from({ length: 50 }, () => keys.forRead('org_1', 1)));
    expect(new Set(deks).size).toBe(1);
    expect(keys.unwraps).toBe(1);
  });

  it('concurrent first writes from separate instances agree on one key', async () => {
    const kek = await keks('a1'.repeat(32));
    const instances = Array.from({ length: 8 }, () => new DataKeys(store, kek));
    const deks = await Promise.all(instances.map((k) => k.forWrite('org_race')));
    expect(rows().filter((r) => r.org_id === 'org_race')).toHaveLength(1);
    const stored = await Promise.all(deks.map((dek, i) => encryptValue(dek, `v${i}`, field('org_race', `r${i}`))));
    const reader = new DataKeys(store, kek);
    for (const [i, value] of stored.entries())
      expect(await decryptValue(await reader.forRead('org_race', 1), value, field('org_race', `r${i}`))).toBe(`v${i}`);
  });

  it('KEK rotation: with the old KEK as previous, old keys open and are re-wrapped under the new one; rewrapAll does the rest', async () => {
    const [oldKek] = await keks('a1'.repeat(32));
    const before = new DataKeys(store, [oldKek]);
    const values = await Promise.all(
      ['org_1', 'org_2'].map(async (org) =>
        [org, await encryptValue(await before.forWrite(org), `secret of ${org}`, field(org))] as const
      ),
    );
    const [newKek] = await keks('b2'.repeat(32));
    const rotating = new DataKeys(store, [newKek, oldKek]);
    expect(await decryptValue(await rotating.forRead('org_1', 1), values[0][1], field('org_1'))).toBe(
      'secret of org_1',
    );
    expect(rows().map((r) => r.wrapped_key.split(':')[2])).toEqual([newKek.id, oldKek.id]);
    expect(await rotating.rewrapAll()).toBe(1);
    const after = new DataKeys(store, [newKek]);
    for (const [org, value] of values)
      expect(await decryptValue(await after.forRead(org, 1), value, field(org))).toBe(`secret of ${org}`);
    await expect(new DataKeys(store, [oldKek]).forRead('org_1', 1)).rejects.toMatchObject({ reason: 'unknown-key' });
  });

  it('rotates to a new key version when the budget is spent; older values still decrypt', async () => {
    const keys = new DataKeys(store, await keks('a1'.repeat(32)), { block: 4, budget: 8 });
    const written: string[] = [];
    for (let i = 0; i < 20; i++)
      written.push(await encryptValue(await keys.forWrite('org_1'), `v${i}`, field('org_1', `r${i}`)));
    expect(rows().map((r) => [r.version, r.messages])).toEqual([[1, 12], [2, 12], [3, 4]]);
    expect(new Set(written.map(keyVersionOf))).toEqual(new Set([1, 2, 3]));
    for (const [i, value] of written.entries())
      expect(await decryptValue(await keys.forRead('org_1', keyVersionOf(value)), value, field('org_1', `r${i}`))).toBe(
        `v${i}`,
      );
  });

  it("crypto-shredding: the organization's values never decrypt again; other organizations are untouched", async () => {
    const kek = await keks('a1'.repeat(32));
    const keys = new DataKeys(store, kek);
    const a = await encryptValue(await keys.forWrite('org_a'), 'a', field('org_a'));
    const b = await encryptValue(await keys.forWrite('org_b'), 'b', field('org_b'));
    expect(await keys.shred('org_a')).toBe(1);
    for (const reader of [keys, new DataKeys(store, kek)]) {
      await expect(reader.forRead('org_a', keyVersionOf(a))).rejects.toBeInstanceOf(EnvelopeError);
      expect(await decryptValue(await reader.forRead('org_b', 1), b, field('org_b'))).toBe('b');
    }
    // A new write after shredding starts a fresh key; the shredded values stay unreadable.
    const fresh = await keys.forWrite('org_a');
    await expect(decryptValue(fresh, a, field('org_a'))).rejects.toMatchObject({ reason: 'tampered' });
  });
});
