/**
 * @module emitters/runtime-cloudflare/print/env
 * `src/env.ts` for Workers: the bindings wrangler.toml declares (D1, KV, R2) and the string
 * settings (secrets from `.dev.vars` locally or `wrangler secret put`, `[vars]`), read per
 * request from `c.env`. `Env` is the string part, the same shape the Node and Bun targets use.
 */
import type { AppModel } from '../../../compiler/model/ir.js';
import type { CloudflareModel } from '../../../compiler/model/cloudflare.js';
import { withBanner } from '../../banner.js';
import { BROADCASTER } from '../../realtime/index.js';
import { indentTail, lines, literal } from '../../print-utils.js';
import {
  corsOriginsFunction,
  envKeys,
  isDevelopmentFunction,
  requiredEnv,
  urlEnvLines,
} from '../../server-common/print/env.js';

function bindingLines(model: AppModel, cf: CloudflareModel): string[] {
  return [
    ...cf.d1.map((d) => `  /** D1: the ${d.logical} database (${d.databaseName}). */\n  ${d.binding}: D1Database;`),
    ...(cf.kv
      ? [`  /** KV: Better Auth's secondary storage (sessions, rate limits). */\n  ${cf.kv.binding}: KVNamespace;`]
      : []),
    ...(cf.r2 ? [`  /** R2: file storage (${cf.r2.bucketName}). */\n  ${cf.r2.binding}: R2Bucket;`] : []),
    ...cf.services.map((s) =>
      `  /** Service binding: the auth Worker "${s.service}" (external auth). */\n  ${s.binding}: Fetcher;`
    ),
    ...(model.realtime
      ? [
        `  /** Realtime: the Broadcaster Durable Object, one per channel. */\n  ${BROADCASTER.binding}: DurableObjectNamespace;`,
      ]
      : []),
    ...(model.email?.transport === 'cloudflare'
      ? ['  /** Cloudflare Email Sending (send_email): magic links and one-time codes. */\n  EMAIL?: SendEmail;']
      : []),
  ];
}

export function printCloudflareEnv(model: AppModel, cf: CloudflareModel): string {
  const keys = envKeys(model);
  return withBanner(
    'ts',
    model.configFile,
    lines(
      '/** String settings of the API: secrets (.dev.vars locally, `wrangler secret put` deployed) and [vars]. */',
      'export interface Env {',
      ...keys.map((key) => `  ${key}?: string;`),
      '  [name: string]: string | undefined;',
      '}',
      '',
      '/** What the Worker receives as `env` (wrangler.toml): its bindings and its string settings. */',
      'export interface Bindings {',
      ...bindingLines(model, cf),
      ...keys.map((key) => `  ${key}?: string;`),
      '}',
      '',
      '/** Non-secret defaults from `vars` in quickback.config.ts (also in wrangler.toml [vars]); bindings win. */',
      `export const envDefaults: Record<string, string> = ${indentTail(literal(model.vars), 0)};`,
      '',
      `export const requiredEnv: string[] = ${JSON.stringify(requiredEnv(model))};`,
      ...urlEnvLines(model),
      '',
      '/** The string settings among the bindings, over the defaults. */',
      'export function envFromBindings(bindings: Bindings): Env {',
      '  const env: Env = { ...envDefaults };',
      '  for (const [name, value] of Object.entries(bindings)) if (typeof value === "string") env[name] = value;',
      '  return env;',
      '}',
      '',
      ...isDevelopmentFunction(),
      '',
      ...corsOriginsFunction(model),
    ),
  );
}
