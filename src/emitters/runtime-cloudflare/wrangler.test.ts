/**
 * wrangler.toml (issue #8 §2–§4), parsed with a TOML library and checked field by field: every
 * runtime option of seed 000, the split and unsplit D1 layouts, each `experimentalRemote` key
 * mapped to its logical binding, placeholders, the audit database, KV and R2, and byte stability.
 */
import { parse } from 'smol-toml';
import { describe, expect, it } from 'vitest';
import { defineStorage, defineFileStorage, defineAuth, defineDatabase, defineRuntime } from '../../dsl/providers.js';
import type { DatabaseOptions, RuntimeOptions } from '../../dsl/providers.js';
import { buildModel } from '../../compiler/model/index.js';
import { DEFAULT_COMPATIBILITY_DATE, placeholderId } from '../../compiler/model/cloudflare.js';
import { config, project, resource } from '../../compiler/validate/test-project.js';
import type { ActionsInput, ResourceInput } from '../../compiler/load/types.js';
import type { AppModel } from '../../compiler/model/ir.js';
import { q } from '../../dsl/columns/q.js';
import { wranglerScripts } from './index.js';
import { printWranglerToml } from './print/wrangler.js';

type Toml = Record<string, any>;

const NOTES = [resource('notes', { id: q.id(), body: q.text() }, { firewall: { exception: true } })];

function wrangler(
  runtime: RuntimeOptions = {},
  database: DatabaseOptions = {},
  extra: {
    providers?: Record<string, unknown>;
    actions?: ActionsInput[];
    outputDir?: string;
    resources?: ResourceInput[];
  } = {},
): { text: string; toml: Toml; model: AppModel } {
  const cfg = config({
    name: 'desk',
    providers: {
      runtime: defineRuntime('cloudflare', runtime),
      database: defineDatabase('cloudflare-d1', database),
      auth: defineAuth('better-auth'),
      ...extra.providers,
    },
    ...(extra.outputDir ? { build: { outputDir: extra.outputDir } } : {}),
  });
  const model = buildModel(project({ config: cfg, actions: extra.actions, resources: extra.resources ?? NOTES }));
  const text = printWranglerToml(model, model.cloudflare!);
  return { text, toml: parse(text) as Toml, model };
}

