/**
 * @module quickback/idempotency
 * `Idempotency-Key` on the writes under /api (POST, PUT, PATCH, DELETE: create, upsert, batch,
 * actions), the Stripe model. The first request with a key reserves it for its caller (user, API
 * key, organization) in the compiler-owned `idempotency_keys` table; its response (status, body,
 * content type, location) is stored there for 24 h and answered again, marked
 * `Idempotent-Replayed: true`, to every retry with the same key. The same key with another method,
 * path or body is `409 IDEMPOTENCY_KEY_REUSED`; a retry while the first is still running is
 * `409 IDEMPOTENCY_KEY_IN_PROGRESS`. A response of 500 or above is not stored (the key is
 * released, so a retry runs again). Expired keys are deleted by the next keyed request.
 *
 * On PostgreSQL (node-postgres, Neon over WebSocket) the reservation and the stored response are
 * statements of the request's own transaction (rls.ts): the write, the key and its response commit
 * together or not at all, and a concurrent retry waits for that commit and replays.
 *
 * On SQLite (better-sqlite3, bun:sqlite, libsql), D1 and Neon's HTTP driver the reservation is
 * committed before the route runs and the response after it. The CRUD and batch routes mark the
 * key inside their write's own atomic unit (idempotency-marker.ts), so a retry that finds the key
 * reserved without a response once its lock (60 s) ran out knows what happened:
 * - declared by such a route but not marked: the first attempt wrote nothing; the retry takes the
 *   key over (one retry wins, by compare-and-set on `locked_until`) and runs the request again;
 * - marked: the write committed; the retry answers the response rebuilt from the records as a GET
 *   reads them (idempotency-replay.ts: create, PATCH, PUT, DELETE and the batch routes; records
 *   with database-assigned ids are not rebuilt), `Idempotent-Replayed: true`, and stores it;
 * - marked but not rebuildable: `409 IDEMPOTENCY_KEY_INTERRUPTED` with `details.written: true`;
 * - anything else (actions and other routes write without a marker): `409 IDEMPOTENCY_KEY_INTERRUPTED`,
 *   whether it wrote is unknown.
 */
import { createHash } from 'node:crypto';
import { and, eq, isNull, lt, type Table } from 'drizzle-orm';
import type { Context, MiddlewareHandler } from 'hono';
import { apiError } from '../core/errors.js';
import type { KeyHold, Marker } from '../data/idempotency-marker.js';
import { rebuild } from './idempotency-replay.js';
import type { QuickbackEnv } from '../core/types.js';

export interface IdempotencyOptions {
  /** The generated `idempotency_keys` table. */
  table: Table;
  /** How long a response is kept (default 24 h). */
  ttlMs?: number;
  /** How long a reservation counts as in flight (default 60 s). */
  lockMs?: number;
  /** The app's settings (the test-only crash points read them: testPause). */
  env?: (c: Context) => Record<string, string | undefined>;
  /** PostgreSQL with a transaction per request: the key commits with the write, nothing to mark. */
  inRequestTransaction?: boolean;
}

export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;
export const IDEMPOTENCY_LOCK_MS = 60_000;
/** Keys are 1–255 characters of letters, digits and `-_.:` (UUIDs, ULIDs, prefixed ids). */
export const IDEMPOTENCY_KEY = /^[A-Za-z0-9_.:-]{1,255}$/;
/** Responses larger than this are not stored (the key is released). */
export const MAX_STORED_BODY = 512 * 1024;
const METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
/** The response headers a replay repeats. */
const KEPT_HEADERS = ['content-type', 'location', 'content-disposition'];

/* eslint-disable @typescript-eslint/no-explicit-any -- drizzle columns of the generated table */
type Stored = {
  id: string;
  fingerprint: string;
  status: number | null;
  headers: string | null;
  body: string | null;
  lockedUntil: number;
  expiresAt: number;
};

/**
 * Test-only crash points, inert unless QUICKBACK_DEV=1: QUICKBACK_TEST_IDEMPOTENCY_PAUSE_MS holds a
 * keyed request at QUICKBACK_TEST_IDEMPOTENCY_PAUSE_AT: `write` (the route declared the key, before
 * its write), `store` (the route answered, before its response is stored) or `response` (the
 * default: stored, before it is sent), so a test can kill the server there.
 */
export function testPause(
  vars: Record<string, string | undefined> | undefined,
  at: 'write' | 'store' | 'response',
): Promise<void> | undefined {
  if (vars?.QUICKBACK_DEV !== '1' || (vars.QUICKBACK_TEST_IDEMPOTENCY_PAUSE_AT ?? 'response') !== at) return undefined;
  const ms = Number(vars.QUICKBACK_TEST_IDEMPOTENCY_PAUSE_MS ?? 0);
  return ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : undefined;
}

const sha256 = (...parts: (string | Uint8Array)[]) => {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part).update('\n');
  return hash.digest('hex');
};

function replay(row: Stored): Response {
  const headers = new Headers(JSON.parse(row.headers ?? '{}') as Record<string, string>);
  headers.set('Idempotent-Replayed', 'true');
  return new Response(row.body === null || row.body === '' ? null : Buffer.from(row.body, 'base64'), {
    status: row.status!,
    headers,
  });
}

/** The marker of a reserved key without a response (idempotency-marker.ts): null when undeclared. */
function stateOf(row: Stored): { state: 'running' } | Marker | null {
  if (row.headers === null) return null;
  const state = JSON.parse(row.headers) as { state?: string };
  return state.state === 'running' || state.state === 'written' ? (state as Marker) : null;
}

