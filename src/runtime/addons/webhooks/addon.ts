/**
 * @module quickback/addons/webhooks/addon
 * Webhooks as an add-on: management and inbound events at /webhooks/v1 (webhook-routes.ts), and
 * the events of CRUD writes queued for delivery (webhook-events.ts).
 */
import type { QuickbackAddon } from '../../core/addon.js';
import { webhookListener } from './webhook-events.js';
import { WEBHOOKS_BASE, webhookRoutes, type WebhookOptions } from './webhook-routes.js';

export function webhooksAddon(options: WebhookOptions): QuickbackAddon {
  return {
    id: 'webhooks',
    basePath: WEBHOOKS_BASE,
    routes: (env) => webhookRoutes(options, env),
    listener: webhookListener(options),
  };
}
