/**
 * @module quickback/types
 * The Hono environment of a generated app and the slice of a Drizzle database the routes use.
 * The database type is structural so one route implementation serves every dialect and driver.
 * Variables owned by a higher layer (data keys, recorded changes, the audit log, an idempotency
 * hold) are added to QuickbackVariables by the module that owns their type (declaration merging).
 */
import type { Context } from 'hono';
import type { AppContext } from './context.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- the query builders differ per dialect; routes use the shared subset. */
export interface QueryDatabase {
  select(fields?: Record<string, unknown>): { from(table: any): any };
  insert(table: any): any;
  update(table: any): any;
  delete(table: any): any;
}
/* eslint-enable @typescript-eslint/no-explicit-any */

/** Roles of `userId` in `organizationId`, or null when not a member. */
export type MemberRoles = (organizationId: string, userId: string) => Promise<string[] | null>;

/**
 * How writes that must be atomic run (transaction.ts): `sync` (better-sqlite3, bun:sqlite: a
 * synchronous transaction), `async` (libsql, Postgres: `db.transaction(async tx => ...)`),
 * `batch` (D1: no interactive transactions, one atomic `db.batch`).
 */
export type TransactionMode = 'sync' | 'async' | 'batch';

export interface QuickbackVariables {
  db: QueryDatabase;
  ctx: AppContext;
  memberRoles?: MemberRoles;
  transactions: TransactionMode;
  /**
   * How the caller was authenticated: `apiKey`, `jwt` (the bearer fast path), `session` (Better
   * Auth), or `none`; `expired` / `invalid` when a credential was sent but refused and no session stood in.
   */
  authVia: 'apiKey' | 'jwt' | 'session' | 'none' | 'expired' | 'invalid';
  /** The session or API key the caller was authenticated with (realtime tickets are bound to it). */
  authRef?: { sid?: string; kid?: string };
  /** A fresh bearer token (after session auth, when the fast path is on). */
  authToken?: string;
  /** PostgreSQL RLS: switches the request's transaction to the service role (unsafe actions, after their audit event). */
  elevate?: () => Promise<void>;
  /** `etag.enabled`: record writes answer the record's new ETag (preconditions.ts). */
  etags?: boolean;
  /** Where the audit log writes, named when a write fails (AUDIT_DATABASE_URL, or the AUDIT_DB binding on D1). */
  auditTarget?: string;
}

export type QuickbackEnv = { Variables: QuickbackVariables };

/** The request context of every route and middleware. */
export type C = Context<QuickbackEnv>;

/** A row as the database driver returns it. */
export type Row = Record<string, unknown>;
