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

/** `realtimeScope(db)`: the relationship tickets of `realtime.wsTicket` (runtime realtime-scope.ts). */
function scopeLines(model: AppModel): (string | false)[] {
  const ws = model.realtime?.wsTicket;
  if (!ws) return [];
  const scope = model.features.find((f) => f.name === ws.scope)!;
  const via = model.features.find((f) => f.name === ws.via.feature)!;
  const links = ws.links.map((l) => ({ resource: l.feature, column: l.column }));
  return [
    '',
    `/** Tickets for one ${scope.name} row, proven by a ${via.name} row linking the caller (the "${ws.role}" role). */`,
    'export function realtimeScope(db: ScopeTickets["db"]): ScopeTickets {',
    `  return { role: ${JSON.stringify(ws.role)}, requestField: ${JSON.stringify(ws.requestField)}, scope: ${scope.name}Resource, via: ${via.name}Resource,`
      + ` scopeColumn: ${JSON.stringify(ws.via.scopeColumn)}, userColumn: ${JSON.stringify(ws.via.userColumn)}, links: ${JSON.stringify(links)}, db };`,
    '}',
  ];
}

function scopeImports(model: AppModel): (string | false)[] {
  const ws = model.realtime?.wsTicket;
  if (!ws) return [];
  const features = [...new Set([ws.scope, ws.via.feature])].map((name) => model.features.find((f) => f.name === name)!);
  return [
    importLine(['ScopeTickets'], './lib/quickback/realtime-scope.js', true),
    ...features.map((f) => importLine([`${f.name}Resource`], `./features/${f.slug}/${f.slug}.resource.js`)),
  ];
}

