import { describe, expect, it } from 'vitest';
import { q } from '../../../dsl/columns/q.js';
import type { ResourceSpec } from '../../../dsl/feature.js';
import { defineAuth, defineDatabase, defineFileStorage, defineRuntime, defineStorage } from '../../../dsl/providers.js';
import {
  authPluginCapabilities,
  configCapabilities,
  crudToggleCapabilities,
  providerCapabilities,
  providerOptionCapabilities,
  resourceCapabilities,
} from '../capabilities.js';
import type { ActionsInput } from '../../load/types.js';
import { config, fileOf, project, resource, summary } from '../test-project.js';
import { validate } from '../index.js';

const CONFIG_SAMPLES: Record<string, unknown> = {
  'providers.runtime.placement': { mode: 'smart' },
  'providers.runtime.observability': { enabled: true, logs: { enabled: true } },
  'providers.runtime.routes': [{ pattern: 'api.example.com', custom_domain: true }],
  'providers.database.experimentalRemote': { auth: true },
  'providers.database.realtime': true,
  'providers.database.webhookAdminRoles': ['owner'],
  'providers.database.connectionMode': 'http',
  'providers.database.pooled': true,
  'auth.jwt': { expiresIn: 60 },
  'features.pinnedOrganizationId': 'org_1',
  email: { provider: 'aws-ses', from: 'a@example.com' },
  cms: true,
  account: { domain: 'account.example.com' },
  openapi: { generate: true },
  schemaRegistry: { generate: false },
  etag: { enabled: false },
  security: false,
  agents: false,
  webhooks: { allowInsecure: true },
  'compiler.securityContracts': { report: {} },
};

const RESOURCE_SAMPLES: Record<string, unknown> = {
  guards: { createable: ['title'], updatable: ['title'] },
  masking: { title: { type: 'redact', show: { roles: ['admin+'] } } },
  'read.views': { board: { fields: ['id', 'title'] } },
  realtime: { enabled: true },
  embeddings: { fields: ['title'] },
  references: { customerId: 'customers' },
  defaultSort: { field: 'title', order: 'desc' },
  inputHints: { title: 'textarea' },
  layouts: {},
  validation: {},
};

/** Sets `dotted` in a plain copy of the default config; provider paths go into `options`. */
function configWith(dotted: string, value: unknown): Record<string, unknown> {
  const copy = JSON.parse(JSON.stringify(config())) as Record<string, unknown>;
  const segments = dotted.split('.');
  if (segments[0] === 'providers') segments.splice(2, 0, 'options');
  let node = copy;
  for (const segment of segments.slice(0, -1)) node = (node[segment] ??= {}) as Record<string, unknown>;
  node[segments[segments.length - 1]] = value;
  return copy;
}

const base = (spec: ResourceSpec = {}, columns = {}) =>
  resource('tickets', { id: q.id(), title: q.text(), organizationId: q.scope('organization'), ...columns }, spec);

function specWith(dotted: string, value: unknown): ResourceSpec {
  const [head, tail] = dotted.split('.');
  return (tail ? { [head]: { [tail]: value } } : { [head]: value }) as ResourceSpec;
}

function expectOnlyNotSupported(diagnostics: ReturnType<typeof validate>, ats: string[]) {
  expect(summary(diagnostics)).toEqual(ats.map((at) => `QB_VALIDATE_NOT_SUPPORTED @ ${at}`));
  for (const d of diagnostics) expect(d.message).toMatch(/is not supported yet for |does not apply to /);
}

describe('capability rule: config options that are not built', () => {
  const entries = [...providerOptionCapabilities, ...configCapabilities].filter((e) => !e.built);
  it.each(entries.map((e) => [`${e.path}${'value' in e ? ` = ${String(e.value)}` : ''}`, e] as const))(
    '%s',
    (_, entry) => {
      const path = entry.path;
      const value = 'value' in entry ? entry.value : CONFIG_SAMPLES[path] ?? 'X';
      const diagnostics = validate(project({ config: configWith(path, value) }));
      const expected = entries.filter((e) =>
        (path === e.path || path.startsWith(`${e.path}.`)) && (!('value' in e) || e.value === value)
      ).map((e) => e.path).sort();
      expectOnlyNotSupported(diagnostics, expected);
      expect(diagnostics.every((d) => d.file === 'quickback/quickback.config.ts' && d.hint)).toBe(true);
    },
  );

  it('says which target a provider option belongs to', () => {
    const [d] = validate(project({ config: configWith('providers.runtime.compatibilityDate', '2026-05-13') }));
    expect(d.message).toBe(
      'The Cloudflare compatibility date does not apply to runtime node (it only applies to runtime cloudflare)',
    );
    const external = config({
      providers: {
        runtime: defineRuntime('cloudflare'),
        database: defineDatabase('cloudflare-d1'),
        auth: defineAuth('external', { service: 'auth', session: { expiresInDays: 1 } }),
      },
    });
    const [session] = validate(project({ config: external })).filter((x) => x.code === 'QB_VALIDATE_NOT_SUPPORTED');
    expect(session).toMatchObject({
      at: 'providers.auth.session',
      message: 'The Better Auth option `session` does not apply to auth external (it only applies to auth better-auth)',
    });
    expect(session.hint).toContain('auth Worker');
  });
});

