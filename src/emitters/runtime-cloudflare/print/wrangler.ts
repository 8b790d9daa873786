/**
 * @module emitters/runtime-cloudflare/print/wrangler
 * `wrangler.toml` from the config (seed 000): top-level keys, then the [placement],
 * [observability] (+ .logs, .traces), [dev] and [vars] tables, then the D1, KV, R2 and service bindings,
 * always in this order, keys in a fixed order within each block. Options left unset are omitted.
 * Paths (migrations_dir) are relative to the folder wrangler.toml is written to.
 */
import path from 'node:path';
import type { AppModel } from '../../../compiler/model/ir.js';
import { placeholderId, type CloudflareModel } from '../../../compiler/model/cloudflare.js';
import { withBanner } from '../../banner.js';
import { BROADCASTER } from '../../realtime/index.js';

type Value = string | number | boolean | string[] | Record<string, string | boolean>[] | undefined;

function toml(value: Exclude<Value, undefined>): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value !== 'object') return String(value);
  return `[${
    value.map((item) => (typeof item === 'string'
      ? JSON.stringify(item)
      : `{ ${Object.entries(item).map(([k, v]) => `${k} = ${toml(v)}`).join(', ')} }`)
    ).join(', ')
  }]`;
}

/** `key = value` lines of the entries that are set, in the order given. */
function keys(entries: [string, Value][]): string[] {
  return entries.filter(([, v]) => v !== undefined).map(([k, v]) => `${k} = ${toml(v!)}`);
}

function table(header: string, entries: [string, Value][]): string | null {
  const body = keys(entries);
  return body.length > 0 ? [`[${header}]`, ...body].join('\n') : null;
}

function observability(o: NonNullable<CloudflareModel['runtime']['observability']>): (string | null)[] {
  const channel = (c: NonNullable<typeof o.traces>): [string, Value][] => [
    ['enabled', c.enabled],
    ['destinations', c.destinations],
    ['head_sampling_rate', c.headSamplingRate],
    ['persist', c.persist],
  ];
  const logs = o.logs
    ? [['enabled', o.logs.enabled], ['invocation_logs', o.logs.invocationLogs], ...channel(o.logs).slice(1)] as [
      string,
      Value,
    ][]
    : [];
  return [
    table('observability', [['enabled', o.enabled], ['head_sampling_rate', o.headSamplingRate]]),
    o.logs ? (table('observability.logs', logs) ?? '[observability.logs]') : null,
    o.traces ? (table('observability.traces', channel(o.traces)) ?? '[observability.traces]') : null,
  ];
}

export function printWranglerToml(model: AppModel, cf: CloudflareModel): string {
  const { runtime } = cf;
  const fromOutput = (dir: string) => path.posix.relative(path.posix.normalize(model.build.outputDir), dir) || '.';
  const blocks: (string | null)[] = [
    keys([
      ['name', model.name],
      ['main', 'src/worker.ts'],
      ['compatibility_date', runtime.compatibilityDate],
      ['compatibility_flags', ['nodejs_compat']],
      [
        'routes',
        runtime.routes?.map((r) => ({
          pattern: r.pattern,
          ...(r.custom_domain === undefined ? {} : { custom_domain: r.custom_domain }),
        })),
      ],
    ]).join('\n'),
    runtime.placement ? table('placement', [['mode', runtime.placement.mode]]) : null,
    ...(runtime.observability ? observability(runtime.observability) : []),
    table('dev', [['port', model.runtime.port]]),
    table('vars', Object.entries(model.vars)),
    ...cf.d1.map((d) =>
      [
        '[[d1_databases]]',
        ...keys([
          ['binding', d.binding],
          ['database_name', d.databaseName],
          ['database_id', d.databaseId ?? placeholderId(d.logical)],
          ['migrations_dir', d.migrationsDir === null ? undefined : fromOutput(d.migrationsDir)],
          ['experimental_remote', d.remote ? true : undefined],
        ]),
      ].join('\n')
    ),
    cf.kv
      ? [
        '[[kv_namespaces]]',
        ...keys([['binding', cf.kv.binding], ['id', cf.kv.namespaceId ?? '00000000000000000000000000000000']]),
      ].join('\n')
      : null,
    cf.r2
      ? ['[[r2_buckets]]', ...keys([['binding', cf.r2.binding], ['bucket_name', cf.r2.bucketName]])].join('\n')
      : null,
    ...cf.services.map((s) => ['[[services]]', ...keys([['binding', s.binding], ['service', s.service]])].join('\n')),
    model.email?.transport === 'cloudflare' ? ['[[send_email]]', ...keys([['name', 'EMAIL']])].join('\n') : null,
    model.realtime
      ? [
        '[[durable_objects.bindings]]',
        ...keys([['name', BROADCASTER.binding], ['class_name', BROADCASTER.className]]),
      ].join('\n')
      : null,
    model.webhooks ? ['[triggers]', ...keys([['crons', ['* * * * *']]])].join('\n') : null,
    model.realtime
      ? ['[[migrations]]', ...keys([['tag', 'v1'], ['new_sqlite_classes', [BROADCASTER.className]]])].join('\n')
      : null,
  ];
  return withBanner('toml', model.configFile, blocks.filter((b): b is string => b !== null && b !== '').join('\n\n'));
}
