/**
 * @module emitters/registry
 * The only place an emitter is registered. Order does not matter: the driver sorts the output.
 */
import { authExternalEmitter } from './auth-external/index.js';
import { authSupabaseEmitter } from './auth-supabase/index.js';
import { betterAuthEmitter } from './better-auth/index.js';
import { dbD1Emitter } from './db-d1/index.js';
import { dbPgEmitter } from './db-pg/index.js';
import { dbSqliteEmitter } from './db-sqlite/index.js';
import { drizzlePgEmitter } from './drizzle-pg/index.js';
import { drizzleSqliteEmitter } from './drizzle-sqlite/index.js';
import { honoEmitter } from './hono/index.js';
import { openapiEmitter } from './openapi/index.js';
import { realtimeEmitter } from './realtime/index.js';
import { runtimeBunEmitter } from './runtime-bun/index.js';
import { runtimeCloudflareEmitter } from './runtime-cloudflare/index.js';
import { vendorRuntimeEmitter } from './vendor-runtime/index.js';
import { runtimeNodeEmitter } from './runtime-node/index.js';

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
