/**
 * @module quickback/app
 * The Hono app every generated API is built on: request id, CORS, security headers, the boot env
 * check (503 MISSING_ENV), `/health`, pending migrations (503 DATABASE_MIGRATIONS_PENDING on every
 * route that needs the database: migrations-gate.ts), URLs and bodies free of NUL and unpaired
 * surrogates (text-input.ts), Better Auth at `/auth/v1/*` (social settings and passkey bodies checked
 * first, device user codes throttled: device-throttle.ts), the request context on `/api/*`, the
 * feature routes, the stack add-ons (stack.ts: files, realtime, webhooks), the owner's `extend`, and one error handler
 * rendering `{ error, layer, code, ... }`. A failing store or database is a coded 503 there too
 * (STORAGE_UNAVAILABLE, DATABASE_UNAVAILABLE), Better Auth's routes included.
 */
import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { HTTPException } from 'hono/http-exception';
import { requestId } from 'hono/request-id';
import { etag } from '../core/etag.js';
import { BODY_LIMIT, declaredLength, drain } from '../core/body.js';
import { bodyDeadline } from '../core/body-deadline.js';
import { toDatabaseApiError } from '../core/db-errors.js';
import { log } from '../core/log.js';
import { countStorageFailures } from '../auth/kv-store.js';
import { apiError, isApiError, type ApiError } from '../core/errors.js';
import { migrationGate, pendingInstead, type MigrationsOptions } from './migrations-gate.js';
import { schemaMissing } from './migrations-status.js';
import { storableAuthBody, storableUrl } from '../core/text-input.js';
import { passkeyBodyCheck } from '../auth/passkey-input.js';
import { resolveAuthAlias, type AuthAlias } from '../auth/auth-aliases.js';
import { authChain, jwtSettings, tokenRoute, type JwtOptions } from '../auth/auth-chain.js';
import { bootCheck, socialEnvCheck, type SocialEnv } from './boot-env.js';
import { emailStatus, type Mailer } from '../core/mailer.js';
import { changesMiddleware } from '../events/changes.js';
import { corsAndSecurityHeaders, type CorsOptions } from './cors.js';
import { deviceThrottle } from '../auth/device-throttle.js';
import { changeListeners, mountStack, readsOwnBody, signedInPaths, type StackOptions } from './stack.js';
import { type BeginTransaction, rlsTransaction } from '../data/postgres/rls.js';
import { idempotency, type IdempotencyOptions } from '../routes/idempotency.js';
import type { KeyValueStore } from '../auth/kv-store.js';
import type { Revocation } from '../auth/revocation.js';
import { contextFromSession, type AuthServices } from '../auth/session.js';
import type { QueryDatabase, QuickbackEnv, TransactionMode } from '../core/types.js';
import type { AuditLog } from '../routes/unsafe.js';
import { serverTimeouts } from '../core/shutdown.js';
import type { Keyring } from '../crypto/encryption.js';

export interface Services extends AuthServices {
  db: QueryDatabase;
  audit?: AuditLog;
  keys?: Keyring;
}

/** Workers + PostgreSQL: the request's own connection pool is ended once the response is out. */
export type Release = (c: Context) => void;

