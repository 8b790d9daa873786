/**
 * @module emitters/db-pg/print/worker-db
 * `src/db/index.ts` for neon on Workers: Neon's serverless driver over WebSocket (Workers have a
 * global WebSocket), one pool per request, as Workers cannot share a socket between requests;
 * the app ends it once the response is out (`close`). WebSocket, not HTTP: every API request
 * runs in one interactive transaction with its RLS role and claims. NEON_WS_PROXY (`host:port`)
 * sends a local server's traffic through a WebSocket proxy, as on Node. Connections and queries
 * are bounded by QUICKBACK_DEPENDENCY_TIMEOUT_MS, as on Node.
 */
import type { AppModel } from '../../../compiler/model/ir.js';
import { withBanner } from '../../banner.js';
import { lines, namedImports, runtimeImport } from '../../print-utils.js';
import { BEGIN_RUNTIME, beginImports, beginLines } from './begin.js';
import {
  auditWriteLines,
  boundedNeonPoolLines,
  moduleImports,
  moduleRuntime,
  NEON_POOL_IMPORTS,
  neonEndpointLines,
  neonProxyLines,
  SCHEMA_IMPORT,
} from './db.js';

export function printWorkerDb(model: AppModel): string {
  return withBanner(
    'ts',
    model.configFile,
    lines(
      ...namedImports([
        ['@neondatabase/serverless', NEON_POOL_IMPORTS('Pool')],
        ['drizzle-orm/neon-serverless', ['drizzle']],
        ...beginImports(['neon']),
        ...moduleImports(model, 'Bindings'),
      ]),
      runtimeImport([
        ...BEGIN_RUNTIME,
        ...moduleRuntime(model),
        'apiDatabaseUrl',
        'serviceSession',
        'dependencyTimeout',
      ]),
      SCHEMA_IMPORT,
      ...neonEndpointLines(model),
      ...boundedNeonPoolLines('Pool'),
      '',
      'function pool(bindings: Bindings, url: string | undefined, options: object = {}): Pool {',
      '  if (!url) throw new Error("DATABASE_URL is not set");',
      ...neonProxyLines('bindings'),
      '  return boundedNeonPool({ connectionString: neonEndpoint(url), ...options }, dependencyTimeout(bindings));',
      '}',
      '',
      '/** The database of one request (a pool of its own, ended by `close` after the response), logged in as `quickback_api`. */',
      'export function createDatabases(bindings: Bindings) {',
      '  const connections = pool(bindings, apiDatabaseUrl(bindings), serviceSession);',
      '  const features = drizzle(connections, { schema });',
      '  return { features, auth: features, close: () => connections.end() };',
      '}',
      '',
      ...beginLines(['neon'], 'Databases["features"]'),
      '',
      '/** PostgreSQL transactions are interactive over WebSocket (`db.transaction(async tx => ...)`). */',
      'export const transactions: TransactionMode = "async";',
      '',
      'export type Databases = ReturnType<typeof createDatabases>;',
      'export type AuthDatabase = Databases["auth"];',
      ...(model.auditLog
        ? [
          '',
          '/** Writes the audit event of an unsafe action to AUDIT_DATABASE_URL (default DATABASE_URL); throws when it cannot. */',
          'export function createAuditLog(bindings: Bindings): AuditLog {',
          '  return async (event) => {',
          '    const connections = pool(bindings, bindings.AUDIT_DATABASE_URL ?? bindings.DATABASE_URL);',
          '    try {',
          '      const audit = drizzle(connections);',
          ...auditWriteLines('      '),
          '    } finally {',
          '      await connections.end();',
          '    }',
          '  };',
          '}',
        ]
        : []),
    ),
  );
}