describe('capability rule: targets that are not built', () => {
  const kinds = (['runtime', 'database', 'auth'] as const).flatMap((slot) =>
    Object.entries(providerCapabilities[slot].kinds).filter(([, built]) => !built).map(([kind]) =>
      [slot, kind] as const
    )
  );
  const define = { runtime: defineRuntime, database: defineDatabase, auth: defineAuth } as const;
  it.each(kinds)('%s %s', (slot, kind) => {
    const providers = {
      runtime: defineRuntime('node'),
      database: defineDatabase('better-sqlite3'),
      auth: defineAuth('better-auth'),
      [slot]: (define[slot] as (k: string) => unknown)(kind),
    };
    expectOnlyNotSupported(validate(project({ config: config({ providers: providers as never }) })), [
      `providers.${slot}`,
    ]);
  });

  it('neon runs on node, bun and Workers in every connection mode, supabase on node and bun; supabase on Workers is refused, not its options', () => {
    const database = defineDatabase('neon', { connectionMode: 'auto', pooled: true });
    expect(validate(project({ config: config({ providers: { runtime: defineRuntime('node'), database } }) }))).toEqual(
      [],
    );
    expect(
      validate(
        project({
          config: config({
            providers: { runtime: defineRuntime('cloudflare', { compatibilityDate: '2026-04-26' }), database },
          }),
        }),
      ),
    ).toEqual([]);
    expectOnlyNotSupported(
      validate(
        project({
          config: config({
            providers: {
              runtime: defineRuntime('cloudflare', { compatibilityDate: '2026-04-26' }),
              database: defineDatabase('supabase'),
            },
          }),
        }),
      ),
      ['providers.runtime'],
    );
    const split = validate(
      project({
        config: config({
          providers: { runtime: defineRuntime('bun'), database: defineDatabase('supabase', { splitDatabases: true }) },
        }),
      }),
    );
    expect(split.map((d) => [d.code, d.at])).toEqual([[
      'QB_VALIDATE_INVALID_OPTION',
      'providers.database.splitDatabases',
    ]]);
    for (const runtime of ['node', 'bun', 'cloudflare'] as const) {
      for (const connectionMode of ['http', 'websocket'] as const) {
        const options = runtime === 'cloudflare' ? { compatibilityDate: '2026-04-26' } : undefined;
        expect(
          validate(
            project({
              config: config({
                providers: {
                  runtime: defineRuntime(runtime, options),
                  database: defineDatabase('neon', { connectionMode }),
                },
              }),
            }),
          ),
        ).toEqual([]);
      }
    }
  });

  const plugins = Object.entries(authPluginCapabilities).filter(([, built]) => !built).map(([name]) => name);
  it.each(plugins)('Better Auth plugin %s (array and object form)', (plugin) => {
    const asArray = defineAuth('better-auth', { plugins: ['organization', plugin as never] });
    const asObject = defineAuth('better-auth', { plugins: { organization: true, [plugin]: { some: 'option' } } });
    const run = (auth: unknown) =>
      validate(
        project({
          config: config({
            providers: { runtime: defineRuntime('bun'), database: defineDatabase('libsql'), auth: auth as never },
          }),
        }),
      );
    expectOnlyNotSupported(run(asArray), ['providers.auth.plugins[1]']);
    expectOnlyNotSupported(run(asObject), [`providers.auth.plugins.${plugin}`]);
  });

  it('accepts what is built: plugins set to false, organizations on or off, template hono', () => {
    const auth = defineAuth('better-auth', {
      plugins: { organization: true, apiKey: true, admin: true, twoFactor: false, passkey: false },
    });
    for (const features of [['organizations'], { organizations: false }, { organizations: true }] as const) {
      const value = config({
        template: 'hono',
        features: features as never,
        providers: { runtime: defineRuntime('node'), database: defineDatabase('better-sqlite3'), auth },
      });
      expect(validate(project({ config: value }))).toEqual([]);
    }
  });
});

