/**
 * @module emitters/hono/print/app-webhooks
 * The `webhooks` option of createQuickbackApp (runtime webhook-routes.ts, webhook-events.ts,
 * webhook-queue.ts): the two tables, the admin roles, the event catalogue, the target policy (https
 * unless `webhooks.allowInsecure`; internal addresses only with QUICKBACK_WEBHOOKS_ALLOW_PRIVATE=1,
 * for tests against a local receiver) and how deliveries start: Node/Bun wake the process's
 * delivery loop; Workers attempt them after the response (waitUntil), and a cron trigger retries.
 */
import type { AppModel } from '../../../compiler/model/ir.js';
import path from 'node:path';
import { withBanner } from '../../banner.js';
import { importLine, importPath, lines, runtimeImport, type RuntimeName } from '../../print-utils.js';
import { quickbackSpecifier } from './app-seam.js';

/** The user's inbound handlers: seeded once, theirs from then on. */
export const INBOUND_HANDLERS = 'quickback/webhooks.ts';

/** `<table>.created|updated|deleted` of tables with `webhooks`, and the test event. */
export function webhookEvents(model: AppModel): string[] {
  const events = model.features.flatMap((f) => (f.webhooks
    ? [
      ...(f.webhooks.onInsert ? [`${f.name}.created`] : []),
      ...(f.webhooks.onUpdate ? [`${f.name}.updated`] : []),
      ...(f.webhooks.onDelete ? [`${f.name}.deleted`] : []),
    ]
    : [])
  );
  return [...events, 'webhook.test'];
}

export function webhooksImports(model: AppModel): (string | false)[] {
  if (!model.webhooks) return [];
  return [importLine(['inboundHandlers', 'webhookEvents', 'webhookPolicy', 'webhookTables'], './webhooks.js')];
}

/** The runtime names of the webhooks add-on and its deliveries (a loop on Node and Bun; after the response and by cron on Workers). */
export function webhooksRuntime(model: AppModel): RuntimeName[] {
  if (!model.webhooks) return [];
  const loop = model.cloudflare ? ['type QueryDatabase'] : ['leaseMs', 'startDeliveryLoop'];
  return ['runDue', 'processInbound', 'webhooksAddon', ...loop];
}

/** `src/webhooks.ts`: the tables, the target policy, and emitWebhookEvent() for your own code. */
export function printWebhooksModule(model: AppModel): string {
  const webhooks = model.webhooks!;
  // Node/Bun: one lookup, checked, and the request pinned to the checked addresses; Workers: literal addresses only (no DNS API).
  const resolve = model.cloudflare
    ? ''
    : ', resolve: async (host) => (await lookup(host, { all: true })).map((a) => a.address), send: pinnedSend';
  return withBanner(
    'ts',
    model.configFile,
    lines(
      model.cloudflare ? false : importLine(['lookup'], 'node:dns/promises'),
      runtimeImport([
        'emitWebhookEvent as emit',
        !model.cloudflare && 'pinnedSend',
        'type TargetPolicy',
        'type QueryDatabase',
      ]),
      importLine([webhooks.tables.endpoints.exportName], './db/webhook-endpoints.schema.js'),
      importLine([webhooks.tables.deliveries.exportName], './db/webhook-deliveries.schema.js'),
      importLine([webhooks.tables.events.exportName], './db/webhook-events.schema.js'),
      importLine(['Env'], './env.js', true),
      `import { handlers } from ${
        JSON.stringify(importPath(path.posix.join(model.build.outputDir, 'src/webhooks.ts'), INBOUND_HANDLERS))
      };`,
      '',
      `export const webhookTables = { endpoints: ${webhooks.tables.endpoints.exportName}, deliveries: ${webhooks.tables.deliveries.exportName}, events: ${webhooks.tables.events.exportName} };`,
      '',
      `/** Inbound handlers (${INBOUND_HANDLERS}, yours). */`,
      'export const inboundHandlers = handlers;',
      '',
      `/** The event types this API emits (GET /webhooks/v1/events). */`,
      `export const webhookEvents = ${JSON.stringify(webhookEvents(model))};`,
      '',
      '/** Where deliveries may go; QUICKBACK_WEBHOOKS_ALLOW_PRIVATE=1 admits loopback and private addresses (tests and local receivers only). */',
      `export const webhookPolicy = (env: Env): TargetPolicy => ({ allowInsecure: ${webhooks.allowInsecure}, allowPrivate: env.QUICKBACK_WEBHOOKS_ALLOW_PRIVATE === "1"${resolve} });`,
      '',
      '/** Queues an event of your own for the endpoints of an organization (or a user) that want it; the delivery loop sends it. */',
      'export function emitWebhookEvent(db: QueryDatabase, type: string, data: unknown, target: { organizationId: string } | { userId: string }): Promise<string[]> {',
      '  return emit(db, webhookTables, type, data, target);',
      '}',
    ),
  );
}

