/**
 * @module emitters/runtime-node/print/server
 * `src/server.ts`: serves the app with @hono/node-server on 127.0.0.1 (HOST/PORT to change), with
 * Node's timeouts and a graceful shutdown from the runtime (server-node.ts) that closes the app's
 * database connections last.
 */
import type { AppModel } from '../../../compiler/model/ir.js';
import { withBanner } from '../../banner.js';
import { lines, runtimeImport } from '../../print-utils.js';

export function printNodeServer(model: AppModel): string {
  return withBanner(
    'ts',
    model.configFile,
    lines(
      'import { serve } from "@hono/node-server";',
      'import type { Server } from "node:http";',
      model.realtime ? 'import { WebSocketServer } from "ws";' : false,
      'import { loadEnv } from "./env.js";',
      'import { createApp } from "./index.js";',
      runtimeImport([
        'shutdownNodeServer',
        'nodeServerOptions',
        model.realtime && 'REALTIME_LIMITS',
        model.realtime && 'attachRealtime',
      ]),
      model.realtime ? 'import { createRealtimeServer } from "./realtime.js";' : false,
      '',
      'const env = loadEnv();',
      `const port = Number(env.PORT ?? ${model.runtime.port});`,
      'const hostname = env.HOST ?? "127.0.0.1";',
      ...(model.realtime
        ? ['const realtime = createRealtimeServer(env);', 'const app = createApp(env, realtime);']
        : ['const app = createApp(env);']),
      '',
      'const server = serve({ fetch: app.fetch, port, hostname, serverOptions: nodeServerOptions(env) }, (info) => {',
      '  console.log(`Quickback API listening on http://${hostname}:${info.port}`);',
      '});',
      ...(model.realtime
        ? [
          "// /broadcast/v1/websocket: the ticket is checked (and used up) before the upgrade; sockets join this process's hub.",
          '// A client message over the limit is refused (1009) while it arrives, never buffered.',
          'const wss = new WebSocketServer({ noServer: true, maxPayload: REALTIME_LIMITS.maxMessageBytes });',
          `attachRealtime(server as Server, wss, realtime.hub, () => env.${model.realtime.secretEnv}, realtime.nonces);`,
        ]
        : []),
      '',
      '// SIGTERM/SIGINT: stop accepting, finish the requests in flight (QUICKBACK_SHUTDOWN_TIMEOUT_MS, default 10 s),',
      `// then close ${model.realtime ? 'the realtime server and ' : ''}the database connections, and exit.`,
      `shutdownNodeServer(server as Server, env, { onClose: [${model.realtime ? 'realtime.close, ' : ''}app.close] });`,
    ),
  );
}
