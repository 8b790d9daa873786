/**
 * @module emitters/hono/print/app-realtime
 * The `realtime` option of createQuickbackApp (runtime realtime-routes.ts): tickets signed with
 * the auth secret; on Workers, events and upgrades go to the channel's Broadcaster Durable Object
 * (publishing kept alive with waitUntil); on Node, to the process's realtime server (src/realtime.ts),
 * which createApp receives so the server's upgrade listener shares its hub.
 */
import type { AppModel } from '../../../compiler/model/ir.js';
import { importLine } from '../../print-utils.js';
import { BROADCASTER } from '../../realtime/index.js';

export function realtimeImports(model: AppModel): (string | false)[] {
  if (!model.realtime) return [];
  if (model.cloudflare) return [importLine(['publishVia'], './realtime.js')];
  return [importLine(['createRealtimeServer'], './realtime.js'), importLine(['RealtimeServer'], './realtime.js', true)];
}

export function realtimeOption(model: AppModel): string {
  const realtime = model.realtime;
  if (!realtime) return '';
  if (!model.cloudflare) return ` realtime: { secret: () => env.${realtime.secretEnv}, publish: () => realtime.publish },`;
  const ns = `(c.env as Bindings).${BROADCASTER.binding}`;
  return ` realtime: { secret: (c) => envOf(c).${realtime.secretEnv}, publish: (c) => publishVia(${ns}),`
    // The object's 101 has immutable headers: a new response carries its socket through the middleware.
    + ` upgrade: async (c, ticket) => { const res = await ${ns}.get(${ns}.idFromName(ticket.channel)).fetch(c.req.raw); return res.webSocket ? new Response(null, { status: 101, webSocket: res.webSocket }) : res; } },`;
}