/** The add-ons (`addons`: files, realtime, webhooks; core/addon.ts) are in StackOptions (stack.ts). */
export interface AppOptions extends StackOptions, CorsOptions {
  /** Per-request services (Node/Bun memoise them; Workers build them from bindings). */
  services(c: Context): Services;
  env(c: Context): Record<string, string | undefined>;
  requiredEnv: string[];
  /** Where this runtime's settings go, named by MISSING_ENV's hint (default: in .env for local development). */
  settingsHint?: string;
  /** Where the audit log of unsafe actions writes, named when a write fails (default AUDIT_DATABASE_URL). */
  auditTarget?: string;
  /** Settings that must be absolute http(s) URLs when set (APP_URL, ACCOUNT_URL). */
  urlEnv?: string[];
  routes: { path: string; app: Hono<QuickbackEnv> }[];
  /** Weak ETag and 304 on GET responses under /api. */
  etag: boolean;
  transactions: TransactionMode;
  /** The bearer-token fast path (`auth.jwt`); absent: sessions only, and no /api/v1/token. */
  jwt?: JwtOptions;
  /** `auth.jwt.revocationCheck: "kv"`: the denylist the fast path reads (one read per bearer request). */
  revocation?: (c: Context) => Revocation;
  /** `defineStorage("redis")`: the store the device-code throttle counts in, shared by every server process. */
  sharedCounters?: (c: Context) => KeyValueStore | undefined;
  /**
   * `GET /openapi.json` (public unless `openapiPublic: false`) and `GET /api/v1/schema` (signed-in
   * callers only): each the document, or a function loading it (the generated app imports its
   * largest module, src/openapi.ts, on the first request for one rather than at boot).
   */
  documents?: { openapi?: unknown; openapiPublic?: boolean; schema?: unknown };
  /** Documented paths of Better Auth plugins served by other Better Auth routes (see auth-aliases). */
  authAliases?: readonly AuthAlias[];
  /** Better Auth's social providers and the settings each needs (503 MISSING_ENV at sign-in without them). */
  socialEnv?: SocialEnv;
  /** The passkey plugin: its verify routes' bodies are checked (400 instead of Better Auth's 500). */
  passkey?: boolean;
  /** The email transport of Better Auth's emails, for `GET /api/v1/system/email-status`. */
  email?: (c: Context) => Mailer | undefined;
  /** `.encrypted()` columns: ENCRYPTION_KEK (and ENCRYPTION_KEK_PREVIOUS) must be keys (64 hex digits). */
  encryption?: boolean;
  /** Called after every response (Workers + neon: ends the request's pool through waitUntil). */
  release?: Release;
  /** PostgreSQL: each /api request in one transaction (the database module's `begin`) as the caller's role, with their claims (rls.ts). */
  rls?: BeginTransaction<never>;
  /** Workers: keeps work after the response alive (waitUntil): realtime publishing, webhook deliveries. */
  defer?: (c: Context, work: Promise<unknown>) => void;
  /** The oauthProvider's discovery documents under /.well-known/ (otherwise those paths are not routed, and build no services). */
  wellKnown?: boolean;
  /** `Idempotency-Key` on /api writes, stored in the generated idempotency_keys table (idempotency.ts). */
  idempotency?: IdempotencyOptions;
  /** The migrations the app ships, checked against its databases (503 DATABASE_MIGRATIONS_PENDING, /health). */
  migrations?: MigrationsOptions;
  /** Node and Bun: bodies must arrive within QUICKBACK_BODY_TIMEOUT_MS (default 30 s), else 408 REQUEST_TIMEOUT (body-deadline.ts). */
  bodyDeadline?: boolean;
  /** The owner's seam (quickback/app.ts): adds routes and middleware after the generated ones, before the error handler. */
  extend?: (app: Hono<QuickbackEnv>) => void;
}

/** An ApiError on the cause chain (Better Auth's API rethrows a failing secondary storage's 503 wrapped). */
function chainedApiError(err: unknown): ApiError | undefined {
  for (
    let depth = 0, e = err;
    depth < 5 && typeof e === 'object' && e !== null;
    depth++, e = (e as { cause?: unknown }).cause
  ) {
    if (isApiError(e)) return e;
  }
  return undefined;
}

function toApiError(err: unknown): ApiError {
  const own = chainedApiError(err);
  if (own) return own;
  const db = toDatabaseApiError(err);
  if (db) return db;
  if (err instanceof HTTPException && err.status < 500) {
    return err.status === 413
      ? apiError('PAYLOAD_TOO_LARGE')
      : apiError('VALIDATION_FAILED', { message: err.message || 'Bad request' });
  }
  return apiError('INTERNAL_SERVER_ERROR');
}

