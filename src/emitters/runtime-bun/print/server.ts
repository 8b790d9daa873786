/**
 * @module emitters/runtime-bun/print/server
 * `src/server.ts` for Bun (`Bun.serve`, its options and graceful shutdown from the runtime:
 * server-bun.ts) and the ambient types it needs (no @types/bun required).
 */
import type { AppModel } from '../../../compiler/model/ir.js';
import { withBanner } from '../../banner.js';
import { lines, runtimeImport } from '../../print-utils.js';

export function printBunServer(model: AppModel): string {
  return withBanner(
    'ts',
    model.configFile,
    lines(
      'import { loadEnv } from "./env.js";',
      'import { createApp } from "./index.js";',
      runtimeImport(['bunServeOptions', 'shutdownBunServer', model.realtime && 'bunRealtime']),
      model.realtime ? 'import { createRealtimeServer } from "./realtime.js";' : false,
      '',
      'const env = loadEnv();',
      `const port = Number(env.PORT ?? ${model.runtime.port});`,
      'const hostname = env.HOST ?? "127.0.0.1";',
      ...(model.realtime
        ? [
          'const realtime = createRealtimeServer(env);',
          'const app = createApp(env, realtime);',
          "// /broadcast/v1/websocket: the ticket is checked before the upgrade; sockets join this process's hub.",
          `const sockets = bunRealtime(realtime.hub, () => env.${model.realtime.secretEnv}, realtime.nonces);`,
          '',
          'const server = Bun.serve({',
          '  port, hostname, ...bunServeOptions(env), websocket: sockets.websocket,',
          '  fetch: async (request, bun) => {',
          '    const upgraded = await sockets.upgrade(request, bun);',
          "    return upgraded === null ? app.fetch(request, bun) : upgraded; // the server: its requestIP is the socket's peer",
          '  },',
          '});',
        ]
        : [
          'const app = createApp(env);',
          '',
          'const server = Bun.serve({ fetch: app.fetch, port, hostname, ...bunServeOptions(env) });',
        ]),
      'console.log(`Quickback API listening on http://${hostname}:${server.port}`);',
      '',
      '// SIGTERM/SIGINT: stop accepting, finish the requests in flight (QUICKBACK_SHUTDOWN_TIMEOUT_MS, default 10 s),',
      `// then close ${model.realtime ? 'the realtime server and ' : ''}the database connections, and exit.`,
      `shutdownBunServer(server, env, { onClose: [${model.realtime ? 'realtime.close, ' : ''}app.close] });`,
    ),
  );
}

export function printBunTypes(model: AppModel): string {
  return withBanner(
    'ts',
    model.configFile,
    lines(
      '/** The parts of the Bun runtime this app uses (so type-checking needs no @types/bun). */',
      '/* A global script (no imports or exports), so the declarations below are ambient. */',
      'interface BunServer { port: number; pendingRequests: number; stop(closeActiveConnections?: boolean): Promise<void> }',
      'declare const Bun: {',
      model.realtime
        ? '  serve(options: { fetch: (request: Request, server: { upgrade(request: Request, options: { data: any }): boolean }) => Response | undefined | Promise<Response | undefined>; port: number; hostname: string; idleTimeout?: number; maxRequestBodySize?: number; websocket?: object }): BunServer;'
        : '  serve(options: { fetch: (request: Request) => Response | Promise<Response>; port: number; hostname: string; idleTimeout?: number; maxRequestBodySize?: number }): BunServer;',
      '};',
      '',
      'declare module "bun:sqlite" {',
      '  export class Database {',
      '    constructor(filename?: string, options?: { create?: boolean; readonly?: boolean });',
      '    exec(sql: string): void;',
      '    close(): void;',
      '  }',
      '}',
    ),
  );
}
