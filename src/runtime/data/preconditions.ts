/**
 * @module quickback/preconditions
 * Optimistic concurrency on the writes of one record (PATCH, PUT, DELETE, record actions):
 * `If-Match` and `If-None-Match` are compared with the record's ETag as its GET computes it (the
 * same masking for the same caller, etag.ts), and the write is conditional on the stored row
 * being exactly the one that was checked — every column compared in the write's own WHERE (a
 * compare-and-set, one statement: atomic on SQLite, D1, PostgreSQL and Neon's HTTP driver alike,
 * no lock held across an await). A lost race re-reads and re-checks: 412 when the caller's view
 * changed, a retry when only what they cannot see did.
 *
 * Our ETags are weak (`W/"…"`), and RFC 9110 says If-Match compares strongly, so no weak tag would
 * ever match. They are a hash of the exact bytes of the representation, so the opaque tags are
 * compared ignoring `W/` (weak comparison), which here is as precise as a strong one.
 */
import { and, getTableColumns, sql, type Column, type SQL } from 'drizzle-orm';
import type { Context } from 'hono';
import type { AccessRule } from '../policy/access.js';
import type { AppContext } from '../core/context.js';
import { openRow } from '../crypto/encryption.js';
import { apiError } from '../core/errors.js';
import { weakEtag } from '../core/etag.js';
import { columnOf, notFound } from '../policy/firewall.js';
import type { ResourceDefinition } from '../core/resource.js';
import { byId, mask, type Row } from './rows.js';
import { requireRecordAccess } from '../policy/tenant.js';
import type { Work } from './transaction.js';
import type { QuickbackEnv, C } from '../core/types.js';

type Tags = '*' | string[];

/** Attempts of a conditional write whose row changed only where the caller cannot see. */
const ATTEMPTS = 3;

function parseTags(header: string, value: string): Tags {
  if (value.trim() === '*') return '*';
  const tags: string[] = [];
  const rest = value.replace(/(?:W\/)?"([\x21\x23-\x7e]*)"/g, (_, opaque: string) => {
    tags.push(opaque);
    return '';
  });
  if (tags.length > 0 && /^[\s,]*$/.test(rest)) return tags;
  throw apiError('VALIDATION_FAILED', {
    details: { header },
    hint:
      `${header} is * or a comma-separated list of the entity tags the API sends in ETag, e.g. ${header}: W/"0123456789abcdef"`,
  });
}

/** The ETag the record's GET sends to this caller (`opened`: its encrypted values opened). */
export function recordEtag(resource: ResourceDefinition, ctx: AppContext, opened: Row): string {
  return weakEtag(JSON.stringify(mask(resource, ctx, opened)));
}

/** A record as a write answers it: masked for the caller, with its new ETag (`etag.enabled`). */
export function representation(
  c: C,
  resource: ResourceDefinition,
  ctx: AppContext,
  opened: Row,
  status: 200 | 201 = 200,
): Response {
  const body = mask(resource, ctx, opened);
  if (c.get('etags')) c.header('ETag', weakEtag(JSON.stringify(body)));
  return c.json(body, status);
}

function failed(header: string, hint: string) {
  return apiError('PRECONDITION_FAILED', { details: { header }, hint });
}

