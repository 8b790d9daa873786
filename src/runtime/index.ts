/**
 * @module quickback/index
 * The runtime's one import path: the generated app's package.json `imports` entry `#quickback`
 * points here, and both the generated code and the owner's code (action handlers under
 * quickback/features/<f>/actions/, the seam quickback/app.ts) import the runtime by that name.
 * One statement per module, grouped by layer; a name is exported once across the file. The
 * statements marked `@public` are the owner's API (handlers and the seam) and are always vendored
 * (compiler/emit/vendor-select.ts); the app gets every other module only when its generated files
 * import a name of it, and its copy of this file keeps only the statements of modules it got.
 * Nothing here loads an optional driver (pg, neon, bun:, ws, S3) at the top level, so importing
 * this works on every target.
 */
import type { Hono } from 'hono';
import type { QuickbackEnv } from './core/types.js';

// Core: context, errors, logging, deadlines, the resource shape.
// @public
export { anonymousContext, type AppContext } from './core/context.js';
// @public
export {
  ApiError,
  apiError,
  isApiError,
  type ApiErrorBody,
  type ApiErrorCode,
  type ErrorLayer,
} from './core/errors.js';
// @public
export { betterAuthLogger, log, type LogLevel } from './core/log.js';
// @public
export {
  type MemberRoles,
  type QueryDatabase,
  type QuickbackEnv,
  type QuickbackVariables,
  type Row,
  type TransactionMode,
} from './core/types.js';
export { boundedD1, dependencyTimeout } from './core/deadline.js';
export { type ResourceDefinition } from './core/resource.js';

// Auth: sessions, stores, the bearer-token denylist, API keys, OAuth, external and Supabase providers.
export { type AuthLike, splitRoles, type TeamMembership } from './auth/session.js';
export { type KeyValueStore, kvStore, memoryStore, redisStore } from './auth/kv-store.js';
export { type Revocation, revokeTokens } from './auth/revocation.js';
export { type ApiKeys, type ApiKeyVerdict } from './auth/api-key.js';
export { loginRedirect } from './auth/redirects.js';
export { CROSS_CLIENT, foreignToken, invalidTokenAnswer } from './auth/oauth-revoke.js';
export { externalAuth, externalMemberRoles, externalTeamMembership } from './auth/providers/external-auth.js';
export { supabaseAuth } from './auth/providers/supabase-auth.js';

// Crypto: encrypted columns.
// @public
export { type FieldCrypto } from './crypto/ctx-crypto.js';
export { createKeyring, type Keyring } from './crypto/encryption.js';

// Data: PostgreSQL logins, connection failures, RLS transactions, Neon's HTTP driver.
export { apiDatabaseUrl, apiLoginStatement, SERVICE_PRELUDE, serviceSession } from './data/postgres/pg-login.js';
export { describePgConnectFailure, missingDatabaseHint } from './data/postgres/pg-connect.js';
export { type BeginTransaction } from './data/postgres/rls.js';
export { escapeLiteral, preludeFetch, type PreludeOptions } from './data/postgres/neon-http.js';

// Routes: CRUD, actions, the audit log of unsafe actions.
// @public
export {
  ActionError,
  actionRoutes,
  TransitionLostError,
  type ActionArgs,
  type ActionDefinition,
  type ActionHandler,
} from './routes/actions.js';
export { crudRoutes } from './routes/crud.js';
export { type AuditLog } from './routes/unsafe.js';

// App: the app factory, the migrations gate, the Node and Bun servers.
export { createQuickbackApp, type Services } from './app/app.js';
export { type MigrationsOptions } from './app/migrations-gate.js';
export { probeMigrations, type ShippedMigrations } from './app/migrations-status.js';
export { nodeServerOptions, shutdownNodeServer } from './app/server-node.js';
export { bunServeOptions, shutdownBunServer } from './app/server-bun.js';

// Add-on realtime: the hub, tickets, live re-checks, the Node and Bun socket servers.
export { realtimeAddon } from './addons/realtime/addon.js';
export { createRealtime, type Publish, type RealtimeEvent } from './addons/realtime/realtime.js';
export { createHub, deliverTo, localPublish, redisPublish } from './addons/realtime/realtime-hub.js';
export {
  ACCESS_REVOKED,
  type AuthEvent,
  type AuthState,
  memoryNonces,
  recheckInterval,
  recheckWith,
  redisNonces,
} from './addons/realtime/realtime-live.js';
export {
  type MessageLimiter,
  messageLimiter,
  onClientMessage,
  REALTIME_LIMITS,
} from './addons/realtime/realtime-limits.js';
export { type ScopeTickets } from './addons/realtime/realtime-scope.js';
export { type Ticket, verifyTicket } from './addons/realtime/realtime-ticket.js';
export { attachRealtime } from './addons/realtime/realtime-node.js';
export { bunRealtime } from './addons/realtime/realtime-bun.js';

// Add-on webhooks: outbound events and deliveries, inbound handlers.
export { webhooksAddon } from './addons/webhooks/addon.js';
export { emitWebhookEvent } from './addons/webhooks/webhook-events.js';
export { leaseMs, runDue, startDeliveryLoop } from './addons/webhooks/webhook-queue.js';
export { processInbound, type WebhookHandlers } from './addons/webhooks/webhook-inbound.js';
export { pinnedSend } from './addons/webhooks/webhook-pinned.js';
export { type TargetPolicy } from './addons/webhooks/webhook-targets.js';

// Add-on files: R2, a local folder, an S3-compatible bucket.
export { filesAddon } from './addons/files/addon.js';
export { r2Store } from './addons/files/file-store.js';
export { fsStore } from './addons/files/file-store-fs.js';
export { s3ConfigFrom, s3Store } from './addons/files/file-store-s3.js';

// Add-on email: Better Auth's emails and their transports.
export {
  cloudflareMailer,
  emailSettings,
  magicLinkEmail,
  type Mailer,
  otpEmail,
  sesMailer,
} from './addons/email/email.js';
export { DEFAULT_OUTBOX_DIR, outboxMailer } from './addons/email/email-outbox.js';

/** The generated app as the seam (quickback/app.ts) receives it: its routes mounted, the error handler not yet. */
export type QuickbackApp = Hono<QuickbackEnv>;
