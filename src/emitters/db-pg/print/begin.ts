/**
 * @module emitters/db-pg/print/begin
 * The printed `begin(db, prelude)` of `src/db/index.ts` on PostgreSQL: one API request's
 * transaction (issue #11) on a connection of its own. BEGIN and the prelude (the caller's role and
 * claims, transaction-local) go in one round trip, a multi-statement simple query with the values
 * escaped by the driver; the routes then get drizzle's transaction object over that connection
 * (nested transactions are savepoints). `end` commits or rolls back and returns the connection,
 * destroying it when the database failed; `reset` runs another prelude (the service role of
 * unsafe actions) in the same transaction.
 *
 * Over Neon's HTTP driver there is no transaction to hold: the request's queries go through a
 * copy of drizzle's session that gives each one the prelude in its fetch options, which
 * `preludeFetch` (runtime neon-http.ts) sends as the first statement of that query's own
 * transaction; `end` has nothing to do and `reset` swaps the prelude.
 */
import type { ImportSpec } from '../../print-utils.js';

export type PgDriverKind = 'pg' | 'neon';

const CLASSES: Record<PgDriverKind, { session: string; transaction: string; module: string }> = {
  pg: { session: 'NodePgSession', transaction: 'NodePgTransaction', module: 'drizzle-orm/node-postgres' },
  neon: { session: 'NeonSession', transaction: 'NeonTransaction', module: 'drizzle-orm/neon-serverless' },
};

export function beginImports(drivers: PgDriverKind[]): ImportSpec[] {
  return [
    ...drivers.map((d): ImportSpec => [CLASSES[d].module, [CLASSES[d].session, CLASSES[d].transaction]]),
    ['drizzle-orm/pg-core', ['PgDialect']],
    ['drizzle-orm', ['type RelationalSchemaConfig', 'type TablesRelationalConfig']],
  ];
}

/** The runtime names `beginLines` uses. */
export const BEGIN_RUNTIME = ['type BeginTransaction'];

/** `drivers[0]` is the default; with two, `db.$client instanceof NeonPool` picks Neon's classes. */
export function beginLines(drivers: PgDriverKind[], database: string, neonPool = 'NeonPool'): string[] {
  const make = (kind: PgDriverKind) =>
    `new ${CLASSES[kind].transaction}(dialect, new ${
      CLASSES[kind].session
    }(client as never, dialect, relational, {}), relational)`;
  const tx = drivers.length === 1
    ? make(drivers[0])
    : `db.$client instanceof ${neonPool} ? ${make('neon')} : ${make('pg')}`;
  return [
    '',
    'const dialect = new PgDialect();',
    '',
    "/** One API request's transaction: BEGIN and `prelude` (its RLS role and claims) in one round trip, on a connection of its own. */",
    `export const begin: BeginTransaction<${database}> = async (db, prelude) => {`,
    '  const client = await db.$client.connect();',
    '  try {',
    '    await client.query(`BEGIN; ${prelude((value) => client.escapeLiteral(value))}`);',
    '  } catch (err) {',
    '    client.release(err as Error);',
    '    throw err;',
    '  }',
    '  const relational = db._ as unknown as RelationalSchemaConfig<TablesRelationalConfig>;',
    `  const tx = ${tx};`,
    '  return {',
    '    tx,',
    '    async end(commit) {',
    '      try {',
    '        await client.query(commit ? "COMMIT" : "ROLLBACK");',
    '      } catch (err) {',
    '        client.release(err as Error);',
    '        throw err;',
    '      }',
    '      client.release();',
    '    },',
    '    async reset(next) {',
    '      await client.query(next((value) => client.escapeLiteral(value)));',
    '    },',
    '  };',
    '};',
  ];
}

export function beginHttpImports(): ImportSpec[] {
  return [
    ['drizzle-orm/neon-http', ['NeonHttpDatabase', 'NeonHttpSession']],
    ['drizzle-orm/pg-core', ['PgDialect']],
    ['drizzle-orm', ['type RelationalSchemaConfig', 'type TablesRelationalConfig']],
  ];
}

/** The runtime names `beginHttpLines` and its module use. */
export const BEGIN_HTTP_RUNTIME = ['type BeginTransaction', 'escapeLiteral', 'preludeFetch', 'type PreludeOptions'];

export function beginHttpLines(database: string): string[] {
  return [
    '',
    'const dialect = new PgDialect();',
    '',
    "/** One API request's queries over HTTP: each carries `prelude` (its RLS role and claims) into its own transaction (preludeFetch). */",
    `export const begin: BeginTransaction<${database}> = async (db, prelude) => {`,
    '  const fetchOptions: PreludeOptions = { quickbackPrelude: prelude(escapeLiteral) };',
    '  const sql = db.$client;',
    '  const client = {',
    '    query: (text: string, params: unknown[], options?: object) => sql.query(text, params, { ...options, fetchOptions }),',
    '    transaction: (queries: Parameters<typeof sql.transaction>[0], options?: object) => sql.transaction(queries, { ...options, fetchOptions }),',
    '  };',
    '  const relational = db._ as unknown as RelationalSchemaConfig<TablesRelationalConfig>;',
    '  const tx = new NeonHttpDatabase(dialect, new NeonHttpSession(client as never, dialect, relational, {}), relational as never);',
    '  return {',
    '    tx,',
    '    async end() {},',
    '    async reset(next) {',
    '      fetchOptions.quickbackPrelude = next(escapeLiteral);',
    '    },',
    '  };',
    '};',
  ];
}
