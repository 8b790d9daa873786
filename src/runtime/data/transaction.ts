/**
 * @module quickback/transaction
 * Atomic multi-statement writes (batches, soft delete with cascade). A unit of work is its
 * statements, built against the handle they run on, and what their rows mean; nothing in it
 * depends on an earlier statement's rows, so every driver can run it atomically in its own way:
 * `sync` inside a synchronous SQLite transaction (better-sqlite3 and bun:sqlite cannot hold one
 * across an `await`), `async` inside `db.transaction(async tx => ...)`, `batch` as one batch (D1
 * and Neon's HTTP driver have no interactive transactions; a batch is all or nothing).
 * A failing statement rolls everything back in every mode (AtomicFailure names its part). A throw
 * from `finish` rolls everything back in `sync` and `async` mode only: in `batch` mode the batch
 * has committed before any rows are read, so every part's `finish` runs and the AtomicFailure
 * carries `committed`, each part's outcome, for the caller to report as written.
 */
import { sql } from 'drizzle-orm';
import type { QueryDatabase, TransactionMode } from '../core/types.js';

/** A Drizzle query builder: awaitable (async drivers), `.all()` (sync SQLite drivers), batchable (D1). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Query = any;
export type Rows = Record<string, unknown>[];

export interface Work<T> {
  build(tx: QueryDatabase): Query[];
  /** The outcome from the rows of each statement; throwing here rolls the unit back (not in `batch` mode: see above). */
  finish(results: Rows[]): T;
}

/** One statement. */
export function statement<T>(build: (tx: QueryDatabase) => Query, finish: (rows: Rows) => T): Work<T> {
  return { build: (tx) => [build(tx)], finish: ([rows]) => finish(rows) };
}

/** One part's outcome after its unit committed. */
export type Settled<T> = { ok: true; value: T } | { ok: false; error: unknown };

/**
 * A failure inside part `part` (the first that failed) of an atomic run. Without `committed`
 * nothing was written; with it (`batch` mode, a `finish` threw after the batch committed)
 * everything was, and `committed` holds every part's outcome.
 */
export class AtomicFailure extends Error {
  constructor(readonly part: number, override readonly cause: unknown, readonly committed?: Settled<unknown>[]) {
    super(committed ? `atomic write committed; part ${part} refused its rows` : `atomic write failed in part ${part}`);
  }
}

type Tx = QueryDatabase & {
  transaction?: (fn: (tx: QueryDatabase) => unknown) => unknown;
  batch?: (queries: Query[]) => Promise<unknown[]>;
  /** D1 (SQLite) */ run?: (query: unknown) => Query;
  /** Neon's HTTP driver (PostgreSQL) */ execute?: (query: unknown) => Query;
};

function inPart<R>(part: number, run: () => R): R {
  try {
    return run();
  } catch (err) {
    throw err instanceof AtomicFailure ? err : new AtomicFailure(part, err);
  }
}

function runSync<T>(tx: QueryDatabase, parts: Work<T>[]): T[] {
  return parts.map((work, i) => inPart(i, () => work.finish(work.build(tx).map((q) => q.all() as Rows))));
}

async function runAsync<T>(tx: QueryDatabase, parts: Work<T>[]): Promise<T[]> {
  const out: T[] = [];
  for (const [i, work] of parts.entries()) {
    const results: Rows[] = [];
    for (const query of work.build(tx))
      results.push(
        await query.then(undefined, (err: unknown) => {
          throw new AtomicFailure(i, err);
        }),
      );
    out.push(inPart(i, () => work.finish(results)));
  }
  return out;
}

/**
 * A statement that always fails when it runs (not when it is prepared), and how its error reads:
 * SQLite's json() of a non-JSON string on D1, a raised exception on PostgreSQL.
 */
function probe(db: Tx): { query: Query; fails: (error: unknown) => boolean } {
  const message = (error: unknown) => String((error as Error)?.message ?? error);
  if (db.run)
    return {
      query: db.run(sql.raw("SELECT json('quickback: probe, roll back')")),
      fails: (e) => message(e).includes('malformed JSON'),
    };
  return {
    query: db.execute!(sql.raw("DO $$ BEGIN RAISE EXCEPTION 'quickback: probe, roll back'; END $$")),
    fails: (e) => message(e).includes('quickback: probe, roll back'),
  };
}

/**
 * Which part made a failed batch fail: batches of the first k parts plus a statement that always
 * fails (so every probe rolls back) tell whether the failure lies within those parts.
 */
async function failingPart(db: Tx, built: Query[][]): Promise<number> {
  let lo = 0;
  let hi = built.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    const abort = probe(db);
    const error = await db.batch!([...built.slice(0, mid + 1).flat(), abort.query]).then(
      () => undefined,
      (err: unknown) => err,
    );
    if (error !== undefined && !abort.fails(error)) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

async function runBatch<T>(db: Tx, parts: Work<T>[]): Promise<T[]> {
  const built = parts.map((work) => work.build(db));
  const flat = built.flat();
  let results: unknown[] = [];
  if (flat.length > 0) {
    try {
      results = await db.batch!(flat);
    } catch (err) {
      throw new AtomicFailure(built.length === 1 ? 0 : await failingPart(db, built), err);
    }
  }
  let at = 0;
  const settled = parts.map((work, i): Settled<T> => {
    const rows = built[i].map(() => results[at++] as Rows);
    try {
      return { ok: true, value: work.finish(rows) };
    } catch (error) {
      return { ok: false, error };
    }
  });
  const failed = settled.findIndex((outcome) => !outcome.ok);
  if (failed >= 0) throw new AtomicFailure(failed, (settled[failed] as { error: unknown }).error, settled);
  return settled.map((outcome) => (outcome as { value: T }).value);
}

/** Runs the parts as one atomic unit; any failure is an AtomicFailure naming its part. */
export async function runAtomicParts<T>(db: QueryDatabase, mode: TransactionMode, parts: Work<T>[]): Promise<T[]> {
  const tx = db as Tx;
  if (mode === 'sync' && tx.transaction) return tx.transaction((inner) => runSync(inner, parts)) as T[];
  if (mode === 'async' && tx.transaction) return (await tx.transaction((inner) => runAsync(inner, parts))) as T[];
  if (mode === 'batch' && tx.batch && (tx.run || tx.execute)) return runBatch(tx, parts);
  throw new Error(`no atomic writes in transaction mode "${mode}" on this database handle`);
}

/** Runs one unit of work atomically; its own error is rethrown as is. */
export async function runAtomic<T>(db: QueryDatabase, mode: TransactionMode, work: Work<T>): Promise<T> {
  try {
    return (await runAtomicParts(db, mode, [work]))[0];
  } catch (err) {
    throw err instanceof AtomicFailure ? err.cause : err;
  }
}
