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

/** The scope and relationship features of `wsTicket`. */
function scopeFeatures(model: AppModel) {
  const ws = model.realtime?.wsTicket;
  if (!ws) return null;
  const scope = model.features.find((f) => f.name === ws.scope)!;
  const via = model.features.find((f) => f.name === ws.via.feature)!;
  return { ws, scope, via };
}

export function realtimeImports(model: AppModel): (string | false)[] {
  if (!model.realtime) return [];
  const features = scopeFeatures(model);
  const resources = features ? [...new Set([features.scope, features.via])].map((f) => importLine([`${f.name}Resource`], `./features/${f.slug}/${f.slug}.resource.js`)) : [];
  if (model.cloudflare) return [importLine(['publishVia'], './realtime.js'), ...resources];
  return [importLine(['createRealtimeServer'], './realtime.js'), importLine(['RealtimeServer'], './realtime.js', true), ...resources];
}

/** ` scope: {...},` inside the realtime option (wsTicket). */
function scopeOption(model: AppModel, services: string): string {
  const features = scopeFeatures(model);
  if (!features) return '';
  const { ws, scope, via } = features;
  const links = ws.links.map((l) => ({ resource: l.feature, column: l.column }));
  return ` scope: { role: ${JSON.stringify(ws.role)}, requestField: ${JSON.stringify(ws.requestField)}, scope: ${scope.name}Resource, via: ${via.name}Resource,`
    + ` scopeColumn: ${JSON.stringify(ws.via.scopeColumn)}, userColumn: ${JSON.stringify(ws.via.userColumn)}, links: ${JSON.stringify(links)},`
    + ` db: ${services}.db, memberRoles: ${services}.memberRoles },`;
}

export function realtimeOption(model: AppModel): string {
  const realtime = model.realtime;
  if (!realtime) return '';
  if (!model.cloudflare) return ` realtime: { secret: () => env.${realtime.secretEnv}, secretEnv: ${JSON.stringify(realtime.secretEnv)}, publish: () => realtime.publish,${scopeOption(model, '() => getServices()')} },`;
  const ns = `(c.env as Bindings).${BROADCASTER.binding}`;
  return ` realtime: { secret: (c) => envOf(c).${realtime.secretEnv}, secretEnv: ${JSON.stringify(realtime.secretEnv)}, publish: (c) => publishVia(${ns}),`
    // The object's 101 has immutable headers: a new response carries its socket through the middleware.
    + ` upgrade: async (c, ticket) => { const res = await ${ns}.get(${ns}.idFromName(ticket.channel)).fetch(c.req.raw); return res.webSocket ? new Response(null, { status: 101, webSocket: res.webSocket }) : res; },`
    + `${scopeOption(model, '(c) => servicesFor(c)')} },`;
}
