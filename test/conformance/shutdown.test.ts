/**
 * The server process under stress, on Node and Bun (issue #31, parts 2 and 4), over raw sockets
 * and real HTTP: a declared Content-Length over the limit is refused before any body arrives, a
 * trickled body is cut with a coded 408 at QUICKBACK_BODY_TIMEOUT_MS, and SIGTERM under load
 * drains — slow uploads in flight are answered, every answer is whole, every acknowledged write is
 * stored (and nothing else), new connections are refused, realtime sockets are closed with 1001,
 * exit 0 — or, past QUICKBACK_SHUTDOWN_TIMEOUT_MS, cuts what is left and exits 1. On PostgreSQL the
 * server ends its pool's connections itself before it exits.
 */
import { connect } from 'node:net';
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { signUp, type Caller } from '../helpers/client.js';
import { createOrg } from '../helpers/orgs.js';
import { connect as connectSocket } from '../helpers/realtime.js';
import { realtimeProject } from '../helpers/realtime-project.js';
import { copyFixture } from '../helpers/project.js';
import { hasBun, startServer } from '../helpers/server.js';
import { compileAndMigrate, databaseFiles } from '../helpers/target.js';
import pg from 'pg';
import { compileAndMigratePg } from '../helpers/pg-target.js';
import { createTestDatabase, PGLITE } from '../helpers/postgres.js';
import { startTcpProxy } from '../helpers/tcp-proxy.js';

interface RawAnswer {
  status: number;
  body: string;
  closed: boolean;
  ms: number;
}

/** Sends `head` then `body` over a raw socket, one chunk every `everyMs`; resolves once a whole response (Content-Length) is in, or the socket closes. */
function rawRequest(port: number, head: string, chunks: string[], everyMs: number): Promise<RawAnswer> {
  return new Promise((resolve) => {
    const started = Date.now();
    const socket = connect(port, '127.0.0.1');
    let text = '';
    let timer: NodeJS.Timeout | undefined;
    const finish = (closed: boolean) => {
      clearInterval(timer);
      socket.destroy();
      const [headers, ...rest] = text.split('\r\n\r\n');
      resolve({
        status: Number(/^HTTP\/1\.1 (\d{3})/.exec(headers)?.[1] ?? 0),
        body: rest.join('\r\n\r\n'),
        closed,
        ms: Date.now() - started,
      });
    };
    socket.on('data', (data) => {
      text += data;
      const end = text.indexOf('\r\n\r\n');
      const length = Number(/\r\ncontent-length: *(\d+)/i.exec(text.slice(0, end))?.[1] ?? NaN);
      if (end >= 0 && Buffer.byteLength(text.slice(end + 4)) >= length) finish(false);
    });
    socket.on('close', () => finish(true));
    socket.on('error', () => undefined);
    socket.write(head);
    let next = 0;
    timer = setInterval(() => {
      if (next < chunks.length && !socket.destroyed) socket.write(chunks[next++]);
    }, everyMs);
  });
}

const post = (port: number, path: string, length: number, extra = '') =>
  `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Type: application/json\r\nContent-Length: ${length}\r\n${extra}\r\n`;
const portOf = (baseURL: string) => Number(new URL(baseURL).port);
const exited = (child: import('node:child_process').ChildProcess) =>
  new Promise<number | null>((
    resolve,
  ) => (child.exitCode !== null ? resolve(child.exitCode) : child.once('exit', (code) => resolve(code))));

