/**
 * @module emitters/hono/print/app-webhooks
 * The `webhooks` option of createQuickbackApp (runtime webhook-routes.ts, webhook-events.ts,
 * webhook-queue.ts): the two tables, the admin roles, the event catalogue, the target policy (https
 * unless `webhooks.allowInsecure`; internal addresses only with QUICKBACK_WEBHOOKS_ALLOW_PRIVATE=1,
 * for tests against a local receiver) and how deliveries start: Node/Bun wake the process's
 * delivery loop; Workers attempt them after the response (waitUntil), and a cron trigger retries.
 */
import type { AppModel } from '../../../compiler/model/ir.js';
import { withBanner } from '../../banner.js';
import { importLine, lines } from '../../print-utils.js';

/** `<table>.created|updated|deleted` of tables with `webhooks`, and the test event. */
export function webhookEvents(model: AppModel): string[] {
  const events = model.features.flatMap((f) => (f.webhooks ? [
    ...(f.webhooks.onInsert ? [`${f.name}.created`] : []), ...(f.webhooks.onUpdate ? [`${f.name}.updated`] : []), ...(f.webhooks.onDelete ? [`${f.name}.deleted`] : []),
  ] : []));
  return [...events, 'webhook.test'];
}

export function webhooksImports(model: AppModel): (string | false)[] {
  if (!model.webhooks) return [];
  return [
    importLine(['runDue', ...(model.cloudflare ? [] : ['startDeliveryLoop'])], './lib/quickback/webhook-queue.js'),
    importLine(['webhookEvents', 'webhookPolicy', 'webhookTables'], './webhooks.js'),
  ];
}

/** `src/webhooks.ts`: the tables, the target policy, and emitWebhookEvent() for your own code. */
export function printWebhooksModule(model: AppModel): string {
  const webhooks = model.webhooks!;
  const resolve = model.cloudflare ? '' : ', resolve: async (host) => (await lookup(host, { all: true })).map((a) => a.address)';
  return withBanner('ts', model.configFile, lines(
    model.cloudflare ? false : importLine(['lookup'], 'node:dns/promises'),
    importLine(['emitWebhookEvent as emit'], './lib/quickback/webhook-events.js'),
    importLine(['TargetPolicy'], './lib/quickback/webhook-targets.js', true),
    importLine(['QueryDatabase'], './lib/quickback/types.js', true),
    importLine([webhooks.tables.endpoints.exportName], './db/webhook-endpoints.schema.js'),
    importLine([webhooks.tables.deliveries.exportName], './db/webhook-deliveries.schema.js'),
    importLine(['Env'], './env.js', true),
    '',
    `export const webhookTables = { endpoints: ${webhooks.tables.endpoints.exportName}, deliveries: ${webhooks.tables.deliveries.exportName} };`,
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
  ));
}

/** Node/Bun, inside createApp: the delivery loop over the features database. */
export function webhooksLoopLines(model: AppModel): string[] {
  if (!model.webhooks || model.cloudflare) return [];
  return ['  const deliveries = startDeliveryLoop(() => runDue(getServices().db, webhookTables, webhookPolicy(env)));'];
}

export function webhooksOption(model: AppModel): string {
  const webhooks = model.webhooks;
  if (!webhooks) return '';
  const common = `tables: webhookTables, adminRoles: ${JSON.stringify(webhooks.adminRoles)}, events: webhookEvents`;
  if (!model.cloudflare) return ` webhooks: { db: () => getServices().db, ${common}, policy: () => webhookPolicy(env), kick: () => { void deliveries.wake(); } },`;
  return ` webhooks: { db: (c) => servicesFor(c).db, ${common}, policy: (c) => webhookPolicy(envOf(c)), kick: (c) => c.executionCtx.waitUntil(runDue(servicesFor(c).db, webhookTables, webhookPolicy(envOf(c)))) },`;
}

/** Workers: `defer` for work after the response (realtime publishing, webhook deliveries). */
export function deferOption(model: AppModel): string {
  return model.cloudflare && (model.realtime || model.webhooks) ? ' defer: (c, work) => c.executionCtx.waitUntil(work),' : '';
}
