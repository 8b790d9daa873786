/**
 * @module quickback/migrations-gate
 * What the app does with the migration state (migrations-status.ts): the routes that need the
 * database answer 503 DATABASE_MIGRATIONS_PENDING (or DATABASE_NOT_FOUND) with the command that
 * fixes it, and `/health` says so. The state is remembered: ok is never checked again (no query
 * per request) until a query fails for a missing table or column; pending or missing is checked
 * again at most once per `recheckMs`.
 */
import type { Context, MiddlewareHandler } from 'hono';
import { toDatabaseApiError } from '../core/db-errors.js';
import { apiError, type ApiError } from '../core/errors.js';
import type { MigrationState } from './migrations-status.js';
import { log } from '../core/log.js';

export interface MigrationsOptions {
  /** The state of the app's databases (the generated `probeMigrations` over the request's databases). */
  probe(c: Context): Promise<MigrationState>;
  /** The command that applies the migrations on this target, e.g. `npm run db:migrate`. */
  hint: string;
  /** What creates a database that does not exist (PostgreSQL). */
  missingHint?: string;
}

export interface MigrationGate {
  /** The remembered state, checked again when unknown or (pending, missing) older than `recheckMs`. Unreachable servers throw. */
  state(c: Context): Promise<MigrationState>;
  /** Forgets the state and checks now (after a query failed for a missing table or column). */
  recheck(c: Context): Promise<MigrationState>;
  /** The 503 of a state that is not ok. */
  error(state: Exclude<MigrationState, 'ok'>): ApiError;
  /** Routes that need the database: 503 until the migrations are applied. */
  middleware: MiddlewareHandler;
  /** `GET /health`: `{ status: "ok" }`, or 503 `{ status: "error", database }`. */
  health(c: Context): Promise<Response>;
}

export function migrationGate(
  options: MigrationsOptions,
  now: () => number = Date.now,
  recheckMs = 1000,
): MigrationGate {
  let known: MigrationState | undefined;
  let checkedAt = 0;
  const probe = async (c: Context) => {
    const state = await options.probe(c);
    known = state;
    checkedAt = now();
    return state;
  };
  const state = async (
    c: Context,
  ) => (known === 'ok' || (known !== undefined && now() - checkedAt < recheckMs) ? known : probe(c));
  const error = (s: Exclude<MigrationState, 'ok'>) =>
    s === 'missing'
      ? apiError('DATABASE_NOT_FOUND', { hint: options.missingHint ?? options.hint })
      : apiError('DATABASE_MIGRATIONS_PENDING', { hint: options.hint });
  return {
    state,
    recheck: (c) => {
      known = undefined;
      return probe(c);
    },
    error,
    middleware: async (c, next) => {
      const s = await state(c);
      if (s !== 'ok') throw error(s);
      await next();
    },
    async health(c) {
      let database: string;
      try {
        const s = await state(c);
        if (s === 'ok') return c.json({ status: 'ok' });
        database = s === 'pending' ? 'migrations pending' : 'not found';
      } catch (err) {
        database = toDatabaseApiError(err)?.code === 'DATABASE_UNAVAILABLE' ? 'unavailable' : 'error';
        if (database === 'error') log.error('GET /health: the database check failed:', err);
      }
      return c.json({ status: 'error', database }, 503);
    },
  };
}

/**
 * A failure for a missing table or column (a migration not applied since the last check), or a
 * 500 from Better Auth (which renders its own): checked again; the 503 to answer instead, if any
 * (DATABASE_UNAVAILABLE when the check cannot reach the database either).
 */
export async function pendingInstead(gate: MigrationGate | undefined, c: Context): Promise<ApiError | undefined> {
  if (!gate) return undefined;
  try {
    const state = await gate.recheck(c);
    return state === 'ok' ? undefined : gate.error(state);
  } catch (err) {
    const unreachable = toDatabaseApiError(err);
    return unreachable?.code === 'DATABASE_UNAVAILABLE' ? unreachable : undefined;
  }
}
