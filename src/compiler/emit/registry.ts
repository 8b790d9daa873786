/**
 * @module compiler/emit/registry
 * The only place an emitter is registered, and the only module of the compiler that imports one. Order does not matter: the driver sorts the output.
 */
import { authExternalEmitter } from '../../emitters/auth-external/index.js';
import { authSupabaseEmitter } from '../../emitters/auth-supabase/index.js';
import { betterAuthEmitter } from '../../emitters/better-auth/index.js';
import { dbD1Emitter } from '../../emitters/db-d1/index.js';
import { dbPgEmitter } from '../../emitters/db-pg/index.js';
import { dbSqliteEmitter } from '../../emitters/db-sqlite/index.js';
import { drizzlePgEmitter } from '../../emitters/drizzle-pg/index.js';
import { drizzleSqliteEmitter } from '../../emitters/drizzle-sqlite/index.js';
import { honoEmitter } from '../../emitters/hono/index.js';
import { openapiEmitter } from '../../emitters/openapi/index.js';
import { realtimeEmitter } from '../../emitters/realtime/index.js';
import { runtimeBunEmitter } from '../../emitters/runtime-bun/index.js';
import { runtimeCloudflareEmitter } from '../../emitters/runtime-cloudflare/index.js';
import { vendorRuntimeEmitter } from '../../emitters/vendor-runtime/index.js';
import { runtimeNodeEmitter } from '../../emitters/runtime-node/index.js';

export const emitters = [
  vendorRuntimeEmitter,
  drizzleSqliteEmitter,
  drizzlePgEmitter,
  dbSqliteEmitter,
  dbPgEmitter,
  dbD1Emitter,
  betterAuthEmitter,
  authExternalEmitter,
  authSupabaseEmitter,
  honoEmitter,
  openapiEmitter,
  realtimeEmitter,
  runtimeNodeEmitter,
  runtimeBunEmitter,
  runtimeCloudflareEmitter,
] as const;
