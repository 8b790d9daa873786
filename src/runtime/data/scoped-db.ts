/**
 * @module quickback/scoped-db
 * The `db` handed to action handlers: the app's Drizzle database, except that every statement on
 * a resource table carries that resource's firewall. `select().from(t)`, `update(t).set(v)` and
 * `delete(t)` get the firewall WHERE (a later `.where(x)` becomes `firewall AND x`, also after
 * joins); `insert(t).values(v)` stamps the tenant scope, audit fields and a server id; values of
 * `.references()` columns must name rows visible through their resource's firewall. Tables
 * that are not resources pass through untouched. On resources with encrypted columns, writes
 * encrypt and awaited results decrypt (sealed-db.ts).
 */
import { and, type SQL, type Table } from 'drizzle-orm';
import type { Context } from 'hono';
import type { AppContext } from '../core/context.js';
import { firewallWhere } from '../policy/firewall.js';
import type { ResourceDefinition } from '../core/resource.js';
import { checkedWrite } from '../policy/references.js';
import { newRow, updateSet } from './rows.js';
import { encryptedFields } from '../crypto/encryption.js';
import { opening, openResult, sealedInsert, sealedUpdate } from './sealed-db.js';
import type { QueryDatabase, QuickbackEnv } from '../core/types.js';

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
        const result = prop === 'where'
          ? target.where(and(where, args[0] as SQL | undefined))
          : value.apply(target, args);
        return result === target ? proxy : result;
      };
    },
  });
  return proxy;
}

/**
 * `c`: the request, whose data keys encrypt and decrypt (resources with encrypted columns).
 * `ctx` null: no firewall and no stamping (the unsafe actions' `unsafeDb`), encryption still on.
 */
export function scopedDb(
  db: QueryDatabase,
  ctx: AppContext | null,
  resources: readonly ResourceDefinition[],
  c?: Context<QuickbackEnv>,
): QueryDatabase {
  const firewall = (resource: ResourceDefinition) => (ctx ? firewallWhere(resource, ctx) : undefined);
  const stampSet = (
    resource: ResourceDefinition,
    values: Record<string, unknown>,
  ) => (ctx ? updateSet(resource, ctx, values) : values);
  const byTable = new Map<Table, ResourceDefinition>(resources.map((r) => [r.table, r]));
  /** A write whose reference values are checked before it runs (not for the unscoped `unsafeDb`). */
  const checked = (
    resource: ResourceDefinition,
    rows: Record<string, unknown>[],
    builder: unknown,
  ) => (ctx ? checkedWrite(db, resource, ctx, rows, builder) : builder);
  const sealed = (resource: ResourceDefinition) => (c && encryptedFields(resource) ? c : undefined);
  /** Statements on a resource with encrypted columns answer opened rows. */
  const opened = (resource: ResourceDefinition, builder: unknown) => {
    const request = sealed(resource);
    return request ? opening(builder, (result) => openResult(request, resource, result)) : builder;
  };
  return {
    select(fields?: Record<string, unknown>) {
      const builder = fields ? db.select(fields) : db.select();
      return {
        from(table: Table) {
          const resource = byTable.get(table);
          if (!resource) return builder.from(table);
          return opened(resource, fenced(builder.from(table), firewall(resource)));
        },
      };
    },
    update(table: Table) {
      const resource = byTable.get(table);
      if (!resource) return db.update(table);
      const request = sealed(resource);
      return {
        set: (values: Record<string, unknown>) =>
          checked(
            resource,
            [values],
            request && encryptedFields(resource)!.columns.some((k) => typeof values[k] === 'string')
              ? sealedUpdate(request, db, resource, stampSet(resource, values), firewall(resource))
              : opened(resource, fenced(db.update(table).set(stampSet(resource, values)), firewall(resource))),
          ),
      };
    },
    delete(table: Table) {
      const resource = byTable.get(table);
      return resource ? opened(resource, fenced(db.delete(table), firewall(resource))) : db.delete(table);
    },
    insert(table: Table) {
      const resource = byTable.get(table);
      if (!resource) return db.insert(table);
      const stamp = (row: Record<string, unknown>) => (ctx ? newRow(resource, ctx, row) : row);
      const request = sealed(resource);
      return {
        values: (rows: Record<string, unknown> | Record<string, unknown>[]) => {
          const stamped = Array.isArray(rows) ? rows.map(stamp) : stamp(rows);
          return checked(
            resource,
            Array.isArray(stamped) ? stamped : [stamped],
            request ? sealedInsert(request, db, resource, stamped) : db.insert(table).values(stamped),
          );
        },
      };
    },
  };
}
