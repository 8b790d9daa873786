/**
 * @module quickback/addon
 * The add-on contract: what an add-on (files, realtime, webhooks) hands the app, like a Better Auth
 * plugin. The generated app passes the values (`addons: [realtimeAddon(…), webhooksAddon(…)]`) to
 * createQuickbackApp, which imports only this type, never an add-on: an app vendors the add-ons
 * it uses and no other. Defined in core, so the change listener's shape lives here too.
 */
import type { Context, Hono } from 'hono';
import type { EventType, ResourceDefinition } from './resource.js';
import type { QuickbackEnv, Row } from './types.js';

/** One write of an /api request, as its readers see the row (events/changes.ts records them). */
export interface RecordedChange {
  resource: ResourceDefinition;
  eventType: EventType;
  new: Row | null;
  old: Row | null;
}
/** Hears of the writes of a request that succeeded. */
export type ChangeListener = (c: Context, changes: RecordedChange[]) => Promise<void>;
/** The process or request environment (env vars on Node and Bun, bindings on Workers). */
export type EnvOf = (c: Context) => Record<string, string | undefined>;

export interface QuickbackAddon {
  /** `files`, `realtime`, `webhooks`. */
  id: string;
  /** Where its routes are mounted (`/storage/v1`); requests under it run the auth chain. */
  basePath: string;
  /** Its routes, mounted at `basePath` after the feature routes. */
  routes(env: EnvOf): Hono<QuickbackEnv>;
  /** Who hears of the writes of /api requests (changes.ts). */
  listener?: ChangeListener;
  /** Paths whose route checks the body size itself, past the app's 1 MiB body limit (uploads). */
  readsOwnBody?(path: string): boolean;
}
