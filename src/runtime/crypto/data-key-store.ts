/**
 * @module quickback/data-key-store
 * The `org_data_keys` table behind DataKeys, on the app's Drizzle database (SQLite, libsql, D1;
 * PostgreSQL alike): unique (org_id, version), the wrapped DEK, and the message counter.
 */
import { and, desc, eq, sql, type Column, type Table } from 'drizzle-orm';
import type { DataKeyRow, DataKeyStore } from './data-keys.js';
import { EnvelopeError } from './envelope.js';
import type { QueryDatabase } from '../core/types.js';

/** The `org_data_keys` columns a store needs (the emitted Drizzle table). */
export interface DataKeyTable {
  /** The emitted table's text primary key, `<version>:<orgId>`; (org_id, version) is unique either way. */
  id?: Column;
  orgId: Column;
  version: Column;
  wrappedKey: Column;
  messages: Column;
}

/** A DataKeyStore on the app's Drizzle database (SQLite, libsql, D1; PostgreSQL alike). */
export function drizzleDataKeyStore(db: QueryDatabase, table: DataKeyTable): DataKeyStore {
  const t = table as unknown as Table & DataKeyTable;
  const one = (orgId: string, version: number) => and(eq(t.orgId, orgId), eq(t.version, version));
  const fields = { orgId: t.orgId, version: t.version, wrappedKey: t.wrappedKey, messages: t.messages };
  return {
    async latest(orgId) {
      const [row] = await db.select(fields).from(t).where(eq(t.orgId, orgId)).orderBy(desc(t.version)).limit(1);
      return (row as DataKeyRow | undefined) ?? null;
    },
    async get(orgId, version) {
      const [row] = await db.select(fields).from(t).where(one(orgId, version)).limit(1);
      return (row as DataKeyRow | undefined) ?? null;
    },
    async insert(row) {
      const inserted = await db.insert(t).values(t.id ? { ...row, id: `${row.version}:${row.orgId}` } : row)
        .onConflictDoNothing().returning({ version: t.version });
      return inserted.length > 0;
    },
    async reserve(orgId, version, count) {
      const [row] = await db.update(t).set({ messages: sql`${t.messages} + ${count}` }).where(one(orgId, version))
        .returning({ messages: t.messages });
      if (!row) throw new EnvelopeError('missing-key', 'the data key was deleted (shredded?)');
      return (row as { messages: number }).messages;
    },
    async rewrap(orgId, version, wrappedKey) {
      await db.update(t).set({ wrappedKey }).where(one(orgId, version));
    },
    async all(orgId) {
      return (await db.select(fields).from(t).where(
        orgId === undefined ? undefined : eq(t.orgId, orgId),
      )) as DataKeyRow[];
    },
    async remove(orgId) {
      return (await db.delete(t).where(eq(t.orgId, orgId)).returning({ version: t.version })).length;
    },
  };
}
