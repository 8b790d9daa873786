/**
 * An in-memory `org_data_keys` for tests and benches (the SQLite one is tested in
 * data-keys.test.ts): the same DataKeyStore contract, rows inspectable.
 */
import type { DataKeyRow, DataKeyStore } from './data-keys.js';

export function memoryStore(): DataKeyStore & { rows: Map<string, DataKeyRow> } {
  const rows = new Map<string, DataKeyRow>();
  const id = (o: string, v: number) => `${o}/${v}`;
  return {
    rows,
    latest: async (o) =>
      [...rows.values()].filter((r) => r.orgId === o).sort((a, b) => b.version - a.version)[0] ?? null,
    get: async (o, v) => rows.get(id(o, v)) ?? null,
    insert: async (
      r,
    ) => (rows.has(id(r.orgId, r.version)) ? false : (rows.set(id(r.orgId, r.version), { ...r }), true)),
    reserve: async (o, v, n) => (rows.get(id(o, v))!.messages += n),
    rewrap: async (o, v, w) => {
      rows.get(id(o, v))!.wrappedKey = w;
    },
    all: async (o) => [...rows.values()].filter((r) => o === undefined || r.orgId === o),
    remove: async (o) => [...rows.keys()].filter((k) => k.startsWith(`${o}/`)).map((k) => rows.delete(k)).length,
  };
}
