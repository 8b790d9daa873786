/**
 * A TCP proxy on loopback in front of a real server (Redis, PostgreSQL), for fault tests. Its
 * mode can change at any time:
 * - `forward`: every byte both ways (new and open connections);
 * - `stall`: connections are accepted and open ones kept, but nothing is forwarded either way
 *   (a hung server or a black-holed network);
 * - `refuse`: the listening port is closed (ECONNREFUSED) and open connections are reset.
 * Going back to `forward` listens again on the same port and resumes stalled connections.
 * `ends()` tells how the connections it carried ended: `clean` when the client's last bytes were
 * PostgreSQL's Terminate message (a client closing its connection), `dropped` otherwise.
 */
import { createServer, connect, type Server, type Socket } from 'node:net';

export type ProxyMode = 'forward' | 'stall' | 'refuse';

export interface TcpProxy {
  readonly port: number;
  readonly mode: ProxyMode;
  setMode(mode: ProxyMode): Promise<void>;
  ends(): { open: number; clean: number; dropped: number };
  close(): Promise<void>;
}

/** PostgreSQL's Terminate message: 'X' and its length, 4. */
const TERMINATE = Buffer.from([0x58, 0, 0, 0, 4]);

interface Pair {
  client: Socket;
  upstream: Socket;
}

export async function startTcpProxy(
  target: { host?: string; port: number },
  initial: ProxyMode = 'forward',
): Promise<TcpProxy> {
  const pairs = new Set<Pair>();
  let mode: ProxyMode = initial;
  let port = 0;
  let server: Server | undefined;
  const ended = { clean: 0, dropped: 0 };

  const flow = (pair: Pair) => {
    for (const socket of [pair.client, pair.upstream])
      if (mode === 'stall') socket.pause();
      else socket.resume();
  };
  const accept = (client: Socket) => {
    const upstream = connect(target.port, target.host ?? '127.0.0.1');
    const pair = { client, upstream };
    pairs.add(pair);
    let tail = Buffer.alloc(0);
    client.on('data', (data: Buffer) => {
      tail = Buffer.concat([tail, data]).subarray(-TERMINATE.length);
    });
    client.pipe(upstream);
    upstream.pipe(client);
    const end = () => {
      if (pairs.delete(pair)) ended[tail.equals(TERMINATE) ? 'clean' : 'dropped']++;
      client.destroy();
      upstream.destroy();
    };
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
    flow(pair);
  };
  const listen = () => new Promise<void>((resolve, reject) => {
    server = createServer(accept);
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      port = (server!.address() as { port: number }).port;
      resolve();
    });
  });
  const unlisten = () => new Promise<void>((resolve) => {
    const closing = server;
    server = undefined;
    if (!closing) return resolve();
    closing.close(() => resolve());
  });

  const setMode = async (next: ProxyMode) => {
    mode = next;
    if (next === 'refuse') {
      for (const pair of pairs) {
        pair.client.resetAndDestroy();
        pair.upstream.destroy();
      }
      pairs.clear();
      await unlisten();
      return;
    }
    if (!server) await listen();
    for (const pair of pairs) flow(pair);
  };

  if (initial === 'refuse') {
    await listen(); // to own a port, then close it
    await unlisten();
  } else {
    await listen();
  }
  return {
    get port() {
      return port;
    },
    get mode() {
      return mode;
    },
    setMode,
    ends: () => ({ open: pairs.size, ...ended }),
    async close() {
      for (const pair of pairs) {
        pair.client.destroy();
        pair.upstream.destroy();
      }
      pairs.clear();
      await unlisten();
    },
  };
}
