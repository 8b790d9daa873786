/**
 * @module emitters/hono/print/app-realtime
 * The `realtime` option of createQuickbackApp (runtime realtime-routes.ts): tickets signed with
 * the auth secret; on Workers, events and upgrades go to the channel's Broadcaster Durable Object
 * (publishing kept alive with waitUntil); on Node, to the process's realtime server (src/realtime.ts),
 * which createApp receives so the server's upgrade listener shares its hub, and which re-checks its
 * open sockets with the app's auth database (realtime-live.ts). Auth changes reach the sockets
 * through `onAuthChange` of authForApp.
 */
import type { AppModel } from '../../../compiler/model/ir.js';
import { importLine, type RuntimeName } from '../../print-utils.js';
import { BROADCASTER } from '../../realtime/index.js';

export function realtimeImports(model: AppModel): (string | false)[] {
  if (!model.realtime) return [];
  const scope = model.realtime.wsTicket ? ['realtimeScope'] : [];
  const betterAuth = model.auth.provider === 'better-auth';
  if (model.cloudflare)
    return [importLine(['publishVia', ...(betterAuth ? ['authChangedVia'] : []), ...scope], './realtime.js')];
  return [importLine(['createRealtimeServer', 'type RealtimeServer', ...scope], './realtime.js')];
}

/** The runtime names of the realtime add-on; Node and Bun also re-check open sockets (realtimeLiveLines). */
export function realtimeRuntime(model: AppModel): RuntimeName[] {
  if (!model.realtime) return [];
  return model.cloudflare ? ['realtimeAddon'] : ['realtimeAddon', 'recheckInterval', 'recheckWith'];
}

/** What authForApp takes last with realtime: how an auth change reaches the user's sockets. */
export function authChangeArg(model: AppModel): string {
  if (!model.realtime || model.auth.provider !== 'better-auth') return '';
  return model.cloudflare ? `, authChangedVia(bindings.${BROADCASTER.binding})` : ', realtime.authChanged';
}

/** Node and Bun: the hub re-checks its sockets with the app's auth database (on auth events, and periodically). */
export function realtimeLiveLines(model: AppModel): string[] {
  if (!model.realtime || model.cloudflare) return [];
  return [
    "  // Open sockets follow their callers' access: re-checked on every auth change, and every REALTIME_RECHECK_SECONDS (30).",
    '  realtime.hub.authorize(recheckWith({',
    '    state: () => getServices().auth.state,',
    '    memberRoles: () => getServices().memberRoles,',
    '    teamMembership: () => getServices().teamMembership,',
    ...(model.realtime.wsTicket
      ? [
        '    scope: { tickets: realtimeScope(() => getServices().db, () => getServices().memberRoles), db: () => getServices().db },',
      ]
      : []),
    '  }), recheckInterval(env.REALTIME_RECHECK_SECONDS));',
  ];
}

export function realtimeOption(model: AppModel): string {
  const realtime = model.realtime;
  if (!realtime) return '';
  const scope = (
    services: string,
  ) => (realtime.wsTicket ? ` scope: realtimeScope(${services}.db, ${services}.memberRoles),` : '');
  if (!model.cloudflare)
    return `realtimeAddon({ secret: () => env.${realtime.secretEnv}, secretEnv: ${
      JSON.stringify(realtime.secretEnv)
    }, publish: () => realtime.publish,${scope('() => getServices()')} })`;
  const ns = `(c.env as Bindings).${BROADCASTER.binding}`;
  return `realtimeAddon({ secret: (c) => envOf(c).${realtime.secretEnv}, secretEnv: ${
    JSON.stringify(realtime.secretEnv)
  }, publish: (c) => publishVia(${ns}),`
    // The object's 101 has immutable headers: a new response carries its socket through the middleware.
    + ` upgrade: async (c, ticket) => { const res = await ${ns}.get(${ns}.idFromName(ticket.channel)).fetch(c.req.raw); return res.webSocket ? new Response(null, { status: 101, webSocket: res.webSocket }) : res; },`
    + `${scope('(c) => servicesFor(c)')} })`;
}
