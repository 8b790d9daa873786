/**
 * @module emitters/realtime
 * Realtime (`realtime` on the database provider): `src/realtime.ts`, every resource by name (so
 * each recipient gets rows as it may read them) and how this app publishes: the channel's
 * Broadcaster Durable Object on Workers (`src/broadcaster.ts`), this process's hub or Redis pub/sub
 * (with Redis storage) on Node. The pieces other emitters add: the `realtime` option of the app,
 * the Node server's upgrade listener, the Worker's export, wrangler's Durable Object binding.
 */
import type { AppModel } from '../../compiler/model/ir.js';
import { withBanner } from '../banner.js';
import type { Emitter, EmittedFile } from '../contract.js';
import { importLine, lines } from '../print-utils.js';

export const BROADCASTER = { binding: 'BROADCASTER', className: 'Broadcaster' } as const;

function resourcesMap(): string[] {
  return [
    '/** Every resource by name: rows of these tables are shaped per recipient (firewall, read access, masking, `fields`). */',
    'export const realtimeResources: ReadonlyMap<string, ResourceDefinition> = new Map(resources.map((r) => [r.name, r]));',
  ];
}

function printNodeRealtime(model: AppModel): string {
  const redis = model.storage?.kind === 'redis' ? model.storage : null;
  return withBanner('ts', model.configFile, lines(
    redis ? importLine(['createClient'], '@redis/client') : false,
    importLine(['createRealtime'], './lib/quickback/realtime.js'),
    importLine(['Publish'], './lib/quickback/realtime.js', true),
    importLine(['createHub', redis ? 'redisPublish' : 'localPublish'], './lib/quickback/realtime-hub.js'),
    importLine(['ResourceDefinition'], './lib/quickback/resource.js', true),
    importLine(['resources'], './resources.js'),
    importLine(['Env'], './env.js', true),
    '',
    ...resourcesMap(),
    '',
    redis
      ? '/** This process\'s sockets, and publishing through Redis pub/sub so every server process delivers to its own. */'
      : '/** This process\'s sockets and publishing to them (one server process; with Redis storage, events fan out through Redis). */',
    'export function createRealtimeServer(env: Env) {',
    '  const hub = createHub(realtimeResources);',
    ...(redis ? [
      `  const publisher = createClient({ url: env.REDIS_URL ?? ${JSON.stringify(redis.url)} });`,
      '  const subscriber = publisher.duplicate();',
      '  for (const client of [publisher, subscriber]) client.on("error", (err: Error) => console.error("[quickback] realtime redis:", err.message));',
      '  const connected = Promise.all([publisher.connect(), subscriber.connect()]).catch(() => undefined);',
      '  const { publish: viaRedis, ready } = redisPublish(hub, publisher, subscriber);',
      '  const publish: Publish = async (event) => { await connected; await viaRedis(event); };',
      '  return { hub, publish, ready, realtime: createRealtime(publish), close: async () => { publisher.destroy(); subscriber.destroy(); } };',
    ] : [
      '  const publish: Publish = localPublish(hub);',
      '  return { hub, publish, ready: Promise.resolve(), realtime: createRealtime(publish), close: async () => {} };',
    ]),
    '}',
    'export type RealtimeServer = ReturnType<typeof createRealtimeServer>;',
  ));
}

function printWorkerRealtime(model: AppModel): string {
  return withBanner('ts', model.configFile, lines(
    importLine(['createRealtime'], './lib/quickback/realtime.js'),
    importLine(['Publish'], './lib/quickback/realtime.js', true),
    importLine(['ResourceDefinition'], './lib/quickback/resource.js', true),
    importLine(['resources'], './resources.js'),
    importLine(['Bindings'], './env.js', true),
    '',
    ...resourcesMap(),
    '',
    '/** Publishing on Workers: each event to the Broadcaster Durable Object of its channel. */',
    'export function publishVia(broadcasters: DurableObjectNamespace): Publish {',
    '  return async (event) => {',
    '    const stub = broadcasters.get(broadcasters.idFromName(event.channel));',
    '    const res = await stub.fetch("https://broadcaster/publish", { method: "POST", body: JSON.stringify(event) });',
    '    if (!res.ok) throw new Error(`realtime: the broadcaster answered ${res.status}`);',
    '  };',
    '}',
    '',
    '/** createRealtime() for a request\'s bindings: insert/update/delete(table, rows, target), broadcast(event, payload, target). */',
    'export function realtimeFor(bindings: Bindings) {',
    `  return createRealtime(publishVia(bindings.${BROADCASTER.binding}));`,
    '}',
  ));
}

