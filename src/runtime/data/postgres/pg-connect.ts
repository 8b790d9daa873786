/**
 * @module quickback/pg-connect
 * Why a migration could not reach its PostgreSQL database, said as the command that fixes it
 * (issue #30). The two failures a new project meets first are a database that was never created
 * (SQLSTATE 3D000: `createdb <name>`) and a server that does not answer at DATABASE_URL's
 * host:port. `npm run db:migrate` (src/db/migrate.ts) and `quickback migrate` both print these
 * as coded one-line errors instead of a driver stack trace. Works on the error chain, so it sees
 * through Drizzle's query-error wrapper. The URL is shown without its password.
 */

export interface PgConnectFailure {
  code: 'QB_MIGRATE_DATABASE_MISSING' | 'QB_MIGRATE_UNREACHABLE';
  message: string;
  hint: string;
}

/** Errors from the socket: refused, no such host, timed out, no route. */
const UNREACHABLE = /^(ECONNREFUSED|ENOTFOUND|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH|EAI_AGAIN)$/;

/** A server URL as it may be shown (the password masked). */
export function maskedUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (!parsed.password) return url;
    parsed.password = '***';
    return parsed.toString();
  } catch {
    return url;
  }
}

interface Target {
  host: string;
  port: string;
  user: string;
  database: string;
}

function target(url: string): Target {
  try {
    const parsed = new URL(url);
    const host = parsed.hostname || parsed.searchParams.get('host') || 'localhost';
    return {
      host,
      port: parsed.port || '5432',
      user: decodeURIComponent(parsed.username) || parsed.searchParams.get('user') || '',
      database: decodeURIComponent(parsed.pathname.replace(/^\//, '')),
    };
  } catch {
    return { host: 'localhost', port: '5432', user: '', database: '' };
  }
}

/** `createdb` with the URL's server and user, so it runs against the same server the migration tried. */
function createdbCommand(t: Target, database: string): string {
  const user = t.user ? ` -U ${t.user}` : '';
  return `createdb -h ${t.host} -p ${t.port}${user} ${database}`;
}

export function describePgConnectFailure(error: unknown, url: string): PgConnectFailure | undefined {
  const t = target(url);
  let current: unknown = error;
  for (let depth = 0; depth < 5 && typeof current === 'object' && current !== null; depth++) {
    const link = current as { code?: unknown; message?: unknown; cause?: unknown };
    const code = String(link.code ?? '');
    const message = String(link.message ?? '');
    if (code === '3D000') {
      const database = /database "(.+)" does not exist/.exec(message)?.[1] ?? t.database;
      return {
        code: 'QB_MIGRATE_DATABASE_MISSING',
        message: `The database "${database}" does not exist on ${t.host}:${t.port} (DATABASE_URL ${maskedUrl(url)})`,
        hint: `Create it, then migrate again: ${createdbCommand(t, database)}`,
      };
    }
    if (UNREACHABLE.test(code)) {
      return {
        code: 'QB_MIGRATE_UNREACHABLE',
        message: `No PostgreSQL server answers at ${t.host}:${t.port} (${code}; DATABASE_URL ${maskedUrl(url)})`,
        hint:
          'Start the server, or set DATABASE_URL (environment or .env) to one that runs, e.g. postgres://postgres@127.0.0.1:5432/app.',
      };
    }
    current = link.cause;
  }
  return undefined;
}

/** The generated app's DATABASE_NOT_FOUND hint: `createdb` for DATABASE_URL's server and database, then `migrate`. */
export function missingDatabaseHint(url: string | undefined, migrate: string): string {
  const t = url ? target(url) : undefined;
  if (!t?.database) return `Create the database named in DATABASE_URL (createdb <name>), then ${migrate}.`;
  return `Create it, then migrate: ${createdbCommand(t, t.database)} && ${migrate}`;
}
