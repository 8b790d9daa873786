/**
 * @module quickback/scoped-db
 * The `db` handed to action handlers: the app's Drizzle database, except that every statement on
 * a resource table carries that resource's firewall. `select().from(t)`, `update(t).set(v)` and
 * `delete(t)` get the firewall WHERE (a later `.where(x)` becomes `firewall AND x`, also after
 * joins); `insert(t).values(v)` stamps the tenant scope, audit fields and a server id. Tables
 * that are not resources pass through untouched.
 */
import { and, type SQL, type Table } from 'drizzle-orm';
import type { AppContext } from './context.js';
import { firewallWhere } from './firewall.js';
import type { ResourceDefinition } from './resource.js';
import { newRow, updateSet } from './rows.js';
import type { QueryDatabase } from './types.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- Drizzle builders differ per dialect. */
type Builder = any;

/** Applies `where` now and keeps it: `.where(x)` on the builder (or anything it returns) ANDs it. */
function fenced(builder: Builder, where: SQL | undefined): Builder {
  if (!where) return builder;
  builder.where(where);
  const proxy: Builder = new Proxy(builder, {
    get(target, prop) {
      const value = target[prop];
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        const result = prop === 'where' ? target.where(and(where, args[0] as SQL | undefined)) : value.apply(target, args);
        return result === target ? proxy : result;
      };
    },
  });
  return proxy;
}

export function scopedDb(db: QueryDatabase, ctx: AppContext, resources: readonly ResourceDefinition[]): QueryDatabase {
  const byTable = new Map<Table, ResourceDefinition>(resources.map((r) => [r.table, r]));
  return {
    select(fields?: Record<string, unknown>) {
      const builder = fields ? db.select(fields) : db.select();
      return {
        from(table: Table) {
          const resource = byTable.get(table);
          return resource ? fenced(builder.from(table), firewallWhere(resource, ctx)) : builder.from(table);
        },
      };
    },
    update(table: Table) {
      const resource = byTable.get(table);
      if (!resource) return db.update(table);
      return { set: (values: Record<string, unknown>) => fenced(db.update(table).set(updateSet(resource, ctx, values)), firewallWhere(resource, ctx)) };
    },
    delete(table: Table) {
      const resource = byTable.get(table);
      return resource ? fenced(db.delete(table), firewallWhere(resource, ctx)) : db.delete(table);
    },
    insert(table: Table) {
      const resource = byTable.get(table);
      if (!resource) return db.insert(table);
      const stamp = (row: Record<string, unknown>) => newRow(resource, ctx, row);
      return { values: (rows: Record<string, unknown> | Record<string, unknown>[]) => db.insert(table).values(Array.isArray(rows) ? rows.map(stamp) : stamp(rows)) };
    },
  };
}