function printBroadcaster(model: AppModel): string {
  const secret = model.realtime!.secretEnv;
  return withBanner('ts', model.configFile, lines(
    'import { DurableObject } from "cloudflare:workers";',
    importLine(['AppContext'], './lib/quickback/context.js', true),
    importLine(['RealtimeEvent'], './lib/quickback/realtime.js', true),
    importLine(['deliverTo'], './lib/quickback/realtime-hub.js'),
    importLine(['messageLimiter', 'onClientMessage'], './lib/quickback/realtime-limits.js'),
    importLine(['MessageLimiter'], './lib/quickback/realtime-limits.js', true),
    importLine(['verifyTicket'], './lib/quickback/realtime-ticket.js'),
    importLine(['realtimeResources'], './realtime.js'),
    importLine(['Bindings'], './env.js', true),
    '',
    '/**',
    ' * One per channel (`org:<id>`, `user:<id>`): its sockets (hibernatable, each with its caller) and',
    ' * the delivery of every event to them, shaped per recipient. The Worker verified the ticket; it is',
    ' * verified again here, since the object is reachable only through the Worker but trusts nothing.',
    ' */',
    'export class Broadcaster extends DurableObject<Bindings> {',
    '  /** Each socket\'s message limiter (realtime-limits.ts); a hibernated object wakes with fresh ones. */',
    '  private limiters = new WeakMap<WebSocket, MessageLimiter>();',
    '',
    '  async fetch(request: Request): Promise<Response> {',
    '    const url = new URL(request.url);',
    '    if (request.method === "POST" && url.pathname === "/publish") {',
    '      const event = (await request.json()) as RealtimeEvent;',
    '      const sockets = this.ctx.getWebSockets().map((ws): [WebSocket, AppContext] => [ws, (ws.deserializeAttachment() as { ctx: AppContext }).ctx]);',
    '      return Response.json({ delivered: deliverTo(sockets, event, realtimeResources) });',
    '    }',
    `    const ticket = verifyTicket(this.env.${secret} ?? "", url.searchParams.get("ws_ticket"));`,
    '    if (!ticket || request.headers.get("upgrade")?.toLowerCase() !== "websocket") return new Response(null, { status: 401 });',
    '    const [client, server] = Object.values(new WebSocketPair());',
    '    this.ctx.acceptWebSocket(server);',
    '    server.serializeAttachment({ ctx: ticket.ctx });',
    '    server.send(JSON.stringify({ type: "subscribed", channel: ticket.channel }));',
    '    return new Response(null, { status: 101, webSocket: client });',
    '  }',
    '',
    '  async webSocketMessage(ws: WebSocket, message: string | ArrayBuffer): Promise<void> {',
    '    let limiter = this.limiters.get(ws);',
    '    if (!limiter) this.limiters.set(ws, (limiter = messageLimiter()));',
    '    onClientMessage(ws, limiter, message);',
    '  }',
    '',
    '  async webSocketClose(ws: WebSocket, code: number, reason: string): Promise<void> {',
    '    ws.close(code, reason);',
    '  }',
    '}',
  ));
}

export const realtimeEmitter = {
  id: 'realtime',
  applies: (model) => model.realtime !== null,
  emit(model) {
    const file = (path: string, contents: string): EmittedFile => ({ path, contents, ownership: 'compiler', emitter: 'realtime' });
    if (model.cloudflare) return [file('src/realtime.ts', printWorkerRealtime(model)), file('src/broadcaster.ts', printBroadcaster(model))];
    return [file('src/realtime.ts', printNodeRealtime(model))];
  },
} satisfies Emitter;