/** A fresh TCP connection: 'connected', or the error code. */
const newConnection = (port: number) => new Promise<string>((resolve) => {
  const socket = connect(port, '127.0.0.1');
  socket.once('connect', () => {
    socket.destroy();
    resolve('connected');
  });
  socket.once('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? err.message));
});

const runtimes: ('node' | 'bun')[] = ['node', ...(hasBun() ? ['bun' as const] : [])];

describe.each(runtimes)('%s server: body limits and graceful shutdown', (runtime) => {
  let root: string;
  beforeAll(async () => {
    root = copyFixture(
      'helpdesk',
      `shutdown-${runtime}`,
      runtime === 'bun' ? { config: [['defineRuntime("node")', 'defineRuntime("bun")']] } : {},
    );
    await compileAndMigrate(root, 'better-sqlite3');
  });

  it(
    'refuses a declared Content-Length over 1 MiB at once, and cuts a trickled body with 408 REQUEST_TIMEOUT',
    async () => {
      const server = await startServer(root, runtime, true, { env: { QUICKBACK_BODY_TIMEOUT_MS: '1000' } });
      try {
        const port = portOf(server.baseURL);
        // 64 MiB declared, 10 bytes sent and no more: the answer cannot have waited for the body.
        const declared = await rawRequest(port, post(port, '/api/v1/tickets', 64 * 1024 * 1024), ['{"title":"'], 10);
        expect({ status: declared.status, code: JSON.parse(declared.body).code }).toEqual({
          status: 413,
          code: 'PAYLOAD_TOO_LARGE',
        });
        expect(declared.ms).toBeLessThan(8_000);
        // Better Auth's sign-in reads the body itself: 200 bytes at 10 a second would take 20 s.
        const body = JSON.stringify({ email: 'slow@example.com', password: 'p'.repeat(160) }).padEnd(200, ' ');
        const trickled = await rawRequest(
          port,
          post(port, '/auth/v1/sign-in/email', 200, `Origin: ${server.baseURL}\r\n`),
          body.match(/.{1,2}/g)!,
          100,
        );
        expect({ status: trickled.status, body: JSON.parse(trickled.body) }).toMatchObject({
          status: 408,
          body: { code: 'REQUEST_TIMEOUT', layer: 'validation' },
        });
        expect(trickled.ms).toBeGreaterThanOrEqual(900);
        expect(trickled.ms).toBeLessThan(8_000);
        // The server is fine afterwards, and a body that arrives in time is read as before.
        expect((await fetch(`${server.baseURL}/health`)).status).toBe(200);
        const quick = await rawRequest(port, post(port, '/api/v1/tickets', 16), ['{"title":"quick"}'], 1);
        expect(quick.status).toBe(401);
      } finally {
        await server.stop();
      }
    },
    90_000,
  );

  it(
    'drains on SIGTERM under load: slow uploads answered, every answer whole, every acknowledged write stored, new connections refused, exit 0',
    async () => {
      const server = await startServer(root, runtime, true, {
        env: { QUICKBACK_SHUTDOWN_TIMEOUT_MS: '8000', QUICKBACK_BODY_TIMEOUT_MS: '8000' },
      });
      const port = portOf(server.baseURL);
      const alice: Caller = await signUp(fetch, server.baseURL, 'Alice');
      await createOrg(alice as Parameters<typeof createOrg>[0], 'Drain');
      const cookie = [...alice.jar].map(([k, v]) => `${k}=${v}`).join('; ');
      const tag = `drain-${runtime}-${Date.now()}`;
      // Slow uploads: each body trickles in over ~3 s, so SIGTERM arrives while they are being read.
      const slow = [0, 1, 2, 3].map((i) => {
        const body = JSON.stringify({ title: `${tag}-slow-${i}` });
        const chunks = body.match(/.{1,4}/g)!;
        return rawRequest(
          port,
          post(port, '/api/v1/tickets', body.length, `Cookie: ${cookie}\r\nOrigin: ${server.baseURL}\r\n`),
          chunks,
          Math.ceil(3000 / chunks.length),
        );
      });
      // Fast writers on keep-alive connections, each until its first failure (refused or closed connection).
      const answers: { status: number; id?: string }[] = [];
      let seq = 0;
      const writer = async () => {
        for (;;) {
          let res: Response;
          try {
            res = await fetch(`${server.baseURL}/api/v1/tickets`, {
              method: 'POST',
              headers: { cookie, origin: server.baseURL, 'content-type': 'application/json' },
              body: JSON.stringify({ title: `${tag}-fast-${seq++}` }),
            });
          } catch {
            return; // no answer: not acknowledged
          }
          const text = await res.text(); // a cut body would throw here and fail the test
          answers.push({ status: res.status, id: res.status === 201 ? JSON.parse(text).id : undefined });
        }
      };
      const writers = Array.from({ length: 24 }, writer);
      await new Promise((resolve) => setTimeout(resolve, 600));
      const signalled = Date.now();
      server.child.kill('SIGTERM');
      // While the slow uploads are still draining, a new connection is refused.
      let refused = 'not tried';
      while (server.child.exitCode === null && refused !== 'ECONNREFUSED') {
        const attempt = await newConnection(port);
        if (server.child.exitCode === null) refused = attempt;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      const [slowAnswers, code] = await Promise.all([Promise.all(slow), exited(server.child), Promise.all(writers)]);
      const tookMs = Date.now() - signalled;

      expect(refused).toBe('ECONNREFUSED');
      expect(slowAnswers.map((a) => a.status)).toEqual([201, 201, 201, 201]);
      for (const a of slowAnswers) expect(JSON.parse(a.body).title).toMatch(new RegExp(`^${tag}-slow-`));
      expect(answers.length).toBeGreaterThan(10);
      expect(answers.every((a) => a.status === 201)).toBe(true);
      const db = new Database(databaseFiles(root).features, { readonly: true });
      try {
        const stored = (db.prepare('SELECT id FROM tickets WHERE title LIKE ?').all(`${tag}-%`) as { id: string }[])
          .map((r) => r.id).sort();
        const acknowledged = [...answers.map((a) => a.id!), ...slowAnswers.map((a) => JSON.parse(a.body).id as string)]
          .sort();
        expect(stored).toEqual(acknowledged);
      } finally {
        db.close();
      }
      expect(code, server.output()).toBe(0);
      expect(server.output()).toMatch(/shutdown: drained in \d+ ms/);
      expect(tookMs).toBeLessThan(15_000); // exit 0 already says: before the 8 s deadline
    },
    90_000,
  );

  it('cuts what is left at QUICKBACK_SHUTDOWN_TIMEOUT_MS and exits 1', async () => {
    const server = await startServer(root, runtime, true, {
      env: { QUICKBACK_SHUTDOWN_TIMEOUT_MS: '1000', QUICKBACK_BODY_TIMEOUT_MS: '60000' },
    });
    const port = portOf(server.baseURL);
    // A body that would take a minute to arrive.
    const stuck = rawRequest(
      port,
      post(port, '/auth/v1/sign-in/email', 600, `Origin: ${server.baseURL}\r\n`),
      'x'.repeat(600).match(/.{1}/g)!,
      100,
    );
    await new Promise((resolve) => setTimeout(resolve, 500));
    const signalled = Date.now();
    server.child.kill('SIGTERM');
    const code = await exited(server.child);
    const tookMs = Date.now() - signalled;
    const answer = await stuck;
    expect(code, server.output()).toBe(1);
    expect(tookMs).toBeGreaterThanOrEqual(900);
    expect(tookMs).toBeLessThan(8_000);
    expect(answer).toMatchObject({ status: 0, closed: true });
    expect(server.output()).toMatch(/deadline passed .*cut 1 request/);
  }, 60_000);
});

describe.each(runtimes)('%s server with realtime: sockets at shutdown', (runtime) => {
  it(
    'closes every socket with 1001 (clients reconnect elsewhere) and still exits 0, well before the deadline',
    async () => {
      const root = realtimeProject(
        `shutdown-rt-${runtime}`,
        runtime === 'bun' ? [['defineRuntime("node")', 'defineRuntime("bun")']] : [],
      );
      await compileAndMigrate(root, 'better-sqlite3');
      const server = await startServer(root, runtime, true, { env: { QUICKBACK_SHUTDOWN_TIMEOUT_MS: '8000' } });
      const alice = await signUp(fetch, server.baseURL, 'Alice');
      await createOrg(alice as Parameters<typeof createOrg>[0], 'Live');
      const socket = await connectSocket(server.baseURL, alice);
      const signalled = Date.now();
      server.child.kill('SIGTERM');
      const [closed, code] = await Promise.all([socket.closed, exited(server.child)]);
      expect({ code: closed.code, reason: closed.reason }).toEqual({ code: 1001, reason: 'server shutting down' });
      expect(code, server.output()).toBe(0);
      expect(Date.now() - signalled).toBeLessThan(7_000);
    },
    120_000,
  );
});

describe.skipIf(PGLITE).each(runtimes)('%s server on PostgreSQL: connections at shutdown', (runtime) => {
  it(
    "ends its pool's connections itself before it exits (PostgreSQL's Terminate, none left in pg_stat_activity)",
    async () => {
      const bun: [string, string][] = runtime === 'bun' ? [['defineRuntime("node")', 'defineRuntime("bun")']] : [];
      const root = copyFixture('helpdesk', `shutdown-pg-${runtime}`, {
        config: [['defineDatabase("better-sqlite3"', 'defineDatabase("supabase"'], ...bun],
      });
      const database = await createTestDatabase(`shutdown_pg_${runtime}`);
      // Between the server and PostgreSQL: it tells a connection the client ended (Terminate) from one dropped when the process went.
      const proxy = await startTcpProxy({ port: 5432 });
      const observer = new pg.Client({ connectionString: database.url });
      try {
        await compileAndMigratePg(root, database.url);
        const name = `qb_shutdown_${process.pid}_${Date.now()}`;
        const url = new URL(database.url);
        url.port = String(proxy.port);
        url.searchParams.set('application_name', name);
        const server = await startServer(root, runtime, false, { env: { DATABASE_URL: url.toString() } });
        await observer.connect();
        const count = async () =>
          Number(
            (await observer.query('SELECT count(*) FROM pg_stat_activity WHERE application_name = $1', [name])).rows[0]
              .count,
          );
        await signUp(fetch, server.baseURL, 'Alice'); // opens pooled connections, idle afterwards
        expect(await count()).toBeGreaterThan(0);
        server.child.kill('SIGTERM');
        expect(await exited(server.child), server.output()).toBe(0);
        while (proxy.ends().open > 0) await new Promise((resolve) => setTimeout(resolve, 20));
        expect(proxy.ends()).toMatchObject({ clean: expect.any(Number), dropped: 0 });
        expect(proxy.ends().clean).toBeGreaterThan(0);
        expect(await count()).toBe(0);
      } finally {
        await observer.end();
        await proxy.close();
        await database.drop();
      }
    },
    90_000,
  );
});
