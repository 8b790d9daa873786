/**
 * @module emitters/runtime-cloudflare/print/worker
 * `src/worker.ts`, wrangler.toml's `main`: the Hono app as a Worker module. Hono passes the
 * bindings to every handler as `c.env`.
 */
import type { AppModel } from '../../../compiler/model/ir.js';
import { withBanner } from '../../banner.js';
import { lines } from '../../print-utils.js';

export function printWorker(model: AppModel): string {
  return withBanner(
    'ts',
    model.configFile,
    lines(
      'import type { Bindings } from "./env.js";',
      model.webhooks
        ? 'import { createApp, runWebhookDeliveries } from "./index.js";'
        : 'import { createApp } from "./index.js";',
      model.realtime ? '' : false,
      model.realtime ? '/** The realtime Durable Object (wrangler.toml [[durable_objects.bindings]]). */' : false,
      model.realtime ? 'export { Broadcaster } from "./broadcaster.js";' : false,
      '',
      'const app = createApp();',
      '',
      'export default {',
      '  fetch: (request, env, ctx) => app.fetch(request, env, ctx),',
      model.webhooks ? '  // Webhook deliveries due again (wrangler.toml [triggers] crons).' : false,
      model.webhooks ? '  scheduled: (_event, env, ctx) => ctx.waitUntil(runWebhookDeliveries(env)),' : false,
      '} satisfies ExportedHandler<Bindings>;',
    ),
  );
}
