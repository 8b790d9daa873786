/**
 * @module quickback/sealed-db
 * The action `db` on a resource with `.encrypted()` columns (seed 003) keeps the routes' write
 * chokepoint. Encryption is asynchronous and binds each value to its row id, so:
 * - `insert(t).values(v)` records the chained calls and builds the statement when awaited, after
 *   the rows are encrypted (ids and organization already stamped);
 * - `update(t).set(v)` that writes an encrypted column reads the ids its WHERE selects (firewall
 *   included) and updates each row with its own ciphertext, all in one atomic unit;
 * - awaited results (`select`, `.returning()`) come back with their full rows opened; a partial
 *   selection without the id and organization columns keeps the stored values (ctx.crypto).
 */
import { and, eq, type SQL, type Table } from 'drizzle-orm';
import type { Context } from 'hono';
import { encryptedFields, openRow, sealChanges, sealNew } from '../crypto/encryption.js';
import { columnOf } from '../policy/firewall.js';
import type { ResourceDefinition } from '../core/resource.js';
import { runAtomic, type Work } from './transaction.js';
import type { QueryDatabase, QuickbackEnv, C, Row } from '../core/types.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- Drizzle builders differ per dialect. */
type Builder = any;

const RESULTS = new Set<PropertyKey>(['all', 'get', 'execute']);

/** The stored rows of `result` opened where they carry the id and organization columns. */
export async function openResult(c: C, resource: ResourceDefinition, result: unknown): Promise<unknown> {
  const fields = encryptedFields(resource);
  const full = (v: unknown): v is Row =>
    typeof v === 'object' && v !== null && !Array.isArray(v) && !!fields && fields.idKey in v && fields.orgKey in v;
  if (Array.isArray(result)) return Promise.all(result.map((row) => (full(row) ? openRow(c, resource, row) : row)));
  return full(result) ? openRow(c, resource, result) : result;
}

/** `builder` whose awaited results (and `.all()` / `.get()`, then asynchronous) are opened. */
export function opening(builder: Builder, open: (result: unknown) => Promise<unknown>): Builder {
  const proxy: Builder = new Proxy(builder, {
    get(target, prop) {
      const value = target[prop];
      if (typeof value !== 'function') return value;
      if (prop === 'then')
        return (ok: any, fail: any) =>
          new Promise((resolve, reject) => value.call(target, resolve, reject)).then(open).then(ok, fail);
      if (RESULTS.has(prop)) return (...args: unknown[]) => Promise.resolve(value.apply(target, args)).then(open);
      return (...args: unknown[]) => {
        const result = value.apply(target, args);
        return result === target ? proxy : result;
      };
    },
  });
  return proxy;
}

/** A builder whose chained calls are replayed on the statement `build()` returns, once it is awaited. */
function deferred(
  build: (calls: [string, unknown[]][]) => Promise<unknown>,
  check: (prop: string, args: unknown[]) => void,
): Builder {
  const calls: [string, unknown[]][] = [];
  let running: Promise<unknown> | undefined;
  const run = () => (running ??= build(calls));
  const proxy: Builder = new Proxy(
    {},
    {
      get(_, prop) {
        if (prop === 'then') return (ok: any, fail: any) => run().then(ok, fail);
        if (prop === 'catch') return (fail: any) => run().catch(fail);
        if (prop === 'finally') return (done: any) => run().finally(done);
        if (typeof prop === 'symbol') return undefined;
        if (RESULTS.has(prop) || prop === 'run') return () => run();
        return (...args: unknown[]) => {
          check(prop, args);
          calls.push([prop, args]);
          return proxy;
        };
      },
    },
  );
  return proxy;
}

function refuse(resource: ResourceDefinition, what: string): never {
  throw new Error(
    `quickback: ${what} is not available on "${resource.name}" (it has encrypted columns; await the statement instead)`,
  );
}

/** `db.insert(t).values(rows)` with rows encrypted before the statement is built. */
export function sealedInsert(c: C, db: QueryDatabase, resource: ResourceDefinition, rows: Row | Row[]): Builder {
  const fields = encryptedFields(resource)!;
  return deferred(async (calls) => {
    const sealed = Array.isArray(rows)
      ? await Promise.all(rows.map((row) => sealNew(c, resource, row)))
      : await sealNew(c, resource, rows);
    let builder = db.insert(resource.table).values(sealed);
    for (const [prop, args] of calls) builder = builder[prop](...args);
    return openResult(c, resource, await builder);
  }, (prop, args) => {
    const set = prop === 'onConflictDoUpdate' ? (args[0] as { set?: Row } | undefined)?.set : undefined;
    if (set && fields.columns.some((k) => k in set)) refuse(resource, 'onConflictDoUpdate of an encrypted column');
    if (prop === 'toSQL' || prop === 'prepare') refuse(resource, `.${prop}()`);
  });
}

/** `db.update(t).set(set)` writing encrypted columns: each selected row gets its own ciphertext. */
export function sealedUpdate(
  c: C,
  db: QueryDatabase,
  resource: ResourceDefinition,
  set: Row,
  firewall: SQL | undefined,
): Builder {
  const idColumn = columnOf(resource, resource.id.key)!;
  return deferred(async (calls) => {
    const where = and(firewall, ...calls.filter(([p]) => p === 'where').map(([, args]) => args[0] as SQL | undefined));
    const returning = calls.find(([p]) => p === 'returning')?.[1];
    const targets: Row[] = await db.select().from(resource.table as Table).where(where);
    const sets = await Promise.all(targets.map((row) => sealChanges(c, resource, set, row)));
    const work: Work<Row[]> = {
      build: (tx) =>
        targets.map((row, i) =>
          tx.update(resource.table).set(sets[i]).where(and(where, eq(idColumn, row[resource.id.key] as string)))
            .returning(...(returning && returning.length > 0 ? returning : returning ? [] : [{ id: idColumn }]))
        ),
      finish: (results) => results.flat(),
    };
    const rows = targets.length === 0 ? [] : await runAtomic(db, c.get('transactions'), work);
    return returning ? openResult(c, resource, rows) : { changes: rows.length, rowsAffected: rows.length };
  }, (prop) => {
    if (prop !== 'where' && prop !== 'returning')
      refuse(resource, `.${prop}() on an update that writes an encrypted column`);
  });
}
