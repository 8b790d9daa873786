/**
 * @module quickback/idempotency-marker
 * Both-or-neither for `Idempotency-Key` where the key is not in the write's transaction (SQLite,
 * D1, Neon's HTTP driver; see idempotency.ts). A keyed request holds its key (`c.get('idempotency')`)
 * with a fencing token, the `locked_until` it set. The CRUD and batch routes write through
 * `writeMarked` / `markedParts`, which
 * 1. first declare the key as handled by a route that writes only in marked units (`headers` =
 *    `{"state":"running"}`, committed): a retry after a crash from here on may run the request again;
 * 2. then add one statement to the write's own atomic unit (transaction.ts) that records in the
 *    key's row that the write committed and what a replay needs (`headers` = the Marker, status
 *    still null). Both hold only while the key is still this request's (same `locked_until`, no
 *    response; the marker fails its unit otherwise): a request whose key a retry took over writes
 *    nothing (409 IDEMPOTENCY_KEY_IN_PROGRESS).
 * The marker lives in `headers` while `status` is null, so the table needs no new column.
 */
import { and, eq, isNull, sql, type Column, type SQL, type Table } from 'drizzle-orm';
import type { Context } from 'hono';
import { apiError } from '../core/errors.js';
import { AtomicFailure, runAtomicParts, statement, type Query, type Rows, type Work } from './transaction.js';
import type { QueryDatabase, QuickbackEnv, C } from '../core/types.js';

declare module '../core/types.js' {
  interface QuickbackVariables {
    /** A keyed write's hold on its Idempotency-Key where the key is not in the write's transaction. */
    idempotency?: KeyHold;
  }
}

type Id = string | number;

/** What a replay of a marked write answers (idempotency-replay.ts); `ids` null: assigned by the database (not rebuilt). */
export type Marker =
  | { state: 'written'; kind: 'record'; resource: string; status: number; ids: Id[] | null }
  | { state: 'written'; kind: 'deleted'; status: number }
  | {
    state: 'written';
    kind: 'batch';
    resource: string;
    status: number;
    op: string;
    ids: Id[] | null;
    errors: unknown[];
    meta: unknown;
  };

/** A keyed request's hold on its key (SQLite, D1, Neon HTTP); absent where the key shares the request's transaction. */
export interface KeyHold {
  table: Table;
  id: string;
  /** The fencing token: the `locked_until` this request set when it claimed or took over the key. */
  lockedUntil: number;
  declared?: boolean;
  /** Test-only crash point before the write (idempotency.ts `testPause`). */
  beforeWrite?: () => Promise<void> | undefined;
}

export const RUNNING = JSON.stringify({ state: 'running' });

/* eslint-disable-next-line @typescript-eslint/no-explicit-any -- drizzle columns of the generated table */
const columns = (hold: KeyHold) => hold.table as unknown as Record<string, any>;

/** Only while the key is still this request's. */
function ours(hold: KeyHold) {
  const t = columns(hold);
  return and(eq(t.id, hold.id), eq(t.lockedUntil, hold.lockedUntil), isNull(t.status));
}

const takenOver = () =>
  apiError('IDEMPOTENCY_KEY_IN_PROGRESS', {
    hint:
      "This request ran past its key's lock and a retry with the same key took over; nothing was written by this one.",
  });

/** Step 1: the key is declared as handled by a marking route (once per request). */
async function declare(c: C, hold: KeyHold): Promise<void> {
  if (!hold.declared) {
    const t = columns(hold);
    const rows: Rows = await c.get('db').update(hold.table).set({ headers: RUNNING }).where(ours(hold)).returning({
      id: t.id,
    });
    if (rows.length === 0) throw takenOver();
    hold.declared = true;
  }
  await hold.beforeWrite?.();
}

/**
 * A value that fails when the statement runs (not when it is prepared), so the whole unit rolls
 * back, also a D1 / Neon HTTP batch whose results are only read after it committed: SQLite's json()
 * of a non-JSON string, a float division by zero on PostgreSQL.
 */
function failing(hold: KeyHold): SQL {
  const t = columns(hold);
  const pg = (t.id as Column).columnType.startsWith('Pg');
  return pg
    ? sql`(1 / (${t.lockedUntil} - ${t.lockedUntil}))::text`
    : sql`json('quickback: Idempotency-Key taken over ' || ${t.id})`;
}

