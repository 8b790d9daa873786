/**
 * @module quickback/index
 * The runtime's public API: what the owner's code imports, as `#quickback` (the app's package.json
 * `imports` entry points here). Action handlers (quickback/features/<f>/actions/<a>.ts) and the
 * owner's seam (quickback/app.ts) use these names; everything else in src/lib/quickback is the
 * generated app's own and may move between compiler versions. Only modules that load no optional
 * driver (pg, neon, bun:, ws, S3) are re-exported, so importing this works on every target. The
 * statements marked `@public` are always vendored (compiler/emit/vendor-select.ts); the app gets
 * the others only when its generated files use them.
 */
import type { Hono } from 'hono';
import type { QuickbackEnv } from './core/types.js';

// @public
export { ActionError, TransitionLostError, type ActionArgs, type ActionHandler } from './routes/actions.js';
// @public
export { anonymousContext, type AppContext } from './core/context.js';
// @public
export { type FieldCrypto } from './crypto/ctx-crypto.js';
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
export { log, type LogLevel } from './core/log.js';
// @public
export { type Row } from './core/types.js';
// @public
export {
  type MemberRoles,
  type QueryDatabase,
  type QuickbackEnv,
  type QuickbackVariables,
  type TransactionMode,
} from './core/types.js';

/** The generated app as the seam (quickback/app.ts) receives it: its routes mounted, the error handler not yet. */
export type QuickbackApp = Hono<QuickbackEnv>;
