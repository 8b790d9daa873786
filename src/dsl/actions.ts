/**
 * @module dsl/actions
 * `defineActions`: record and standalone actions of a feature.
 */
import { brand, type Branded } from './kind.js';
import type { Access } from './feature.js';

export interface ActionSpec {
  description: string;
  input?: unknown;
  /**
   * The JSON result as a zod 4 schema (what callers receive: masked columns arrive masked).
   * Documentation only: it becomes the 200 response schema in OpenAPI; the runtime does not check it.
   */
  output?: unknown;
  access?: Access;
  handler?: string;
  execute?: (...args: unknown[]) => unknown;
  standalone?: boolean;
  path?: string;
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  responseType?: 'json' | 'stream' | 'file';
  /** `file` and `stream` responses: the media type the handler's Response carries (default application/octet-stream). */
  contentType?: string;
  transition?: { field: string; fromTo: Record<string, string[]>; to?: string; via?: string };
  sideEffects?: 'sync' | 'async' | 'fire-and-forget';
  unsafe?: boolean | {
    reason: string;
    adminOnly?: boolean;
    crossTenant?: boolean;
    targetScope?: 'organization' | 'all';
  };
  allowRawSql?: boolean;
  cms?: Record<string, unknown>;
}

export type ActionsDefinition = Branded<'actions', { table: unknown; actions: Record<string, ActionSpec> }>;

/** Declares actions on a table (or `null` for standalone-only actions). */
export function defineActions(table: unknown, actions: Record<string, ActionSpec>): ActionsDefinition {
  return brand('actions', { table, actions });
}
