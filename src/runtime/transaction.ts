/**
 * @module quickback/transaction
 * Atomic multi-statement writes (batches, soft delete with cascade) written once as a generator
 * that yields Drizzle queries and receives their rows, then driven by the mode of the driver:
 * `sync` inside a synchronous SQLite transaction (better-sqlite3 and bun:sqlite cannot hold a
 * transaction across an `await`), `async` inside `db.transaction(async tx => ...)`, `none`
 * statement by statement. A throw inside the work rolls everything back where a transaction exists.
 */
import type { QueryDatabase, TransactionMode } from './types.js';

/** A Drizzle query builder: awaitable (async drivers) and `.all()` (sync SQLite drivers). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Query = any;
export type Work<T> = (tx: QueryDatabase) => Generator<Query, T, Record<string, unknown>[]>;

type Tx = QueryDatabase & { transaction?: (fn: (tx: QueryDatabase) => unknown) => unknown };

function driveSync<T>(work: Work<T>, tx: QueryDatabase): T {
  const steps = work(tx);
  let next = steps.next();
  while (!next.done) next = steps.next(next.value.all());
  return next.value;
}

async function driveAsync<T>(work: Work<T>, tx: QueryDatabase): Promise<T> {
  const steps = work(tx);
  let next = steps.next();
  while (!next.done) next = steps.next(await next.value);
  return next.value;
}

export async function runAtomic<T>(db: QueryDatabase, mode: TransactionMode, work: Work<T>): Promise<T> {
  const tx = db as Tx;
  if (mode === 'sync' && tx.transaction) return tx.transaction((inner) => driveSync(work, inner)) as T;
  if (mode === 'async' && tx.transaction) return (await tx.transaction((inner) => driveAsync(work, inner))) as T;
  return driveAsync(work, db);
}
