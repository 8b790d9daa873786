/**
 * @module quickback/stack
 * The stack add-ons of an app (reference §7): file storage at /storage/v1, realtime at
 * /broadcast/v1, webhooks at /webhooks/v1. Which paths run the auth chain, which upload paths read
 * their own bodies, who hears of /api writes, and mounting the routes (app.ts calls these).
 */
import type { Context, Hono } from 'hono';
import type { ChangeListener } from '../events/changes.js';
import { FILES_BASE, fileRoutes, type FileOptions } from '../addons/files/files.js';
import {
  REALTIME_BASE,
  realtimeListener,
  realtimeRoutes,
  type RealtimeOptions,
} from '../addons/realtime/realtime-routes.js';
import type { QuickbackEnv } from '../core/types.js';
import { webhookListener } from '../addons/webhooks/webhook-events.js';
import { WEBHOOKS_BASE, webhookRoutes, type WebhookOptions } from '../addons/webhooks/webhook-routes.js';

export interface StackOptions {
  /** `defineFileStorage`: the file routes (files.ts), which read bodies up to `maxFileSize` themselves. */
  files?: FileOptions;
  /** `realtime`: tickets, the websocket, and the publishing of CRUD writes (realtime-routes.ts). */
  realtime?: RealtimeOptions;
  /** Webhooks: management, inbound events, and the events of CRUD writes (webhook-routes.ts, webhook-events.ts). */
  webhooks?: WebhookOptions;
}

/** Route prefixes that resolve the caller (the auth chain), besides /api. */
export function signedInPaths(options: StackOptions): string[] {
  return [
    ...(options.files ? [`${FILES_BASE}/*`] : []),
    ...(options.realtime ? [`${REALTIME_BASE}/*`] : []),
    ...(options.webhooks ? [`${WEBHOOKS_BASE}/*`] : []),
  ];
}

/** Uploads: their route checks the size itself (maxFileSize), past the app's 1 MiB body limit. */
export function readsOwnBody(options: StackOptions, path: string): boolean {
  return options.files !== undefined && path.startsWith(`${FILES_BASE}/object/`);
}

/** Who hears of the writes of /api requests (changes.ts). */
export function changeListeners(options: StackOptions): ChangeListener[] {
  return [
    ...(options.realtime ? [realtimeListener(options.realtime)] : []),
    ...(options.webhooks ? [webhookListener(options.webhooks)] : []),
  ];
}

export function mountStack(
  app: Hono<QuickbackEnv>,
  options: StackOptions,
  env: (c: Context) => Record<string, string | undefined>,
): void {
  if (options.files) app.route(FILES_BASE, fileRoutes(options.files));
  if (options.realtime) app.route(REALTIME_BASE, realtimeRoutes(options.realtime));
  if (options.webhooks) app.route(WEBHOOKS_BASE, webhookRoutes(options.webhooks, env));
}