/** 412 unless a record with this ETag (null: no record) satisfies the headers (RFC 9110 §13.2.2 order). */
export function evaluate(ifMatch: Tags | undefined, ifNoneMatch: Tags | undefined, tag: string | null): void {
  const listed = (tags: Tags) => tag !== null && (tags === '*' || tags.includes(tag.replace(/^W\//, '').slice(1, -1)));
  if (ifMatch && !listed(ifMatch)) {
    throw failed(
      'If-Match',
      tag === null
        ? 'The record does not exist (If-Match needs a current record).'
        : 'The record changed since you read it: GET it again for its current ETag, reapply your change and retry with that ETag in If-Match.',
    );
  }
  if (ifNoneMatch && listed(ifNoneMatch)) {
    throw failed(
      'If-None-Match',
      ifNoneMatch === '*'
        ? 'The record already exists (If-None-Match: * only creates). GET it, then update it with If-Match.'
        : 'The record still has an ETag listed in If-None-Match.',
    );
  }
}

export interface Conditional {
  /** The record in the caller's scope (as stored), remembered with its stored values for the conditional write. */
  read(id: string | number): Promise<Row | undefined>;
  /** 412 unless the record as the caller reads it (undefined: none) satisfies the headers. */
  check(row: Row | undefined): Promise<void>;
  /**
   * Runs `attempt` with a WHERE that holds only while the record is exactly as last read (it
   * answers undefined when no row matched); a lost race re-reads (404 when gone), re-checks (412)
   * and tries again.
   */
  write<T>(attempt: (where: SQL, stored: Row) => Promise<T | undefined>): Promise<T>;
}

/** The preconditions of this request on one record of `resource`; undefined without If-Match / If-None-Match. */
export function conditional(
  c: C,
  resource: ResourceDefinition,
  ctx: AppContext,
  rule: AccessRule,
): Conditional | undefined {
  const ifMatchHeader = c.req.header('if-match');
  const ifNoneMatchHeader = c.req.header('if-none-match');
  if (ifMatchHeader === undefined && ifNoneMatchHeader === undefined) return undefined;
  const ifMatch = ifMatchHeader === undefined ? undefined : parseTags('If-Match', ifMatchHeader);
  const ifNoneMatch = ifNoneMatchHeader === undefined ? undefined : parseTags('If-None-Match', ifNoneMatchHeader);
  const columns = Object.entries(getTableColumns(resource.table) as Record<string, Column>);
  // Stored values as the driver holds them (PostgreSQL: as text, exact for every type), compared as such.
  const pg = columns[0][1].columnType.startsWith('Pg');
  const stored = (column: Column) => (pg ? sql`${column}::text` : sql`${column}`);
  const fields = Object.fromEntries(
    columns.flatMap(([key, column]) => [[key, column], [`stored:${key}`, stored(column)]]),
  );
  let last: { id: string | number; row: Row; values: unknown[] } | undefined;

  const self: Conditional = {
    async read(id) {
      const [both] = await c.get('db').select(fields).from(resource.table).where(byId(resource, ctx, id)).limit(1);
      if (!both) return (last = undefined);
      last = {
        id,
        row: Object.fromEntries(columns.map(([key]) => [key, both[key]])),
        values: columns.map(([key]) => both[`stored:${key}`]),
      };
      return last.row;
    },
    async check(row) {
      evaluate(ifMatch, ifNoneMatch, row ? recordEtag(resource, ctx, await openRow(c, resource, row)) : null);
    },
    async write(attempt) {
      for (let tries = 1;; tries++) {
        if (!last) throw notFound(resource);
        const { id, row, values } = last;
        const same = columns.map((
          [, column],
          i,
        ) => (pg ? sql`${stored(column)} IS NOT DISTINCT FROM ${values[i]}` : sql`${column} IS ${values[i]}`));
        const done = await attempt(and(byId(resource, ctx, id), ...same)!, row);
        if (done !== undefined) return done;
        if (tries === ATTEMPTS)
          throw failed(
            ifMatch ? 'If-Match' : 'If-None-Match',
            'The record kept changing while this write ran: GET it again and retry.',
          );
        const again = await self.read(id);
        if (!again) throw notFound(resource);
        requireRecordAccess(rule, ctx, again);
        await self.check(again);
      }
    },
  };
  return self;
}

/**
 * `set` with its modifiedAt strictly after the stored one, so every conditional write changes
 * the row and two writers that both checked the same record cannot both win.
 */
export function stampedAfter(resource: ResourceDefinition, set: Row, stored: Row): Row {
  const key = resource.audit.modifiedAt;
  const before = stored[key] instanceof Date
    ? (stored[key] as Date).getTime()
    : typeof stored[key] === 'string'
    ? Date.parse(stored[key] as string)
    : NaN;
  const at = set[key] instanceof Date
    ? (set[key] as Date).getTime()
    : typeof set[key] === 'string'
    ? Date.parse(set[key] as string)
    : NaN;
  if (Number.isNaN(before) || Number.isNaN(at) || at > before) return set;
  const later = new Date(before + 1);
  return { ...set, [key]: columnOf(resource, key)?.dataType === 'date' ? later : later.toISOString() };
}

/** Thrown inside a conditional unit of work that matched no row, so the unit rolls back (transaction.ts). */
export const LOST = Symbol('quickback:precondition-lost');

/** `work` that throws LOST (rolling back) when its last statement matched no row; the conditional write sees undefined. */
export function unlessLost<T>(work: Work<Row[]>, run: (work: Work<Row[]>) => Promise<T>): Promise<T | undefined> {
  const strict: Work<Row[]> = {
    build: work.build,
    finish: (results) => {
      const rows = work.finish(results);
      if (rows.length === 0) throw LOST;
      return rows;
    },
  };
  return run(strict).catch((err: unknown) => {
    if (err === LOST) return undefined;
    throw err;
  });
}