/** Node/Bun, inside createApp: the delivery loop over the features database. */
export function webhooksLoopLines(model: AppModel): string[] {
  if (!model.webhooks || model.cloudflare) return [];
  return [
    '  // Outbound deliveries and inbound handlers, every second and right after a write; a claimed delivery',
    "  // stays this process's for QUICKBACK_WEBHOOK_LEASE_SECONDS (30), then any process may take it over.",
    '  // On shutdown the loop claims nothing more and finishes the attempt under way (signal).',
    '  const lease = leaseMs(env.QUICKBACK_WEBHOOK_LEASE_SECONDS);',
    '  const deliveries = startDeliveryLoop(async (signal) => (await runDue(getServices().db, webhookTables, webhookPolicy(env), { leaseMs: lease, signal })) + (await processInbound(getServices().db, webhookTables.events, inboundHandlers, { signal })));',
  ];
}

export function webhooksOption(model: AppModel): string {
  const webhooks = model.webhooks;
  if (!webhooks) return '';
  const common = `tables: webhookTables, inbound: { table: webhookTables.events }, adminRoles: ${
    JSON.stringify(webhooks.adminRoles)
  }, roleHierarchy: ${JSON.stringify(model.auth.roleHierarchy)}, events: webhookEvents`;
  if (!model.cloudflare)
    return `webhooksAddon({ db: () => getServices().db, ${common}, policy: () => webhookPolicy(env), kick: () => { void deliveries.wake(); } })`;
  // After the response, on connections of their own (a request's PostgreSQL pool ends with it).
  return `webhooksAddon({ db: (c) => servicesFor(c).db, ${common}, policy: (c) => webhookPolicy(envOf(c)),`
    + ' kick: (c) => c.executionCtx.waitUntil(runWebhookDeliveries(c.env as Bindings)), detached: (c, work) => c.executionCtx.waitUntil(queueWebhooks(c.env as Bindings, work)) })';
}

/** Workers: `defer` for work after the response (realtime publishing, webhook deliveries). */
export function deferOption(model: AppModel): string {
  return model.cloudflare && (model.realtime || model.webhooks)
    ? ' defer: (c, work) => c.executionCtx.waitUntil(work),'
    : '';
}

/** The seed of quickback/webhooks.ts. */
export function printInboundSeed(model: AppModel): string {
  return lines(
    `import type { WebhookHandlers } from ${JSON.stringify(quickbackSpecifier(model, INBOUND_HANDLERS))};`,
    '',
    '/**',
    ' * Inbound webhooks: POST /webhooks/v1/inbound/<provider>, signed with WEBHOOK_SECRET_<PROVIDER> in the env',
    ' * (stripe and github with their own schemes; any other name with x-webhook-signature: t=…,v1=…).',
    ' * Events are stored and answered at once; handlers run afterwards, by "<provider>:<type>", then',
    ' * "<provider>:*", then "*". A handler that throws is retried with backoff (5 attempts).',
    ' */',
    'export const handlers: WebhookHandlers = {',
    '  // "stripe:checkout.session.completed": async (event, { db }) => { /* event.payload is the parsed body */ },',
    '};',
  );
}