describe('wrangler.toml', () => {
  it('emits every runtime option of seed 000 in its block', () => {
    const { toml } = wrangler({
      compatibilityDate: '2026-05-13',
      placement: { mode: 'smart' },
      observability: {
        enabled: true,
        headSamplingRate: 0.5,
        logs: { enabled: true, invocationLogs: false, destinations: ['axiom'], headSamplingRate: 0.25, persist: true },
        traces: { enabled: true, destinations: ['honeycomb'], headSamplingRate: 0.1, persist: false },
      },
      routes: [{ pattern: 'api.example.com', custom_domain: true }, { pattern: 'example.com/api/*' }],
    });
    expect(toml).toMatchObject({
      name: 'desk',
      main: 'src/worker.ts',
      compatibility_date: '2026-05-13',
      compatibility_flags: ['nodejs_compat'],
      routes: [{ pattern: 'api.example.com', custom_domain: true }, { pattern: 'example.com/api/*' }],
      placement: { mode: 'smart' },
      observability: {
        enabled: true,
        head_sampling_rate: 0.5,
        logs: {
          enabled: true,
          invocation_logs: false,
          destinations: ['axiom'],
          head_sampling_rate: 0.25,
          persist: true,
        },
        traces: { enabled: true, destinations: ['honeycomb'], head_sampling_rate: 0.1, persist: false },
      },
      dev: { port: 8787 },
    });
    expect(toml.routes[1]).not.toHaveProperty('custom_domain');
  });

  it('omits options left unset instead of defaulting them, but for the compatibility date the pinned workerd supports', () => {
    const { toml } = wrangler();
    expect(Object.keys(toml).sort()).toEqual([
      'compatibility_date',
      'compatibility_flags',
      'd1_databases',
      'dev',
      'main',
      'name',
    ]);
    expect(toml.compatibility_date).toBe(DEFAULT_COMPATIBILITY_DATE);
  });

  it('splits auth and features by default, with ids, migrations_dir and no remote flag', () => {
    const { toml } = wrangler({}, { authDatabaseId: 'auth-id', databaseId: 'features-id' });
    expect(toml.d1_databases).toEqual([
      {
        binding: 'AUTH_DB',
        database_name: 'desk-auth',
        database_id: 'auth-id',
        migrations_dir: 'quickback/drizzle/auth',
      },
      {
        binding: 'DB',
        database_name: 'desk-features',
        database_id: 'features-id',
        migrations_dir: 'quickback/drizzle/features',
      },
    ]);
  });

  it('uses one binding when splitDatabases is false, featuresDatabaseId over databaseId, custom binding names', () => {
    const { toml } = wrangler(
      {},
      { splitDatabases: false, featuresBinding: 'LEGACY_DB', databaseId: 'fallback', featuresDatabaseId: 'explicit' },
    );
    expect(toml.d1_databases).toEqual([{
      binding: 'LEGACY_DB',
      database_name: 'desk',
      database_id: 'explicit',
      migrations_dir: 'quickback/drizzle/features',
    }]);
  });

  it.each(
    [
      ['auth', 'AUTH_DB'],
      ['features', 'DB'],
      ['audit', 'AUDIT_DB'],
    ] as const,
  )('experimentalRemote.%s flags %s only, and only when true', (key, binding) => {
    const unsafe: ActionsInput = {
      file: 'quickback/features/x/actions.ts',
      featureDir: 'x',
      table: null,
      actions: { purge: { description: 'd', handler: './h', path: '/purge', unsafe: { reason: 'ops' } } },
    };
    const on = wrangler({}, { experimentalRemote: { [key]: true } }, { actions: [unsafe] }).toml.d1_databases as Toml[];
    expect(on.filter((d) => d.experimental_remote === true).map((d) => d.binding)).toEqual([binding]);
    const off = wrangler({}, { experimentalRemote: { [key]: false } }, { actions: [unsafe] }).toml
      .d1_databases as Toml[];
    expect(off.some((d) => 'experimental_remote' in d)).toBe(false);
  });

  it('experimentalRemote.features flags the legacy binding when splitDatabases is false', () => {
    const { toml } = wrangler({}, { splitDatabases: false, experimentalRemote: { features: true, auth: true } });
    expect(toml.d1_databases).toEqual([expect.objectContaining({ binding: 'DB', experimental_remote: true })]);
  });

  it('writes placeholders for missing ids, and the audit database only with an unsafe action', () => {
    const plain = wrangler().toml.d1_databases as Toml[];
    expect(plain.map((d) => d.database_id)).toEqual([placeholderId('auth'), placeholderId('features')]);
    expect(plain.some((d) => d.binding === 'AUDIT_DB')).toBe(false);
    const unsafe: ActionsInput = {
      file: 'quickback/features/x/actions.ts',
      featureDir: 'x',
      table: null,
      actions: { purge: { description: 'd', handler: './h', path: '/purge', unsafe: true } },
    };
    const audited = wrangler(
      {},
      { auditBinding: 'MY_AUDIT', auditDatabaseName: 'desk-audit-prod', auditDatabaseId: 'audit-id' },
      { actions: [unsafe] },
    ).toml.d1_databases as Toml[];
    expect(audited.at(-1)).toEqual({ binding: 'MY_AUDIT', database_name: 'desk-audit-prod', database_id: 'audit-id' });
    const defaults = wrangler({}, {}, { actions: [unsafe] }).toml.d1_databases as Toml[];
    expect(defaults.at(-1)).toMatchObject({
      binding: 'AUDIT_DB',
      database_name: 'desk-audit',
      database_id: placeholderId('audit'),
    });
  });

  it('binds KV (namespaceId on the storage provider, or kvId on auth) and R2', () => {
    const kv = wrangler(
      {},
      {},
      {
        providers: {
          storage: defineStorage('kv', { binding: 'KV_STORE', namespaceId: 'ns-1' }),
          fileStorage: defineFileStorage('r2', { binding: 'FILES', bucketName: 'desk-uploads' }),
        },
      },
    ).toml;
    expect(kv.kv_namespaces).toEqual([{ binding: 'KV_STORE', id: 'ns-1' }]);
    expect(kv.r2_buckets).toEqual([{ binding: 'FILES', bucket_name: 'desk-uploads' }]);
    const viaAuth = wrangler({}, {}, { providers: { auth: defineAuth('better-auth', { kvId: 'ns-2' }) } }).toml;
    expect(viaAuth.kv_namespaces).toEqual([{ binding: 'KV', id: 'ns-2' }]);
  });

  it('gives a database without tables no migrations_dir, and the scripts nothing to apply', () => {
    const { toml, model } = wrangler({}, { databaseId: 'f', authDatabaseId: 'a' }, { resources: [] });
    expect(toml.d1_databases.map((d: Toml) => [d.binding, d.migrations_dir])).toEqual([
      ['AUTH_DB', 'quickback/drizzle/auth'],
      ['DB', undefined],
    ]);
    expect(wranglerScripts(model.cloudflare!)['db:migrate:local']).toBe('npm run db:migrate:auth:local');
    const external = wrangler(
      {},
      { databaseId: 'f' },
      { resources: [], providers: { auth: defineAuth('external', { service: 'auth-worker' }) } },
    );
    expect(wranglerScripts(external.model.cloudflare!)['db:migrate:local']).toBe(
      'echo "Nothing to migrate: no D1 database has tables yet"',
    );
  });

  it('external auth: a [[services]] binding to the auth Worker, and no auth database', () => {
    const { toml } = wrangler(
      {},
      { databaseId: 'f', authDatabaseId: 'ignored', experimentalRemote: { auth: true } },
      { providers: { auth: defineAuth('external', { service: 'accounts', binding: 'ACCOUNTS' }) } },
    );
    expect(toml.services).toEqual([{ binding: 'ACCOUNTS', service: 'accounts' }]);
    expect(toml.d1_databases).toEqual([{
      binding: 'DB',
      database_name: 'desk-features',
      database_id: 'f',
      migrations_dir: 'quickback/drizzle/features',
    }]);
    const defaults =
      wrangler({}, {}, { providers: { auth: defineAuth('external', { service: 'accounts', kvId: 'ignored' }) } }).toml;
    expect(defaults.services).toEqual([{ binding: 'AUTH_SERVICE', service: 'accounts' }]);
    expect(defaults.kv_namespaces).toBeUndefined();
  });

  it('writes [vars], paths relative to build.outputDir, and the same bytes every time', () => {
    const { toml, text } = wrangler({}, { vars: { B_VAR: 'two', A_VAR: 'one "quoted"' } }, { outputDir: 'app' });
    expect(toml.vars).toEqual({ A_VAR: 'one "quoted"', B_VAR: 'two' });
    expect(toml.d1_databases.map((d: Toml) => d.migrations_dir)).toEqual([
      '../quickback/drizzle/auth',
      '../quickback/drizzle/features',
    ]);
    expect(text).toMatch(/^# Generated by Quickback from quickback\/quickback\.config\.ts\./);
    expect(wrangler({}, { vars: { B_VAR: 'two', A_VAR: 'one "quoted"' } }, { outputDir: 'app' }).text).toBe(text);
  });
});