/**
 * The app, its middleware in this order (each only when its option is set):
 * 1. request id (`x-request-id`), then `release` around everything after it;
 * 2. CORS and security headers; `GET /health` (answered here, before the checks below);
 * 3. the boot env check (503 MISSING_ENV);
 * 4. the migrations gate on `/api/*`, the add-ons' signed-in paths, `/auth/v1/*` and `/.well-known/*`;
 * 5. the body deadline (`bodyDeadline`), then the 1 MiB body limit (not on paths that read their own body);
 * 6. storable URLs on those paths and `/auth/v1/*`; on `/auth/v1/*`: storable bodies, the social
 *    settings check, passkey bodies, the device-code throttle, then Better Auth itself;
 * 7. `/.well-known/*` (`wellKnown`);
 * 8. on `/api/*`: the request's services in the context; then on every signed-in path the auth chain;
 * 9. on `/api/*`: change listeners (realtime, webhooks), the RLS transaction, idempotency;
 *    `POST /api/v1/token` (`jwt`); the ETag;
 * 10. `GET /api/v1/system/email-status`, `GET /openapi.json`, `GET /api/v1/schema`;
 * 11. the feature routes (`routes`), then the add-ons' routes (stack.ts);
 * 12. 404 ROUTE_NOT_FOUND, and the error handler rendering `{ error, layer, code, ... }`.
 */