export function idempotency(options: IdempotencyOptions): MiddlewareHandler<QuickbackEnv> {
  const { table } = options;
  const t = table as unknown as Record<string, any>;
  const ttl = options.ttlMs ?? IDEMPOTENCY_TTL_MS;
  const lock = options.lockMs ?? IDEMPOTENCY_LOCK_MS;
  return async (c, next) => {
    const key = c.req.header('idempotency-key');
    if (key === undefined || !METHODS.has(c.req.method) || c.req.path === '/api/v1/token') return next();
    if (!IDEMPOTENCY_KEY.test(key))
      throw apiError('IDEMPOTENCY_KEY_INVALID', {
        details: { maxLength: 255, pattern: IDEMPOTENCY_KEY.source },
        hint: 'Send a fresh random value per operation, e.g. a UUID.',
      });
    const ctx = c.get('ctx');
    if (!ctx.userId)
      throw apiError('IDEMPOTENCY_KEY_INVALID', {
        message: 'Idempotency-Key needs a signed-in caller',
        hint: 'Keys are kept per caller; anonymous requests cannot use them.',
      });
    const org = c.req.query('organizationId') || ctx.activeOrgId;
    const id = sha256(JSON.stringify([ctx.userId, c.get('authRef')?.kid ?? null, org ?? null]), key);
    const url = new URL(c.req.url);
    const fingerprint = sha256(c.req.method, url.pathname + url.search, new Uint8Array(await c.req.arrayBuffer()));
    const db = c.get('db');
    const now = Date.now();
    /** The response as the key's, while the key is still held with `lockedUntil` and has none. */
    const store = async (res: Response, lockedUntil: number) => {
      const body = new Uint8Array(await res.clone().arrayBuffer());
      if (body.byteLength > MAX_STORED_BODY) return false;
      const headers = Object.fromEntries(
        KEPT_HEADERS.flatMap((name) => (res.headers.has(name) ? [[name, res.headers.get(name)!]] : [])),
      );
      await db.update(table).set({
        status: res.status,
        headers: JSON.stringify(headers),
        body: Buffer.from(body).toString('base64'),
      }).where(and(eq(t.id, id), eq(t.lockedUntil, lockedUntil), isNull(t.status)));
      return true;
    };
    await db.delete(table).where(lt(t.expiresAt, now));
    const claimed = await db.insert(table).values({
      id,
      userId: ctx.userId,
      fingerprint,
      lockedUntil: now + lock,
      expiresAt: now + ttl,
    }).onConflictDoNothing().returning({ id: t.id });
    if (claimed.length === 0) {
      const [row] = (await db.select().from(table).where(eq(t.id, id)).limit(1)) as Stored[];
      if (!row) throw apiError('IDEMPOTENCY_KEY_IN_PROGRESS');
      if (row.fingerprint !== fingerprint)
        throw apiError('IDEMPOTENCY_KEY_REUSED', {
          hint: 'A key names one request: the same method, path and body. Use a new key for a new request.',
        });
      if (row.status !== null) return replay(row);
      if (row.lockedUntil > now)
        throw apiError('IDEMPOTENCY_KEY_IN_PROGRESS', {
          hint: 'Retry once the first request with this key has been answered.',
        });
      const state = options.inRequestTransaction ? null : stateOf(row);
      if (state?.state === 'written') {
        const res = await rebuild(c, state);
        if (!res)
          throw apiError('IDEMPOTENCY_KEY_INTERRUPTED', {
            details: { written: true },
            hint:
              'The first request with this key wrote its changes, but its response could not be rebuilt. Read the data; do not send the request again.',
          });
        await store(res, row.lockedUntil);
        res.headers.set('Idempotent-Replayed', 'true');
        return res;
      }
      if (state?.state !== 'running')
        throw apiError('IDEMPOTENCY_KEY_INTERRUPTED', {
          hint:
            'The first request with this key stopped before its response was stored; whether it wrote is unknown. Read the data, then use a new key.',
        });
      // Declared, never marked: nothing was written. One retry takes the key over and runs again.
      const taken = await db.update(table).set({ lockedUntil: now + lock, headers: null }).where(
        and(eq(t.id, id), eq(t.lockedUntil, row.lockedUntil), isNull(t.status)),
      ).returning({ id: t.id });
      if (taken.length === 0)
        throw apiError('IDEMPOTENCY_KEY_IN_PROGRESS', {
          hint: 'Retry once the first request with this key has been answered.',
        });
    }
    const vars = options.env?.(c);
    if (!options.inRequestTransaction) {
      const hold: KeyHold = { table, id, lockedUntil: now + lock, beforeWrite: () => testPause(vars, 'write') };
      c.set('idempotency', hold);
    }
    await next();
    await testPause(vars, 'store');
    const res = c.res;
    try {
      if (res.status >= 500 || !(await store(res, now + lock))) {
        await db.delete(table).where(
          and(eq(t.id, id), eq(t.fingerprint, fingerprint), eq(t.lockedUntil, now + lock), isNull(t.status)),
        );
        return;
      }
      await testPause(vars, 'response');
    } catch (err) {
      // PostgreSQL: a failed statement aborted the request's transaction, which rolls the reservation back with it.
      if (!c.error) throw err;
    }
  };
}
