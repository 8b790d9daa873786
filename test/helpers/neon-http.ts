/**
 * A local endpoint speaking Neon's SQL-over-HTTP protocol, backed by the local PostgreSQL, so the
 * driver's HTTP mode (`neonConfig.fetchEndpoint`) runs against it: POST `{query, params}` or
 * `{queries: [...]}` with the connection string in `Neon-Connection-String`; rows come back as
 * raw text in arrays with `fields: [{name, dataTypeID}]`, a batch runs in one transaction
 * (`Neon-Batch-Isolation-Level`, `-Read-Only`, `-Deferrable`) and answers `{results: [...]}`, and a
 * database error is a 400 with PostgreSQL's fields. It counts the requests and statements it ran.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import pg from 'pg';

type Query = { query: string; params: unknown[] };
const ERROR_FIELDS = [
  'code',
  'severity',
  'detail',
  'hint',
  'position',
  'internalPosition',
  'internalQuery',
  'where',
  'schema',
  'table',
  'column',
  'dataType',
  'constraint',
  'file',
  'line',
  'routine',
] as const;
const RAW_TEXT = { getTypeParser: () => (value: string) => value };

async function body(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

async function run(client: pg.PoolClient, { query, params }: Query) {
  const result = await client.query({ text: query, values: params, rowMode: 'array', types: RAW_TEXT });
  return {
    fields: result.fields.map((f) => ({ name: f.name, dataTypeID: f.dataTypeID })),
    rows: result.rows,
    rowCount: result.rowCount,
    command: result.command,
  };
}

function batchBegin(headers: IncomingMessage['headers']): string {
  const isolation = headers['neon-batch-isolation-level'];
  const parts = ['BEGIN'];
  if (typeof isolation === 'string')
    parts.push(`ISOLATION LEVEL ${isolation.replace(/([a-z])([A-Z])/g, '$1 $2').toUpperCase()}`);
  if (headers['neon-batch-read-only'] === 'true') parts.push('READ ONLY');
  if (headers['neon-batch-deferrable'] === 'true') parts.push('DEFERRABLE');
  return parts.join(' ');
}

export async function startNeonHttpEndpoint(): Promise<
  { url: string; requests: () => number; statements: () => number; close(): Promise<void> }
> {
  const pools = new Map<string, pg.Pool>();
  let requests = 0;
  let statements = 0;
  const server: Server = createServer(async (request, response) => {
    requests++;
    const reply = (status: number, payload: unknown) =>
      response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(payload));
    const connection = String(request.headers['neon-connection-string'] ?? '');
    if (request.method !== 'POST' || !connection)
      return reply(400, { message: 'POST with a Neon-Connection-String header expected' });
    let pool = pools.get(connection);
    if (!pool) {
      pools.set(connection, pool = new pg.Pool({ connectionString: connection, max: 8 }));
      pool.on('error', () => {}); // an idle connection the server ended (a test dropping its database): the pool replaces it
    }
    let client: pg.PoolClient | undefined;
    let broken = false;
    try {
      const payload = JSON.parse(await body(request)) as Query | { queries: Query[] };
      client = await pool.connect();
      if (!('queries' in payload)) {
        statements++;
        return reply(200, await run(client, payload));
      }
      await client.query(batchBegin(request.headers));
      const results = [];
      try {
        for (const query of payload.queries) {
          statements++;
          results.push(await run(client, query));
        }
        await client.query('COMMIT');
      } catch (err) {
        await client.query('ROLLBACK').catch(() => {
          broken = true;
        });
        throw err;
      }
      reply(200, { results });
    } catch (err) {
      const error = err as Error & Record<string, unknown>;
      reply(400, { message: error.message, ...Object.fromEntries(ERROR_FIELDS.map((k) => [k, error[k]])) });
    } finally {
      client?.release(broken);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/sql`,
    requests: () => requests,
    statements: () => statements,
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await Promise.all([...pools.values()].map((p) => p.end()));
    },
  };
}
