/**
 * @module emitters/db-d1/print/db
 * `src/db/index.ts` for Cloudflare D1: Drizzle over the request's D1 bindings. With
 * `splitDatabases` (the default) auth tables live in their own database (AUTH_DB). D1 has no
 * interactive transactions, so atomic writes are one `db.batch` each (`batch`).
 */
import type { AppModel } from '../../../compiler/model/ir.js';
import type { CloudflareModel } from '../../../compiler/model/cloudflare.js';
import { withBanner } from '../../banner.js';
import { lines, runtimeImport } from '../../print-utils.js';
import { auditLogLines } from '../../db-sqlite/print/db.js';

export function printD1Db(model: AppModel, cf: CloudflareModel): string {
  const binding = (logical: string) => cf.d1.find((d) => d.logical === logical)?.binding;
  const split = model.database.splitDatabases;
  const audit = binding('audit');
  // External auth: the auth Worker owns the auth tables; this Worker has only its features database.
  const ownAuth = model.auth.provider === 'better-auth';
  return withBanner(
    'ts',
    model.configFile,
    lines(
      'import { drizzle } from "drizzle-orm/d1";',
      model.auditLog ? 'import { sql } from "drizzle-orm";' : false,
      '',
      'import type { Bindings } from "../env.js";',
      runtimeImport(['boundedD1', 'dependencyTimeout', 'type TransactionMode', model.auditLog && 'type AuditLog']),
      ownAuth ? 'import * as authSchema from "./auth-schema.js";' : false,
      'import * as featureSchema from "./schema.js";',
      '',
      '/** The databases of one request, from its D1 bindings (wrangler.toml); each statement bounded by QUICKBACK_DEPENDENCY_TIMEOUT_MS (503, never a hang). */',
      'export function createDatabases(bindings: Bindings) {',
      '  const ms = dependencyTimeout(bindings);',
      `  const features = drizzle(boundedD1(bindings.${binding('features')}, ms), { schema: { ...featureSchema${
        split || !ownAuth ? '' : ', ...authSchema'
      } } });`,
      !ownAuth
        ? false
        : split
        ? `  const auth = drizzle(boundedD1(bindings.${binding('auth')}, ms), { schema: authSchema });`
        : '  const auth = features;',
      ownAuth ? '  return { features, auth };' : '  return { features };',
      '}',
      '',
      '/** D1 has no interactive transactions: an atomic write is one `db.batch` (all or nothing). */',
      'export const transactions: TransactionMode = "batch";',
      '',
      'export type Databases = ReturnType<typeof createDatabases>;',
      ownAuth ? 'export type AuthDatabase = Databases["auth"];' : false,
      ...(model.auditLog && audit
        ? auditLogLines('bindings: Bindings', `the ${audit} D1 binding`, `bindings.${audit}`)
        : []),
    ),
  );
}
