/**
 * @module quickback/references
 * Foreign keys through the firewall: a `.references()` value is accepted only when the row it names
 * is visible to the caller through the referenced resource's firewall (organization, owner, team,
 * soft delete). A row of another tenant and a row that exists nowhere get the same answer, 409
 * FOREIGN_KEY_VIOLATION naming the column, so ids cannot be probed, no link crosses tenants, and a
 * tenant's rows never block another tenant's delete. One query per referenced table per request
 * (`IN`, chunked to stay within D1's 100 bound parameters); null values are not checked. A
 * referenced table without a firewall (an exception table) keeps the database's own check.
 */
import { and, inArray, type SQL } from 'drizzle-orm';
import type { AppContext } from '../core/context.js';
import { apiError } from '../core/errors.js';
import { columnOf, firewallWhere, sourceValue } from './firewall.js';
import type { ReferenceDefinition, ResourceDefinition } from '../core/resource.js';
import type { QueryDatabase, Row } from '../core/types.js';

/** Values per `IN` query: D1 binds at most 100 parameters, the firewall needs a few of them. */
export const REFERENCE_CHUNK = 90;

/** Throws when a row names a referenced row the caller cannot see. */
export type ReferenceCheck = (row: Row) => void;

const NO_CHECK: ReferenceCheck = () => {};

/** The firewall of the referenced resource for this caller: `null` when nothing can be visible (no scope), `undefined` when unfenced. */
function visibleWhere(target: ResourceDefinition, ctx: AppContext): SQL | null | undefined {
  const missing = target.firewall.predicates.some((p) => 'equals' in p && sourceValue(ctx, p.equals) === null);
  return missing ? null : firewallWhere(target, ctx);
}

export function referenceViolation(reference: ReferenceDefinition) {
  return apiError('FOREIGN_KEY_VIOLATION', {
    details: { column: reference.column },
    hint: `Reference a ${reference.resource.name} record that exists and is visible to you.`,
  });
}

const present = (value: unknown) => value !== null && value !== undefined;

/** The references of `resource` that any of `rows` sets to a value. */
export function referencesIn(resource: ResourceDefinition, rows: readonly Row[]): ReferenceDefinition[] {
  return (resource.references?.() ?? []).filter((ref) => rows.some((row) => present(row[ref.column])));
}

async function visibleValues(
  db: QueryDatabase,
  target: ResourceDefinition,
  key: string,
  where: SQL | null,
  values: unknown[],
): Promise<Set<string>> {
  const seen = new Set<string>();
  if (where === null) return seen;
  const column = columnOf(target, key);
  if (!column) throw new Error(`reference column ${key} missing on ${target.name}`);
  for (let i = 0; i < values.length; i += REFERENCE_CHUNK) {
    const chunk = values.slice(i, i + REFERENCE_CHUNK);
    const rows: Row[] = await db.select({ value: column }).from(target.table).where(and(where, inArray(column, chunk)));
    for (const row of rows) seen.add(String(row.value));
  }
  return seen;
}

/**
 * Looks up every referenced value of `rows` (one query per referenced table, all columns that
 * reference it together) and answers the check each row then passes or fails.
 */
export async function referenceCheck(
  db: QueryDatabase,
  resource: ResourceDefinition,
  ctx: AppContext,
  rows: readonly Row[],
): Promise<ReferenceCheck> {
  const refs = referencesIn(resource, rows);
  if (refs.length === 0) return NO_CHECK;
  const groups = new Map<ResourceDefinition, Map<string, ReferenceDefinition[]>>();
  for (const ref of refs) {
    const byKey = groups.get(ref.resource) ?? groups.set(ref.resource, new Map()).get(ref.resource)!;
    byKey.set(ref.key, [...(byKey.get(ref.key) ?? []), ref]);
  }
  const visible = new Map<ReferenceDefinition, Set<string>>();
  for (const [target, byKey] of groups) {
    const where = visibleWhere(target, ctx);
    if (where === undefined) continue;
    for (const [key, columns] of byKey) {
      const values = [...new Set(columns.flatMap((ref) => rows.map((row) => row[ref.column]).filter(present)))];
      const seen = await visibleValues(db, target, key, where, values);
      for (const ref of columns) visible.set(ref, seen);
    }
  }
  return (row) => {
    for (const ref of refs) {
      const seen = visible.get(ref);
      if (seen && present(row[ref.column]) && !seen.has(String(row[ref.column]))) throw referenceViolation(ref);
    }
  };
}

/** One row (create, PATCH, PUT): throws 409 FOREIGN_KEY_VIOLATION unless every value it references is visible. */
export async function requireReferences(
  db: QueryDatabase,
  resource: ResourceDefinition,
  ctx: AppContext,
  row: Row,
): Promise<void> {
  (await referenceCheck(db, resource, ctx, [row]))(row);
}

/* eslint-disable @typescript-eslint/no-explicit-any -- Drizzle builders differ per dialect. */
const RUNS = new Set<PropertyKey>(['all', 'get', 'run', 'values', 'execute']);

/**
 * The action `db`'s write (`insert(t).values(rows)`, `update(t).set(values)`, also their
 * `onConflictDoUpdate({ set })`): the same check runs before the statement does, when it is
 * awaited or run (then asynchronously), or when its prepared form runs.
 */
export function checkedWrite(
  db: QueryDatabase,
  resource: ResourceDefinition,
  ctx: AppContext,
  rows: Row[],
  builder: any,
): any {
  if (!resource.references?.().length) return builder;
  const written = [...rows];
  const check = async () => {
    const passes = await referenceCheck(db, resource, ctx, written);
    for (const row of written) passes(row);
  };
  const wrap = (target: any): any => {
    const proxy: any = new Proxy(target, {
      get(inner, prop) {
        const value = inner[prop];
        if (typeof value !== 'function') return value;
        if (prop === 'then')
          return (ok: any, fail: any) =>
            check().then(() => new Promise((resolve, reject) => value.call(inner, resolve, reject))).then(ok, fail);
        if (RUNS.has(prop)) return (...args: unknown[]) => check().then(() => value.apply(inner, args));
        return (...args: unknown[]) => {
          const set = prop === 'onConflictDoUpdate' ? (args[0] as { set?: Row } | undefined)?.set : undefined;
          if (set) written.push(set);
          const result = value.apply(inner, args);
          return result === inner ? proxy : prop === 'prepare' ? wrap(result) : result;
        };
      },
    });
    return proxy;
  };
  return wrap(builder);
}