describe('capability rule: resource options that are not built', () => {
  const entries = resourceCapabilities.filter((e) => !e.built);
  it.each(entries.map((e) => [e.path] as const))('%s', (path) => {
    const diagnostics = validate(project({ resources: [base(specWith(path, RESOURCE_SAMPLES[path] ?? 'title'))] }));
    expectOnlyNotSupported(diagnostics, [`features.tickets.${path}`]);
    expect(diagnostics[0].file).toBe(fileOf('tickets'));
  });

  const toggles = Object.keys(crudToggleCapabilities).filter((key) => !crudToggleCapabilities[key]);
  it.each([...toggles, 'list', 'get', 'archive'])('crud.%s', (toggle) => {
    expectOnlyNotSupported(validate(project({ resources: [base({ crud: { [toggle]: true } })] })), [
      `features.tickets.crud.${toggle}`,
    ]);
  });

  it('treats a misspelt crud operation as an unknown option', () => {
    const [d, ...rest] = validate(
      project({ resources: [base({ crud: { craete: { access: { roles: ['member'] } } } })] }),
    );
    expect(rest).toEqual([]);
    expect(d).toMatchObject({
      code: 'QB_VALIDATE_UNKNOWN_OPTION',
      at: 'features.tickets.crud.craete',
      hint: 'Did you mean "create"?',
    });
  });

  it.each(
    [
      ['read.access', { read: { access: () => true } }],
      ['crud.update.access', { crud: { update: { access: async () => true } } }],
      ['delete.access', { delete: { access: () => false, mode: 'hard' } }],
    ] as const,
  )('function-form access at %s', (path, spec) => {
    expectOnlyNotSupported(validate(project({ resources: [base(spec as ResourceSpec)] })), [
      `features.tickets.${path}`,
    ]);
  });

  it('encrypted columns are built: no capability diagnostic', () => {
    expect(
      validate(project({ resources: [base({}, { taxId: q.text().encrypted() })] })).filter((d) =>
        d.code === 'QB_VALIDATE_NOT_SUPPORTED'
      ),
    ).toEqual([]);
  });

  it('defineActions is built: only an inline execute is reported as not supported', () => {
    const actions: ActionsInput[] = [
      {
        file: 'quickback/features/tickets/actions.ts',
        featureDir: 'tickets',
        table: 'tickets',
        actions: { approve: { description: 'Approve', execute: () => 1 } },
        resolved: { approve: { input: { schema: { type: 'object' } } } },
      },
    ];
    const diagnostics = validate(project({ resources: [base()], actions }));
    expectOnlyNotSupported(diagnostics, ['features.tickets.actions.approve.execute']);
  });
});

describe('capability rule: Better Auth plugin options (object form)', () => {
  const withPlugins = (plugins: Record<string, unknown>) =>
    config({
      providers: {
        runtime: defineRuntime('node'),
        database: defineDatabase('better-sqlite3'),
        auth: defineAuth('better-auth', { plugins: plugins as never }),
      },
    });
  it('accepts JSON options, and refuses what cannot be written as JSON, at its path', () => {
    expect(
      validate(
        project({
          config: withPlugins({ apiKey: { rateLimit: { maxRequests: 100, timeWindow: 60_000 } }, admin: true }),
        }),
      ),
    ).toEqual([]);
    const [d] = validate(project({ config: withPlugins({ apiKey: { rateLimit: { customCheck: () => true } } }) }));
    expect(d).toMatchObject({
      code: 'QB_VALIDATE_INVALID_OPTION',
      at: 'providers.auth.plugins.apiKey.rateLimit.customCheck',
    });
  });

  it('refuses options of the organization plugin (derived from auth.roleHierarchy and the features)', () => {
    expect(summary(validate(project({ config: withPlugins({ organization: { teams: { enabled: true } } }) })))).toEqual(
      ['QB_VALIDATE_NOT_SUPPORTED @ providers.auth.plugins.organization'],
    );
    expect(validate(project({ config: withPlugins({ organization: {} }) }))).toEqual([]);
  });
});
