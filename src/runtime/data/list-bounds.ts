/**
 * @module quickback/list-bounds
 * Bounds of the list query language, the same on every database and chosen so that one list
 * query stays within Cloudflare D1's limits (100 bound parameters per statement, LIKE patterns of
 * at most 50 bytes): an `in` list holds at most 100 values and is bound as one JSON parameter on
 * SQLite and D1; a request carries at most 20 filters; a `like` or `search` term is at most 48
 * bytes once its `%`, `_` and `\` are escaped (the pattern adds a `%` on each side). Past a bound
 * the answer is 400 VALIDATION_FAILED naming it, never a database error.
 */
import { inArray, sql, type Column, type SQL } from 'drizzle-orm';
import { apiError } from '../core/errors.js';

export const MAX_IN_VALUES = 100;
export const MAX_FILTERS = 20;
/** D1's 50-byte LIKE pattern, less the `%` on each side. */
export const MAX_LIKE_BYTES = 48;

export function escapeLike(term: string): string {
  return term.replace(/[\\%_]/g, (ch) => `\\${ch}`);
}

function tooLong(key: string, message: string) {
  return apiError('VALIDATION_FAILED', { details: { fields: { [key]: message } } });
}

/** `column IN (values)`: one JSON parameter on SQLite and D1 (`json_each`), a plain list on PostgreSQL. */
export function inList(key: string, column: Column, values: unknown[]): SQL {
  if (values.length > MAX_IN_VALUES)
    throw tooLong(key, `in takes at most ${MAX_IN_VALUES} comma-separated values (got ${values.length})`);
  if (column.columnType.startsWith('Pg')) return inArray(column, values);
  const encoded = JSON.stringify(values.map((value) => column.mapToDriverValue(value)));
  return sql`${column} IN (SELECT value FROM json_each(${encoded}))`;
}

/** Case-insensitive like SQLite's LIKE: PostgreSQL's LIKE is case-sensitive, so its columns use ILIKE (on their text). */
export function likeSql(key: string, column: Column, term: string): SQL {
  const escaped = escapeLike(term);
  if (new TextEncoder().encode(escaped).length > MAX_LIKE_BYTES) {
    throw tooLong(
      key,
      `A like or search term is at most ${MAX_LIKE_BYTES} bytes (UTF-8; each %, _ or \\ counts twice)`,
    );
  }
  const pattern = `%${escaped}%`;
  if (!column.columnType.startsWith('Pg')) return sql`${column} LIKE ${pattern} ESCAPE '\\'`;
  // SQLite compares a number's text; PostgreSQL has no ILIKE for integers, enums or timestamps, so they are cast.
  const text = /^(text|varchar|character varying|char)/.test(column.getSQLType())
    ? sql`${column}`
    : sql`CAST(${column} AS text)`;
  return sql`${text} ILIKE ${pattern} ESCAPE '\\'`;
}

/** At most MAX_FILTERS filters per request (each binds one or two parameters). */
export function checkFilterCount(count: number): void {
  if (count > MAX_FILTERS) {
    throw apiError('VALIDATION_FAILED', {
      message: `A list request takes at most ${MAX_FILTERS} filters`,
      details: { max: MAX_FILTERS, received: count },
    });
  }
}
