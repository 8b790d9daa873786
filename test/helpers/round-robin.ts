/**
 * A load balancer for tests, on 127.0.0.1: each request (and each WebSocket upgrade, piped both
 * ways) goes to the next upstream in turn. `X-Forwarded-For` is the client's address, or the one
 * the test client sent (each test client stands for a machine of its own, as storage.test.ts's
 * callers do). `served` records which upstream took what; `upstreams` may be edited (take a killed
 * instance out, as a health check would).
 */
import { createServer, request as httpRequest } from 'node:http';
import { connect, type AddressInfo } from 'node:net';

export interface Served {
  upstream: number;
  method: string;
  path: string;
  upgrade: boolean;
}

export async function startRoundRobin(upstreams: string[] = []) {
  const served: Served[] = [];
  let turn = 0;
  const next = (method: string, url: string, upgrade: boolean) => {
    const upstream = turn++ % upstreams.length;
    served.push({ upstream, method, path: url.split('?')[0], upgrade });
    return new URL(upstreams[upstream]);
  };
  const forwardedFor = (headers: Record<string, unknown>, remote: string | undefined) =>
    String(headers['x-forwarded-for'] ?? remote ?? '');
  const server = createServer((req, res) => {
    const target = next(req.method!, req.url!, false);
    const headers = { ...req.headers, 'x-forwarded-for': forwardedFor(req.headers, req.socket.remoteAddress) };
    const upstream = httpRequest({
      host: target.hostname,
      port: target.port,
      method: req.method,
      path: req.url,
      headers,
    }, (answer) => {
      res.writeHead(answer.statusCode!, answer.rawHeaders);
      answer.pipe(res);
    });
    upstream.on('error', () => {
      if (!res.headersSent) res.writeHead(502);
      res.end();
    });
    req.pipe(upstream);
  });
  server.on('upgrade', (req, socket, head) => {
    const target = next(req.method!, req.url!, true);
    const upstream = connect(Number(target.port), target.hostname, () => {
      const headers = { ...req.headers, 'x-forwarded-for': forwardedFor(req.headers, req.socket.remoteAddress) };
      const lines = Object.entries(headers).flatMap(([k, v]) =>
        (Array.isArray(v) ? v : [v]).map((one) => `${k}: ${one}`)
      );
      upstream.write(`${req.method} ${req.url} HTTP/1.1\r\n${lines.join('\r\n')}\r\n\r\n`);
      if (head.length > 0) upstream.write(head);
      socket.pipe(upstream).pipe(socket);
    });
    upstream.on('error', () => socket.destroy());
    socket.on('error', () => upstream.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    upstreams,
    served,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
