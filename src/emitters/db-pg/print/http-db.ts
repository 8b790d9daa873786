/**
 * @module emitters/db-pg/print/http-db
 * `src/db/index.ts` for neon over Neon's SQL-over-HTTP driver (`connectionMode: "http"`, and
 * `auto` on Workers): a fetch per query, no socket to hold, on Node, Bun and Workers alike. Every
 * URL goes to Neon's HTTP endpoint of its host (`*.neon.tech`); NEON_HTTP_ENDPOINT sends the
 * queries to another endpoint speaking the same protocol (a local one in tests and offline
 * development). No interactive transactions: multi-statement writes run as one batch, which the
 * endpoint runs as one transaction, and the API's RLS prelude rides along with every query (begin).
 * Each exchange is bounded by QUICKBACK_DEPENDENCY_TIMEOUT_MS (runtime neon-http.ts).
 */
import type { AppModel } from '../../../compiler/model/ir.js';
import { withBanner } from '../../banner.js';
import { lines, namedImports, runtimeImport } from '../../print-utils.js';
import { BEGIN_HTTP_RUNTIME, beginHttpImports, beginHttpLines } from './begin.js';
import { auditWriteLines, moduleImports, moduleRuntime, neonEndpointLines, SCHEMA_IMPORT } from './db.js';

export function printHttpDb(model: AppModel): string {
  const workers = model.cloudflare !== undefined;
  const env = workers ? 'Bindings' : 'Env';
  return withBanner(
    'ts',
    model.configFile,
    lines(
      ...namedImports([
        ['@neondatabase/serverless', ['neon', 'neonConfig']],
        ['drizzle-orm/neon-http', ['drizzle']],
        ...beginHttpImports(),
        ...moduleImports(model, env),
      ]),
      runtimeImport([
        ...BEGIN_HTTP_RUNTIME,
        ...moduleRuntime(model),
        'apiError',
        'apiDatabaseUrl',
        'SERVICE_PRELUDE',
        'dependencyTimeout',
      ]),
      SCHEMA_IMPORT,
      ...neonEndpointLines(model),
      '',
      "// API queries carry their request's RLS prelude in their fetch options; this sends it along (begin).",
      "// The others (Better Auth, the key store) run as service_role: the API's login (quickback_api) has no privilege of its own.",
      'neonConfig.fetchFunction = preludeFetch(undefined, SERVICE_PRELUDE);',
      '',
      "/** Neon's HTTP driver for `url`: a Neon URL, or any server behind NEON_HTTP_ENDPOINT; each query and batch bounded by QUICKBACK_DEPENDENCY_TIMEOUT_MS (preludeFetch). */",
      `function client(env: ${env}, url: string | undefined, fetchOptions: PreludeOptions = {}) {`,
      '  if (!url) throw new Error("DATABASE_URL is not set");',
      '  if (env.NEON_HTTP_ENDPOINT) neonConfig.fetchEndpoint = env.NEON_HTTP_ENDPOINT;',
      '  else if (!new URL(url).hostname.endsWith(".neon.tech")) {',
      '    throw apiError("MISSING_ENV", {',
      '      details: { missing: ["NEON_HTTP_ENDPOINT"] },',
      '      hint: "DATABASE_URL is not a Neon URL (*.neon.tech), and connectionMode \\"http\\" sends queries to Neon\'s SQL-over-HTTP endpoint: set NEON_HTTP_ENDPOINT to an endpoint speaking that protocol for this server, or use connectionMode \\"websocket\\".",',
      '    });',
      '  }',
      '  return neon(neonEndpoint(url), { fetchOptions: { quickbackTimeoutMs: dependencyTimeout(env), ...fetchOptions } });',
      '}',
      '',
      `export function createDatabases(env: ${env}) {`,
      '  const features = drizzle(client(env, apiDatabaseUrl(env)), { schema });',
      '  return { features, auth: features, close: async () => {} }; // no connection to close: a fetch per query',
      '}',
      ...beginHttpLines('Databases["features"]'),
      '',
      '/** Over HTTP a batch is the unit of atomic writes: the endpoint runs it as one transaction. */',
      'export const transactions: TransactionMode = "batch";',
      '',
      'export type Databases = ReturnType<typeof createDatabases>;',
      'export type AuthDatabase = Databases["auth"];',
      ...(model.auditLog
        ? [
          '',
          '/** Writes the audit event of an unsafe action to AUDIT_DATABASE_URL (default DATABASE_URL); throws when it cannot. */',
          `export function createAuditLog(env: ${env}): AuditLog {`,
          '  return async (event) => {',
          "    // As that URL's own role (an empty prelude): it creates its table.",
          '    const audit = drizzle(client(env, env.AUDIT_DATABASE_URL ?? env.DATABASE_URL, { quickbackPrelude: "" }));',
          ...auditWriteLines('    '),
          '  };',
          '}',
        ]
        : []),
    ),
  );
}
