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
 * On PostgreSQL the reservation and the stored response are statements of the request's own
 * transaction (rls.ts): the write, the key and its response commit together or not at all, and a
 * concurrent retry waits for that commit and replays. On SQLite, D1 and Neon's HTTP driver the
 * reservation is committed before the route runs and the response after it: a crash in between
 * leaves the key reserved without a response, and a retry once its lock ran out answers
 * `409 IDEMPOTENCY_KEY_INTERRUPTED` instead of writing a second time.
 */
import { createHash } from 'node:crypto';
import { and, eq, lt, type Table } from 'drizzle-orm';
import type { Context, MiddlewareHandler } from 'hono';
import { apiError } from './errors.js';
import type { QuickbackEnv } from './types.js';

export interface IdempotencyOptions {
  /** The generated `idempotency_keys` table. */
  table: Table;
  /** How long a response is kept (default 24 h). */
  ttlMs?: number;
  /** How long a reservation counts as in flight (default 60 s). */
  lockMs?: number;
  /** Awaited after the response was stored, before it is sent (tests kill the server there). */
  pause?: (c: Context) => Promise<void> | undefined;
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
type Stored = { id: string; fingerprint: string; status: number | null; headers: string | null; body: string | null; lockedUntil: number; expiresAt: number };

const sha256 = (...parts: (string | Uint8Array)[]) => {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part).update('\n');
  return hash.digest('hex');
};

function replay(row: Stored): Response {
  const headers = new Headers(JSON.parse(row.headers ?? '{}') as Record<string, string>);
  headers.set('Idempotent-Replayed', 'true');
  return new Response(row.body === null || row.body === '' ? null : Buffer.from(row.body, 'base64'), { status: row.status!, headers });
}

export function idempotency(options: IdempotencyOptions): MiddlewareHandler<QuickbackEnv> {
  const { table } = options;
  const t = table as unknown as Record<string, any>;
  const ttl = options.ttlMs ?? IDEMPOTENCY_TTL_MS;
  const lock = options.lockMs ?? IDEMPOTENCY_LOCK_MS;
  return async (c, next) => {
    const key = c.req.header('idempotency-key');
    if (key === undefined || !METHODS.has(c.req.method) || c.req.path === '/api/v1/token') return next();
    if (!IDEMPOTENCY_KEY.test(key)) throw apiError('IDEMPOTENCY_KEY_INVALID', { details: { maxLength: 255, pattern: IDEMPOTENCY_KEY.source }, hint: 'Send a fresh random value per operation, e.g. a UUID.' });
    const ctx = c.get('ctx');
    if (!ctx.userId) throw apiError('IDEMPOTENCY_KEY_INVALID', { message: 'Idempotency-Key needs a signed-in caller', hint: 'Keys are kept per caller; anonymous requests cannot use them.' });
    const org = c.req.query('organizationId') || ctx.activeOrgId;
    const id = sha256(JSON.stringify([ctx.userId, c.get('authRef')?.kid ?? null, org ?? null]), key);
    const url = new URL(c.req.url);
    const fingerprint = sha256(c.req.method, url.pathname + url.search, new Uint8Array(await c.req.arrayBuffer()));
    const db = c.get('db');
    const now = Date.now();
    await db.delete(table).where(lt(t.expiresAt, now));
    const claimed = await db.insert(table).values({ id, userId: ctx.userId, fingerprint, lockedUntil: now + lock, expiresAt: now + ttl }).onConflictDoNothing().returning({ id: t.id });
    if (claimed.length === 0) {
      const [row] = (await db.select().from(table).where(eq(t.id, id)).limit(1)) as Stored[];
      if (!row) throw apiError('IDEMPOTENCY_KEY_IN_PROGRESS');
      if (row.fingerprint !== fingerprint) throw apiError('IDEMPOTENCY_KEY_REUSED', { hint: 'A key names one request: the same method, path and body. Use a new key for a new request.' });
      if (row.status !== null) return replay(row);
      if (row.lockedUntil > now) throw apiError('IDEMPOTENCY_KEY_IN_PROGRESS', { hint: 'Retry once the first request with this key has been answered.' });
      throw apiError('IDEMPOTENCY_KEY_INTERRUPTED', { hint: 'The first request with this key stopped before its response was stored; whether it wrote is unknown. Read the data, then use a new key.' });
    }
    await next();
    const res = c.res;
    const body = res.status >= 500 ? null : new Uint8Array(await res.clone().arrayBuffer());
    try {
      if (body === null || body.byteLength > MAX_STORED_BODY) {
        await db.delete(table).where(and(eq(t.id, id), eq(t.fingerprint, fingerprint)));
        return;
      }
      const headers = Object.fromEntries(KEPT_HEADERS.flatMap((name) => (res.headers.has(name) ? [[name, res.headers.get(name)!]] : [])));
      await db.update(table).set({ status: res.status, headers: JSON.stringify(headers), body: Buffer.from(body).toString('base64') }).where(eq(t.id, id));
      await options.pause?.(c);
    } catch (err) {
      // PostgreSQL: a failed statement aborted the request's transaction, which rolls the reservation back with it.
      if (!c.error) throw err;
    }
  };
}