export function createQuickbackApp(options: AppOptions): Hono<QuickbackEnv> {
  const app = new Hono<QuickbackEnv>();
  app.use('*', requestId({ headerName: 'x-request-id', limitLength: 64 }));
  if (options.release) {
    const release = options.release;
    app.use('*', async (c, next) => {
      try {
        await next();
      } finally {
        release(c);
      }
    });
  }
  app.use('*', corsAndSecurityHeaders(options));
  const gate = options.migrations ? migrationGate(options.migrations) : undefined;
  app.get('/health', (c) => (gate ? gate.health(c) : c.json({ status: 'ok' })));
  app.use('*', bootCheck(options));
  const signedIn = ['/api/*', ...signedInPaths(options)];
  if (gate) {
    for (const path of [...signedIn, '/auth/v1/*', ...(options.wellKnown ? ['/.well-known/*'] : [])])
      app.use(path, gate.middleware);
  }
  if (options.bodyDeadline) {
    let bodyMs: number | undefined; // Node and Bun: the settings are the process's, read on the first request
    app.use('*', bodyDeadline((c) => (bodyMs ??= serverTimeouts(options.env(c)).bodyMs)));
  }
  const limit = bodyLimit({
    maxSize: BODY_LIMIT,
    onError: async (c) => {
      // A declared Content-Length over the limit is answered at once, unread, where the server
      // discards the rest (Node, Bun). Elsewhere (workerd resets a connection whose body was
      // cancelled), and for a streamed body that passed it, the body is read on a little, so
      // clients still sending see the 413.
      if (options.bodyDeadline && declaredLength(c.req.raw) !== undefined)
        await c.req.raw.body?.cancel().catch(() => undefined);
      else await drain(c.req.raw);
      throw apiError('PAYLOAD_TOO_LARGE', { hint: 'Bodies are limited to 1 MiB.' });
    },
  });
  app.use('*', (c, next) => (c.req.raw.body === null || readsOwnBody(options, c.req.path) ? next() : limit(c, next)));
  // NUL and unpaired surrogates answer 400 on every database, before auth (API keys arrive in the query) and before any driver.
  for (const path of [...signedIn, '/auth/v1/*']) app.use(path, storableUrl);
  app.use('/auth/v1/*', storableAuthBody);
  if (options.socialEnv)
    app.use('/auth/v1/*', socialEnvCheck(options.env, options.socialEnv, '/auth/v1', options.settingsHint));
  if (options.passkey) app.use('/auth/v1/*', passkeyBodyCheck('/auth/v1'));
  app.use('/auth/v1/*', deviceThrottle('/auth/v1', Date.now, options.sharedCounters)); // user-code guessing, also where Better Auth's limiter is off
  const aliases = options.authAliases ?? [];
  // Better Auth renders its own failures, a failing store or database as an empty 500: those answer coded 503s, any other 5xx the envelope.
  app.on(['GET', 'POST'], '/auth/v1/*', async (c) => {
    const request = await resolveAuthAlias(c.req.raw, '/auth/v1', aliases);
    const { result: res, failures } = await countStorageFailures(() => options.services(c).auth.handler(request));
    if (res.status < 500) return res;
    if (failures > 0)
      throw apiError('STORAGE_UNAVAILABLE', {
        hint: 'The session and rate-limit store (defineStorage) failed or did not answer; retry shortly.',
      });
    const instead = await pendingInstead(gate, c);
    if (instead) throw instead;
    if ((await res.clone().text()) === '') throw apiError('INTERNAL_SERVER_ERROR');
    return res;
  });
  if (options.wellKnown) {
    app.get('/.well-known/*', async (c) => {
      const document = await options.services(c).auth.wellKnown?.(c.req.raw);
      if (!document) throw apiError('ROUTE_NOT_FOUND');
      return document;
    });
  }
  app.use('/api/*', async (c, next) => {
    const services = options.services(c);
    c.set('db', services.db);
    c.set('transactions', options.transactions);
    if (services.memberRoles) c.set('memberRoles', services.memberRoles);
    if (services.audit) c.set('audit', services.audit);
    if (options.auditTarget) c.set('auditTarget', options.auditTarget);
    if (services.keys) c.set('keys', services.keys);
    await next();
  });
  for (const path of signedIn)
    app.use(path, authChain(options.services, (c) => jwtSettings(options.jwt, options.env(c)), options.revocation));
  // Before the RLS transaction: its commit happens inside, so changes are published after it.
  const listeners = changeListeners(options);
  if (listeners.length > 0) app.use('/api/*', changesMiddleware(listeners, options.defer));
  if (options.rls) app.use('/api/*', rlsTransaction(options.rls));
  // Inside the RLS transaction: on PostgreSQL the key and its response commit with the write.
  if (options.idempotency)
    app.use(
      '/api/*',
      idempotency({
        ...options.idempotency,
        env: options.env,
        inRequestTransaction: !!options.rls && options.transactions !== 'batch',
      }),
    );
  if (options.jwt) app.post('/api/v1/token', tokenRoute);
  if (options.etag) app.use('/api/*', etag);
  if (options.email) {
    const mailerOf = options.email;
    app.get('/api/v1/system/email-status', (c) => c.json(emailStatus(mailerOf(c))));
  }
  const { openapi, openapiPublic = true, schema } = options.documents ?? {};
  const documentOf = async (source: unknown) => (typeof source === 'function' ? await source() : source) as object;
  if (openapi !== undefined) {
    app.get('/openapi.json', async (c) => {
      if (!openapiPublic) {
        const services = options.services(c);
        if (!(await contextFromSession(services.auth, c.req.raw.headers)).authenticated)
          throw apiError('AUTH_MISSING', {
            hint: 'The API description is for signed-in callers (openapi.publish: false).',
          });
      }
      return c.json(await documentOf(openapi));
    });
  }
  if (schema !== undefined) {
    app.get('/api/v1/schema', async (c) => {
      if (!c.get('ctx').authenticated)
        throw apiError('AUTH_MISSING', {
          hint: 'The schema registry is for signed-in callers: POST /auth/v1/sign-in/email',
        });
      return c.json(await documentOf(schema));
    });
  }
  for (const route of options.routes) app.route(route.path, route.app);
  mountStack(app, options, options.env);
  options.extend?.(app);
  app.notFound(() => {
    throw apiError('ROUTE_NOT_FOUND');
  });
  app.onError(async (err, c) => {
    let apiErr = (schemaMissing(err) ? await pendingInstead(gate, c) : undefined) ?? toApiError(err);
    if (gate && apiErr.code === 'DATABASE_NOT_FOUND') apiErr = gate.error('missing'); // the target's own command
    // Server-side failures only (a dependency down, a bug), one line each: never the request's credentials or a query's parameters (log.ts).
    if (apiErr.status >= 500)
      (apiErr.code === 'INTERNAL_SERVER_ERROR' ? log.error : log.warn)(
        `${c.req.method} ${c.req.path} ${apiErr.status} ${apiErr.code} (request ${c.get('requestId')}):`,
        err,
      );
    return c.json(apiErr.toBody(), apiErr.status as 400);
  });
  return app;
}
