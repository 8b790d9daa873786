/**
 * @module quickback/db-errors
 * Maps database constraint failures to API errors (never a 500 for bad input), an unreachable
 * PostgreSQL or a missing database to 503 and a row level security refusal to 403. Works on the
 * error chain, so it sees through Drizzle's query-error wrapper, for better-sqlite3, libsql,
 * D1 and PostgreSQL (node-postgres, Neon's drivers) alike.
 */
import { apiError, type ApiError } from './errors.js';

/** What the drivers put on an error: SQLite's code and message; PostgreSQL's SQLSTATE, column and detail too. */
interface Link {
  code?: unknown;
  message?: unknown;
  column?: unknown;
  detail?: unknown;
}

function chain(error: unknown): Link[] {
  const out: Link[] = [];
  let current: unknown = error;
  for (let depth = 0; depth < 5 && typeof current === 'object' && current !== null; depth++) {
    out.push(current as Link);
    // Neon's HTTP driver keeps the failed fetch's error as `sourceError`, not `cause`.
    const link = current as { cause?: unknown; sourceError?: unknown };
    current = link.cause ?? link.sourceError;
  }
  return out;
}

/**
 * The column a failure names: SQLite's "UNIQUE constraint failed: tickets.slug", PostgreSQL's
 * `column` (not null) or the single key of its detail "Key (slug)=(...) already exists" (the
 * value itself is never copied).
 */
function column(link: Link): string | undefined {
  if (typeof link.column === 'string' && link.column) return link.column;
  const key = /^Key \(("?)([\w]+)\1\)=/.exec(String(link.detail ?? ''))?.[2];
  if (key) return key;
  return /failed: [\w"`]+\.([\w"`]+)/.exec(String(link.message ?? ''))?.[1]?.replace(/["`]/g, '');
}

/** Connection failures: refused, unreachable, reset, the server shutting down or full (SQLSTATE classes 08, 57P, 53300). */
const UNREACHABLE = /^(ECONNREFUSED|ENOTFOUND|ETIMEDOUT|ECONNRESET|EAI_AGAIN|EHOSTUNREACH|08\w{3}|57P0[123]|53300)$/;

/** No answer within the bound (deadline.ts; node-postgres' query_timeout and connection timeout): a write may have landed. */
const STALLED =
  /did not answer within|^Query read timeout$|^timeout expired$|timeout exceeded when trying to connect|Connection terminated due to connection timeout/;

export function toDatabaseApiError(error: unknown): ApiError | undefined {
  for (const link of chain(error)) {
    const code = String(link.code ?? '');
    const message = String(link.message ?? '');
    if (STALLED.test(message)) {
      return apiError('DATABASE_UNAVAILABLE', {
        hint:
          'The database did not answer in time (QUICKBACK_DEPENDENCY_TIMEOUT_MS); a write may or may not have been applied: read it back before retrying.',
      });
    }
    if (UNREACHABLE.test(code) || /Connection terminated|connect ECONNREFUSED/.test(message)) {
      return apiError('DATABASE_UNAVAILABLE', {
        hint: 'Check DATABASE_URL and that the server is up; the request changed nothing.',
      });
    }
    // PostgreSQL: the server answers, but the database in the URL does not exist (not the same as unreachable).
    if (code === '3D000') {
      return apiError('DATABASE_NOT_FOUND', {
        hint: 'Create the database named in DATABASE_URL (createdb <name>), then npm run db:migrate.',
      });
    }
    // PostgreSQL row level security refused a row (the API's own checks let it through): never a 500.
    if (code === '42501' && /row-level security/.test(message)) {
      return apiError('ACCESS_DENIED_BY_DATABASE', {
        hint: 'The database policies (the RLS migration) and the API rules disagree: recompile and migrate.',
      });
    }
    const field = column(link);
    const details = field ? { column: field } : undefined;
    if (
      code === '23505' || /UNIQUE constraint failed|PRIMARYKEY|PRIMARY KEY constraint failed/i.test(message)
      || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY'
    ) {
      return apiError('UNIQUE_VIOLATION', { details, hint: 'Use a different value, or update the existing record.' });
    }
    if (code === '23502' || /NOT NULL constraint failed/i.test(message) || code === 'SQLITE_CONSTRAINT_NOTNULL') {
      return apiError('NOT_NULL_VIOLATION', { details, hint: 'Send a value for the required field.' });
    }
    if (code === '23503' || /FOREIGN KEY constraint failed/i.test(message) || code === 'SQLITE_CONSTRAINT_FOREIGNKEY') {
      return apiError('FOREIGN_KEY_VIOLATION', {
        details,
        hint: 'Reference an existing record (and delete children before their parent).',
      });
    }
  }
  return undefined;
}