/** Step 2: the statement of the write's unit that marks the key written; it fails, rolling the unit back, when the key is no longer ours. */
function markPart(hold: KeyHold, marker: () => Marker): Work<never> {
  const t = columns(hold);
  return statement((tx: QueryDatabase): Query =>
    tx.update(hold.table)
      .set({
        headers: sql`CASE WHEN ${t.lockedUntil} = ${hold.lockedUntil} AND ${t.status} IS NULL THEN ${
          JSON.stringify(marker())
        } ELSE ${failing(hold)} END`,
      })
      .where(eq(t.id, hold.id)).returning({ id: t.id }), (rows) => {
    if (rows.length === 0) throw takenOver(); // deleted meanwhile (expired, or released by a 5xx)
    return undefined as never;
  });
}

/**
 * After a failed unit: a D1 / Neon HTTP batch has committed before its results are read, so a unit
 * refused by its rows (no row matched: 404, 412) left its marker; the key is declared again
 * (only if still ours). Transactions rolled the marker back already.
 */
export async function unmark(c: C): Promise<void> {
  const hold = c.get('idempotency');
  if (!hold || c.get('transactions') !== 'batch') return;
  // The unit's own failure is what the caller hears about, not this one's.
  await Promise.resolve(c.get('db').update(hold.table).set({ headers: RUNNING }).where(ours(hold))).catch(() =>
    undefined
  );
}

/**
 * After a D1 / Neon HTTP batch that committed although some of its parts refused their rows
 * (transaction.ts `committed`): the marker it wrote is replaced by the true outcome (only while
 * the key is still ours). Best effort, like `unmark`: the response stored after the route is what
 * a retry gets unless the process dies before it.
 */
export async function remark(c: C, marker: Marker): Promise<void> {
  const hold = c.get('idempotency');
  if (!hold) return;
  await Promise.resolve(c.get('db').update(hold.table).set({ headers: JSON.stringify(marker) }).where(ours(hold)))
    .catch(() => undefined);
}

/** A unit whose marker failed: 409 when the key is no longer ours (taken over), else the database's own failure. */
export async function markFailed(c: C, cause: unknown): Promise<never> {
  const hold = c.get('idempotency')!;
  const [row] = await c.get('db').select({ id: columns(hold).id }).from(hold.table).where(ours(hold)).limit(1);
  throw row ? cause : takenOver();
}

/**
 * `parts` plus the marking statement when a key is held (declared first); the marker is built
 * when the unit is, so a batch written again without a refused item records the final outcome.
 * Results past `parts.length` are the marker's.
 */
export async function markedParts<T>(c: C, parts: Work<T>[], marker: () => Marker): Promise<Work<T>[]> {
  const hold = c.get('idempotency');
  if (!hold) return parts;
  await declare(c, hold);
  return [...parts, markPart(hold, marker) as Work<T>];
}

/** Runs `work` atomically, marked when a key is held; its own error is rethrown as is (like runAtomic). */
export async function writeMarked<T>(c: C, work: Work<T>, marker: () => Marker): Promise<T> {
  try {
    return (await runAtomicParts(c.get('db'), c.get('transactions'), await markedParts(c, [work], marker)))[0];
  } catch (err) {
    // A committed batch whose work stands but whose marker found no key row (it expired or was released): written.
    if (err instanceof AtomicFailure && err.committed?.[0]?.ok) return err.committed[0].value as T;
    await unmark(c);
    if (err instanceof AtomicFailure && err.part > 0) return markFailed(c, err.cause);
    throw err instanceof AtomicFailure ? err.cause : err;
  }
}

const NO_ROW = Symbol('quickback:no-row');

/**
 * One statement's rows: as one plain statement without a held key; with one, atomically with
 * its marker, and a statement that matched no row rolls the marker back (answering []).
 */
export async function writeRows(c: C, build: (db: QueryDatabase) => Query, marker: () => Marker): Promise<Rows> {
  if (!c.get('idempotency')) return await build(c.get('db'));
  const strict = statement(build, (rows) => {
    if (rows.length === 0) throw NO_ROW;
    return rows;
  });
  return writeMarked(c, strict, marker).catch((err: unknown) => {
    if (err === NO_ROW) return [];
    throw err;
  });
}
