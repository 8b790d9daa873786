/**
 * @module quickback/stack
 * The app's add-ons (core/addon.ts: file storage at /storage/v1, realtime at /broadcast/v1,
 * webhooks at /webhooks/v1), as values the generated app passes in: which paths run the auth
 * chain, which read their own bodies, who hears of /api writes, and mounting the routes (app.ts
 * calls these). The app layer imports no add-on, so an app vendors only the add-ons it uses.
 */
import type { Context, Hono } from 'hono';
import type { ChangeListener, QuickbackAddon } from '../core/addon.js';
import type { QuickbackEnv } from '../core/types.js';

export interface StackOptions {
  /** The add-ons' values (`filesAddon(…)`, `realtimeAddon(…)`, `webhooksAddon(…)`), mounted in this order. */
  addons?: readonly QuickbackAddon[];
}

/** Route prefixes that resolve the caller (the auth chain), besides /api. */
export function signedInPaths(options: StackOptions): string[] {
  return (options.addons ?? []).map((addon) => `${addon.basePath}/*`);
}

/** Uploads: their route checks the size itself (maxFileSize), past the app's 1 MiB body limit. */
export function readsOwnBody(options: StackOptions, path: string): boolean {
  return (options.addons ?? []).some((addon) => addon.readsOwnBody?.(path) ?? false);
}

/** Who hears of the writes of /api requests (changes.ts). */
export function changeListeners(options: StackOptions): ChangeListener[] {
  return (options.addons ?? []).flatMap((addon) => (addon.listener ? [addon.listener] : []));
}

export function mountStack(
  app: Hono<QuickbackEnv>,
  options: StackOptions,
  env: (c: Context) => Record<string, string | undefined>,
): void {
  for (const addon of options.addons ?? []) app.route(addon.basePath, addon.routes(env));
}
