/**
 * A local WebSocket-to-TCP proxy speaking what Neon's serverless driver expects of Neon's proxy
 * (`ws://host/v2?address=db-host:port`, binary frames piped to the PostgreSQL socket), so the
 * driver's WebSocket mode runs against the local server. It counts the connections it carried.
 */
import { createServer, type Server } from 'node:http';
import net from 'node:net';
import { WebSocketServer } from 'ws';

export async function startWsProxy(): Promise<{ address: string; connections: () => number; close(): Promise<void> }> {
  const http: Server = createServer();
  const wss = new WebSocketServer({ server: http });
  let count = 0;
  wss.on('connection', (socket, request) => {
    const target = new URL(request.url ?? '/', 'http://proxy').searchParams.get('address') ?? '';
    const [host, port] = target.split(':');
    count++;
    const tcp = net.connect(Number(port) || 5432, host);
    socket.on('message', (data: Buffer) => tcp.write(data));
    tcp.on('data', (data) => socket.send(data));
    const end = () => {
      tcp.destroy();
      socket.close();
    };
    socket.on('close', end);
    socket.on('error', end);
    tcp.on('close', end);
    tcp.on('error', end);
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const { port } = http.address() as net.AddressInfo;
  return {
    address: `127.0.0.1:${port}`,
    connections: () => count,
    close: () =>
      new Promise((resolve) => {
        for (const client of wss.clients) client.terminate();
        wss.close();
        http.close(() => resolve());
      }),
  };
}
