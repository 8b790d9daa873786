/**
 * The PostgreSQL fallback of the test suites: PGlite (PostgreSQL compiled to wasm), one instance
 * per test database, each behind its own wire-protocol server (pglite-socket) on a free port of
 * 127.0.0.1, so node-postgres, psql, the Neon proxy and child processes reach it like a server.
 * PGlite serves one database per instance and one backend per instance: the socket server queues
 * the connections' messages onto it and holds the others back while one is inside a transaction
 * (or, see `serverLike`, inside an extended-query cycle).
 *
 * This runs in vitest's main process (test/setup/postgres.ts), never in a test worker: the tests
 * run CLI commands synchronously against their database, which would block the event loop serving
 * it. The workers ask for databases over a small HTTP control server (test/helpers/postgres.ts):
 * `POST /databases` → `{ url, server }`, `DELETE /databases/<port>`. Instances load a snapshot of
 * one fresh cluster, taken on the first request (initdb once, 3–7 s; then 0.5–1 s per database).
 */
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

/** The installed PGlite's version (the package exports no package.json). */
const entry = createRequire(import.meta.url).resolve('@electric-sql/pglite');
export const PGLITE_VERSION =
  (JSON.parse(readFileSync(path.join(path.dirname(entry), '..', 'package.json'), 'utf8')) as { version: string })
    .version;

/**
 * Connections per database, as PostgreSQL's default max_connections: the API's pools, Better
 * Auth's, psql, the tests' own clients; Workers over WebSocket open one per request (peak ~60).
 */
const MAX_CONNECTIONS = 100;

/** Parse, Bind, Describe, Execute, Close, Flush: the messages of an extended-query cycle before its Sync. */
const EXTENDED = new Set([...'PBDECH'].map((c) => c.charCodeAt(0)));

/** The database a startup message (length, protocol 3.0, then name/value pairs) asks for, else undefined. */
function startupDatabase(message: Uint8Array): string | undefined {
  const view = Buffer.from(message.buffer, message.byteOffset, message.byteLength);
  if (view.length < 8 || view.readInt32BE(4) !== 196608) return undefined;
  const pairs = view.subarray(8).toString('utf8').split('\0');
  const at = pairs.findIndex((p, i) => i % 2 === 0 && p === 'database');
  return at >= 0 ? pairs[at + 1] : undefined;
}

/** A FATAL ErrorResponse, as the server sends for a database it does not have. */
function noSuchDatabase(name: string): Uint8Array {
  const fields = Buffer.from(`SFATAL\0VFATAL\0C3D000\0Mdatabase "${name}" does not exist\0\0`);
  const head = Buffer.alloc(5);
  head.write('E');
  head.writeInt32BE(fields.length + 4, 1);
  return Buffer.concat([head, fields]);
}

/**
 * The instance as pglite-socket sees it, closer to a server in two ways:
 * - pglite-socket holds the other connections back only while the backend is in a transaction
 *   block, so between a connection's Parse and its Sync another's messages could slip in and
 *   replace the unnamed statement ("unnamed prepared statement does not exist"): an unfinished
 *   extended-query cycle counts as a transaction here, and runs to its Sync undisturbed;
 * - PGlite ignores the database a connection asks for: any name but `postgres` is refused with
 *   the server's error (tests point a URL at a missing database to make a write fail).
 */
function serverLike(db: PGlite): PGlite {
  let inCycle = false;
  return new Proxy(db, {
    get(target, key) {
      if (key === 'isInTransaction') return () => inCycle || target.isInTransaction();
      if (key === 'execProtocolRawStream') {
        return async (message: Uint8Array, options: Parameters<PGlite['execProtocolRawStream']>[1]) => {
          const database = startupDatabase(message);
          if (database !== undefined && database !== 'postgres') return options?.onRawData(noSuchDatabase(database));
          inCycle = EXTENDED.has(message[0]);
          return target.execProtocolRawStream(message, options);
        };
      }
      const value: unknown = Reflect.get(target, key, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

/**
 * PGlite is one backend: a request that queries on a second connection while its transaction is
 * open waits for itself forever, and the test only times out. Say why once it has waited this long.
 */
const DEADLOCK_MS = 10_000;

function watchForDeadlock(db: PGlite, socket: PGLiteSocketServer): NodeJS.Timeout {
  let since = 0;
  let told = false;
  return setInterval(() => {
    if (!db.isInTransaction() || socket.getStats().queuedQueries === 0) {
      since = 0;
      told = false;
      return;
    }
    since ||= Date.now();
    if (told || Date.now() - since < DEADLOCK_MS) return;
    told = true;
    console.error(
      `[postgres] PGlite at ${socket.getServerConn()}: connections have waited ${
        DEADLOCK_MS / 1000
      } s on another's open transaction; PGlite is one backend, so a request that needs a second connection inside its transaction deadlocks (skip such tests when PGLITE)`,
    );
  }, 1000).unref();
}

interface Instance {
  db: PGlite;
  socket: PGLiteSocketServer;
  watchdog: NodeJS.Timeout;
}

export interface PgliteControl {
  address: string;
  close(): Promise<void>;
}

/** Starts the control server; `reason` (why PGlite runs) ends the line each suite logs. */
export async function startPgliteControl(reason: string): Promise<PgliteControl> {
  let snapshot: Promise<{ data: Blob; server: string }> | undefined;
  const template = () => (snapshot ??= (async () => {
    const db = await PGlite.create();
    const { server_version } = (await db.query<{ server_version: string }>('SHOW server_version')).rows[0];
    const data = await db.dumpDataDir('none');
    await db.close();
    return { data, server: `PGlite ${PGLITE_VERSION} (PostgreSQL ${server_version}, embedded): ${reason}` };
  })());
  const instances = new Map<number, Instance>();

  async function open(): Promise<{ url: string; server: string }> {
    const { data, server } = await template();
    const db = await PGlite.create({ loadDataDir: data });
    const socket = new PGLiteSocketServer({
      db: serverLike(db),
      host: '127.0.0.1',
      port: 0,
      maxConnections: MAX_CONNECTIONS,
    });
    await socket.start();
    const port = Number(socket.getServerConn().split(':')[1]);
    instances.set(port, { db, socket, watchdog: watchForDeadlock(db, socket) });
    return { url: `postgres://postgres@127.0.0.1:${port}/postgres`, server };
  }

  async function drop(port: number): Promise<void> {
    const instance = instances.get(port);
    instances.delete(port);
    clearInterval(instance?.watchdog);
    await instance?.socket.stop();
    await instance?.db.close();
  }

  const http = createServer((request: IncomingMessage, response) => {
    const port = /^\/databases\/(\d+)$/.exec(request.url ?? '')?.[1];
    const work = request.method === 'POST' && request.url === '/databases'
      ? open()
      : request.method === 'DELETE' && port
      ? drop(Number(port)).then(() => ({}))
      : Promise.reject(new Error(`no route ${request.method} ${request.url}`));
    work.then(
      (body) => response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body)),
      (err: Error) => response.writeHead(500).end(err.stack ?? err.message),
    );
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  return {
    address: `http://127.0.0.1:${(http.address() as AddressInfo).port}`,
    async close() {
      await new Promise((resolve) => http.close(resolve));
      for (const port of [...instances.keys()]) await drop(port);
    },
  };
}
