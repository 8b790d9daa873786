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
import type { Emitter, EmittedFile } from '../../compiler/emit/contract.js';
import { importLine, lines, runtimeImport, type RuntimeName } from '../print-utils.js';
import { BROADCASTER, printBroadcaster } from './print/broadcaster.js';

export { BROADCASTER } from './print/broadcaster.js';

function resourcesMap(): string[] {
  return [
    '/** Every resource by name: rows of these tables are shaped per recipient (firewall, read access, masking, `fields`). */',
    'export const realtimeResources: ReadonlyMap<string, ResourceDefinition> = new Map(resources.map((r) => [r.name, r]));',
  ];
}

/** `realtimeScope(db, memberRoles)`: the relationship tickets of `realtime.wsTicket` (runtime realtime-scope.ts). */
function scopeLines(model: AppModel): (string | false)[] {
  const ws = model.realtime?.wsTicket;
  if (!ws) return [];
  const scope = model.features.find((f) => f.name === ws.scope)!;
  const via = model.features.find((f) => f.name === ws.via.feature)!;
  const links = ws.links.map((l) => ({ resource: l.feature, column: l.column }));
  return [
    '',
    `/** Tickets for one ${scope.name} row, proven by a ${via.name} row linking the caller (the "${ws.role}" role). */`,
    'export function realtimeScope(db: ScopeTickets["db"], memberRoles: ScopeTickets["memberRoles"]): ScopeTickets {',
    `  return { role: ${JSON.stringify(ws.role)}, requestField: ${
      JSON.stringify(ws.requestField)
    }, scope: ${scope.name}Resource, via: ${via.name}Resource,`
    + ` scopeColumn: ${JSON.stringify(ws.via.scopeColumn)}, userColumn: ${JSON.stringify(ws.via.userColumn)}, links: ${
      JSON.stringify(links)
    }, db, memberRoles };`,
    '}',
  ];
}

function scopeImports(model: AppModel): (string | false)[] {
  const ws = model.realtime?.wsTicket;
  if (!ws) return [];
  const features = [...new Set([ws.scope, ws.via.feature])].map((name) => model.features.find((f) => f.name === name)!);
  return features.map((f) => importLine([`${f.name}Resource`], `./features/${f.slug}/${f.slug}.resource.js`));
}

/** The runtime name of scopeLines: the scoped tickets' type. */
const scopeRuntime = (model: AppModel): RuntimeName => model.realtime?.wsTicket && 'type ScopeTickets';

function printNodeRealtime(model: AppModel): string {
  const redis = model.storage?.kind === 'redis' ? model.storage : null;
  return withBanner(
    'ts',
    model.configFile,
    lines(
      redis ? importLine(['createClient'], '@redis/client') : false,
      runtimeImport([
        'createRealtime',
        'type Publish',
        'type RealtimeEvent',
        'createHub',
        redis ? 'redisPublish' : 'localPublish',
        redis ? 'redisNonces' : 'memoryNonces',
        redis && 'dependencyTimeout',
        'type AuthEvent',
        redis && 'log',
        'type ResourceDefinition',
        scopeRuntime(model),
      ]),
      ...scopeImports(model),
      importLine(['resources'], './resources.js'),
      importLine(['Env'], './env.js', true),
      '',
      ...resourcesMap(),
      ...scopeLines(model),
      '',
      redis
        ? "/** This process's sockets, and publishing (events, auth changes) through Redis pub/sub so every server process delivers to its own; ticket nonces in the same Redis. */"
        : "/** This process's sockets and publishing to them (one server process; with Redis storage, events fan out through Redis); ticket nonces in memory. */",
      'export function createRealtimeServer(env: Env) {',
      '  const hub = createHub(realtimeResources);',
      ...(redis
        ? [
          `  const publisher = createClient({ url: env.REDIS_URL ?? ${JSON.stringify(redis.url)} });`,
          '  const subscriber = publisher.duplicate();',
          '  for (const client of [publisher, subscriber]) client.on("error", (err: Error) => log.error("realtime redis:", err));',
          '  const connected = Promise.all([publisher.connect(), subscriber.connect()]).catch(() => undefined);',
          '  const { publish: viaRedis, ready } = redisPublish(hub, publisher, subscriber);',
          '  const send = async (event: RealtimeEvent | AuthEvent) => { await connected; await viaRedis(event); };',
          '  const publish: Publish = send;',
          '  const nonces = redisNonces(publisher, connected, dependencyTimeout(env));',
          '  const close = async () => { publisher.destroy(); subscriber.destroy(); };',
          '  return { hub, publish, nonces, authChanged: (userId: string) => send({ type: "auth", userId }), ready, realtime: createRealtime(publish), close };',
        ]
        : [
          '  const send = localPublish(hub);',
          '  const publish: Publish = send;',
          '  return { hub, publish, nonces: memoryNonces(), authChanged: (userId: string) => send({ type: "auth", userId }), ready: Promise.resolve(), realtime: createRealtime(publish), close: async () => {} };',
        ]),
      '}',
      'export type RealtimeServer = ReturnType<typeof createRealtimeServer>;',
    ),
  );
}

function printWorkerRealtime(model: AppModel): string {
  return withBanner(
    'ts',
    model.configFile,
    lines(
      runtimeImport(['createRealtime', 'type Publish', 'type ResourceDefinition', scopeRuntime(model)]),
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
      "/** An auth change of a user (the auth hooks): to the object indexing that user's channels, which has each re-check its sockets. */",
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
      "/** createRealtime() for a request's bindings: insert/update/delete(table, rows, target), broadcast(event, payload, target). */",
      'export function realtimeFor(bindings: Bindings) {',
      `  return createRealtime(publishVia(bindings.${BROADCASTER.binding}));`,
      '}',
    ),
  );
}

export const realtimeEmitter = {
  id: 'realtime',
  applies: (model) => model.realtime !== null,
  emit(model) {
    const file = (path: string, contents: string): EmittedFile => ({
      path,
      contents,
      ownership: 'compiler',
      emitter: 'realtime',
    });
    if (model.cloudflare)
      return [file('src/realtime.ts', printWorkerRealtime(model)), file('src/broadcaster.ts', printBroadcaster(model))];
    return [file('src/realtime.ts', printNodeRealtime(model))];
  },
} satisfies Emitter;