function printNodeRealtime(model: AppModel): string {
  const redis = model.storage?.kind === 'redis' ? model.storage : null;
  return withBanner('ts', model.configFile, lines(
    redis ? importLine(['createClient'], '@redis/client') : false,
    importLine(['createRealtime'], './lib/quickback/realtime.js'),
    importLine(['Publish', 'RealtimeEvent'], './lib/quickback/realtime.js', true),
    importLine(['createHub', redis ? 'redisPublish' : 'localPublish'], './lib/quickback/realtime-hub.js'),
    importLine([redis ? 'redisNonces' : 'memoryNonces'], './lib/quickback/realtime-live.js'),
    importLine(['AuthEvent'], './lib/quickback/realtime-live.js', true),
    importLine(['ResourceDefinition'], './lib/quickback/resource.js', true),
    ...scopeImports(model),
    importLine(['resources'], './resources.js'),
    importLine(['Env'], './env.js', true),
    '',
    ...resourcesMap(),
    ...scopeLines(model),
    '',
    redis
      ? '/** This process\'s sockets, and publishing (events, auth changes) through Redis pub/sub so every server process delivers to its own; ticket nonces in the same Redis. */'
      : '/** This process\'s sockets and publishing to them (one server process; with Redis storage, events fan out through Redis); ticket nonces in memory. */',
    'export function createRealtimeServer(env: Env) {',
    '  const hub = createHub(realtimeResources);',
    ...(redis ? [
      `  const publisher = createClient({ url: env.REDIS_URL ?? ${JSON.stringify(redis.url)} });`,
      '  const subscriber = publisher.duplicate();',
      '  for (const client of [publisher, subscriber]) client.on("error", (err: Error) => console.error("[quickback] realtime redis:", err.message));',
      '  const connected = Promise.all([publisher.connect(), subscriber.connect()]).catch(() => undefined);',
      '  const { publish: viaRedis, ready } = redisPublish(hub, publisher, subscriber);',
      '  const send = async (event: RealtimeEvent | AuthEvent) => { await connected; await viaRedis(event); };',
      '  const publish: Publish = send;',
      '  const nonces = redisNonces(publisher, connected);',
      '  const close = async () => { publisher.destroy(); subscriber.destroy(); };',
      '  return { hub, publish, nonces, authChanged: (userId: string) => send({ type: "auth", userId }), ready, realtime: createRealtime(publish), close };',
    ] : [
      '  const send = localPublish(hub);',
      '  const publish: Publish = send;',
      '  return { hub, publish, nonces: memoryNonces(), authChanged: (userId: string) => send({ type: "auth", userId }), ready: Promise.resolve(), realtime: createRealtime(publish), close: async () => {} };',
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
    ...scopeImports(model),
    importLine(['resources'], './resources.js'),
    importLine(['Bindings'], './env.js', true),
    '',
    ...resourcesMap(),
    ...scopeLines(model),
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
    '/** An auth change of a user (the auth hooks): to the object indexing that user\'s channels, which has each re-check its sockets. */',
    'export function authChangedVia(broadcasters: DurableObjectNamespace) {',
    '  return async (userId: string): Promise<void> => {',
    '    const stub = broadcasters.get(broadcasters.idFromName(`${USER_SOCKETS}${userId}`));',
    '    await stub.fetch("https://broadcaster/user/auth", { method: "POST", body: JSON.stringify({ userId }) });',
    '  };',
    '}',
    '',
    '/** The name of the object indexing the channels a user has sockets on (no channel is named so). */',
    'export const USER_SOCKETS = "user-sockets:";',
    '',
    '/** createRealtime() for a request\'s bindings: insert/update/delete(table, rows, target), broadcast(event, payload, target). */',
    'export function realtimeFor(bindings: Bindings) {',
    `  return createRealtime(publishVia(bindings.${BROADCASTER.binding}));`,
    '}',
  ));
}

function printBroadcaster(model: AppModel): string {
  const secret = model.realtime!.secretEnv;
  const pool = model.database.dialect === 'postgresql';
  const scope = model.realtime!.wsTicket ? ', scope: { tickets: realtimeScope(() => databases.features), db: () => databases.features }' : '';
  return withBanner('ts', model.configFile, lines(
    'import { DurableObject } from "cloudflare:workers";',
    importLine(['authForApp', 'memberRolesFor', 'teamMembershipFor'], './auth/index.js'),
    importLine(['createDatabases'], './db/index.js'),
    importLine(['envFromBindings'], './env.js'),
    importLine(['AppContext'], './lib/quickback/context.js', true),
    importLine(['RealtimeEvent'], './lib/quickback/realtime.js', true),
    importLine(['deliverTo'], './lib/quickback/realtime-hub.js'),
    importLine(['ACCESS_REVOKED', 'recheckInterval', 'recheckWith'], './lib/quickback/realtime-live.js'),
    importLine(['verifyTicket'], './lib/quickback/realtime-ticket.js'),
    importLine(['Ticket'], './lib/quickback/realtime-ticket.js', true),
    importLine(['USER_SOCKETS', 'realtimeResources', ...(model.realtime!.wsTicket ? ['realtimeScope'] : [])], './realtime.js'),
    importLine(['Bindings'], './env.js', true),
    '',
    'interface Attachment { ticket: Ticket; ctx: AppContext }',
    '',
    '/**',
    ' * One per channel (`org:<id>`, `user:<id>`, `scope:<key>`): its sockets (hibernatable, each with its',
    ' * ticket and caller) and the delivery of every event to them, shaped per recipient. The Worker',
    ' * verified the ticket; it is verified again here, its nonce consumed (single use: a ticket names one',
    ' * channel, so this object is its only consumer) and its caller re-checked before the upgrade.',
    ' * Sockets are re-checked on auth changes of their user and by an alarm (REALTIME_RECHECK_SECONDS)',
    ' * while any are open; those whose caller lost access are closed with 4403 "access revoked".',
    ' * One more per user (`user-sockets:<id>`): the channels that user has sockets on, to which it',
    ' * forwards the user\'s auth changes.',
    ' */',
    'export class Broadcaster extends DurableObject<Bindings> {',
    '  async fetch(request: Request): Promise<Response> {',
    '    const url = new URL(request.url);',
    '    if (request.method === "POST" && url.pathname === "/publish") {',
    '      const event = (await request.json()) as RealtimeEvent;',
    '      const sockets = this.ctx.getWebSockets().map((ws): [WebSocket, AppContext] => [ws, (ws.deserializeAttachment() as Attachment).ctx]);',
    '      return Response.json({ delivered: deliverTo(sockets, event, realtimeResources) });',
    '    }',
    '    if (request.method === "POST" && url.pathname === "/auth") {',
    '      const { userId } = (await request.json()) as { userId: string };',
    '      return Response.json({ sockets: await this.recheck(userId) });',
    '    }',
    '    if (request.method === "POST" && url.pathname.startsWith("/user/")) return this.userIndex(url.pathname, (await request.json()) as { userId: string; channel?: string });',
    `    const ticket = verifyTicket(this.env.${secret} ?? "", url.searchParams.get("ws_ticket"));`,
    '    if (!ticket || request.headers.get("upgrade")?.toLowerCase() !== "websocket") return new Response(null, { status: 401 });',
    '    const nonce = `nonce:${ticket.jti}`;',
    '    if ((await this.ctx.storage.get(nonce)) !== undefined) return new Response(null, { status: 401 });',
    '    await this.ctx.storage.put(nonce, ticket.exp * 1000);',
    '    const ctx = await this.withAccess((check) => check(ticket));',
    '    if (!ctx) return new Response(null, { status: 401 });',
    '    const [client, server] = Object.values(new WebSocketPair());',
    '    this.ctx.acceptWebSocket(server);',
    '    server.serializeAttachment({ ticket, ctx } satisfies Attachment);',
    '    server.send(JSON.stringify({ type: "subscribed", channel: ticket.channel }));',
    '    const index = this.env.BROADCASTER.get(this.env.BROADCASTER.idFromName(`${USER_SOCKETS}${ctx.userId}`));',
    '    await index.fetch("https://broadcaster/user/join", { method: "POST", body: JSON.stringify({ userId: ctx.userId, channel: ticket.channel }) });',
    '    if ((await this.ctx.storage.getAlarm()) === null) await this.ctx.storage.setAlarm(Date.now() + this.interval());',
    '    return new Response(null, { status: 101, webSocket: client });',
    '  }',
    '',
    '  /** The periodic backstop: every socket re-checked, spent nonces dropped; again while sockets or nonces remain. */',
    '  async alarm(): Promise<void> {',
    '    await this.recheck();',
    '    const nonces = await this.ctx.storage.list<number>({ prefix: "nonce:" });',
    '    const spent = [...nonces].filter(([, until]) => until <= Date.now()).map(([key]) => key);',
    '    if (spent.length > 0) await this.ctx.storage.delete(spent);',
    '    if (this.ctx.getWebSockets().length > 0 || nonces.size > spent.length) await this.ctx.storage.setAlarm(Date.now() + this.interval());',
    '  }',
    '',
    '  async webSocketMessage(ws: WebSocket, message: string | ArrayBuffer): Promise<void> {',
    '    if (message === "ping") ws.send("pong");',
    '  }',
    '',
    '  async webSocketClose(ws: WebSocket, code: number, reason: string): Promise<void> {',
    '    ws.close(code, reason);',
    '  }',
    '',
    '  private interval(): number {',
    '    return recheckInterval(envFromBindings(this.env).REALTIME_RECHECK_SECONDS);',
    '  }',
    '',
    '  /** Runs `work` with the re-check of this app\'s auth database (built for the call from the bindings). */',
    '  private async withAccess<T>(work: (check: ReturnType<typeof recheckWith>) => Promise<T>): Promise<T> {',
    '    const databases = createDatabases(this.env);',
    '    const auth = authForApp(databases.auth, envFromBindings(this.env), this.env);',
    pool ? '    try {' : false,
    `    ${pool ? '  ' : ''}return await work(recheckWith({ state: () => auth.state, memberRoles: () => memberRolesFor(databases.auth), teamMembership: () => teamMembershipFor(databases.auth)${scope} }));`,
    pool ? '    } finally {' : false,
    pool ? '      await databases.close();' : false,
    pool ? '    }' : false,
    '  }',
    '',
    '  /** Re-checks the sockets (of one user, or all): closes those that lost access, re-shapes the others; answers how many remain. */',
    '  private async recheck(userId?: string): Promise<number> {',
    '    const sockets = this.ctx.getWebSockets().filter((ws) => userId === undefined || (ws.deserializeAttachment() as Attachment).ctx.userId === userId);',
    '    if (sockets.length === 0) return 0;',
    '    return this.withAccess(async (check) => {',
    '      let open = 0;',
    '      await Promise.all(sockets.map(async (ws) => {',
    '        const { ticket } = ws.deserializeAttachment() as Attachment;',
    '        const ctx = await check(ticket);',
    '        if (ctx) { ws.serializeAttachment({ ticket, ctx } satisfies Attachment); open++; return; }',
    '        try { ws.close(ACCESS_REVOKED.code, ACCESS_REVOKED.reason); } catch { /* already closing */ }',
    '      }));',
    '      return open;',
    '    });',
    '  }',
    '',
    '  /** The object of one user: remembers the channels of their sockets, forwards their auth changes to them. */',
    '  private async userIndex(path: string, body: { userId: string; channel?: string }): Promise<Response> {',
    '    const channels = async () => new Set((await this.ctx.storage.get<string[]>("channels")) ?? []);',
    '    if (path === "/user/join" && body.channel) {',
    '      await this.ctx.storage.put("channels", [...(await channels()).add(body.channel)]);',
    '      return new Response(null, { status: 204 });',
    '    }',
    '    if (path !== "/user/auth") return new Response(null, { status: 404 });',
    '    const gone = await Promise.all([...(await channels())].map(async (channel) => {',
    '      const stub = this.env.BROADCASTER.get(this.env.BROADCASTER.idFromName(channel));',
    '      const res = await stub.fetch("https://broadcaster/auth", { method: "POST", body: JSON.stringify({ userId: body.userId }) });',
    '      return res.ok && ((await res.json()) as { sockets: number }).sockets === 0 ? channel : null;',
    '    }));',
    '    // Channels joined meanwhile stay: only those found without sockets of the user are dropped.',
    '    const left = await channels();',
    '    for (const channel of gone) if (channel) left.delete(channel);',
    '    await this.ctx.storage.put("channels", [...left]);',
    '    return new Response(null, { status: 204 });',
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
