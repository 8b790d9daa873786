/**
 * @module emitters/runtime-node/print/server
 * `src/server.ts`: serves the app with @hono/node-server on 127.0.0.1 (HOST/PORT to change).
 */
import type { AppModel } from '../../../compiler/model/ir.js';
import { withBanner } from '../../banner.js';
import { lines } from '../../print-utils.js';

export function printNodeServer(model: AppModel): string {
  return withBanner('ts', model.configFile, lines(
    'import { serve } from "@hono/node-server";',
    'import { loadEnv } from "./env.js";',
    'import { createApp } from "./index.js";',
    '',
    'const env = loadEnv();',
    `const port = Number(env.PORT ?? ${model.runtime.port});`,
    'const hostname = env.HOST ?? "127.0.0.1";',
    'const app = createApp(env);',
    '',
    'const server = serve({ fetch: app.fetch, port, hostname }, (info) => {',
    '  console.log(`Quickback API listening on http://${hostname}:${info.port}`);',
    '});',
    '',
    'for (const signal of ["SIGINT", "SIGTERM"] as const) {',
    '  process.on(signal, () => server.close(() => process.exit(0)));',
    '}',
  ));
}
