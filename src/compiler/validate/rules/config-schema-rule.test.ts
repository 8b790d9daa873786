import { describe, expect, expectTypeOf, it } from 'vitest';
import type * as z from 'zod';
import type { AppAuthOptions, JwtOptions, QuickbackConfigInput } from '../../../dsl/config.js';
import type {
  AuthOptions,
  DatabaseOptions,
  FileStorageOptions,
  RuntimeOptions,
  StorageOptions,
} from '../../../dsl/providers.js';
import { sortDiagnostics } from '../../../shared/diagnostics.js';
import { defineAuth, defineDatabase, defineFileStorage, defineRuntime, defineStorage } from '../../../dsl/providers.js';
import type { configSchema, jwtSchema } from '../schema/config.js';
import type {
  authOptionsSchema,
  databaseOptionsSchema,
  fileStorageOptionsSchema,
  runtimeOptionsSchema,
  storageOptionsSchema,
} from '../schema/providers.js';
import { config, CONFIG_FILE, project, summary } from '../test-project.js';
import { configPath, configSchemaRule } from './config-schema-rule.js';
import { validate } from '../index.js';

const check = (value: unknown) => configSchemaRule(project({ config: value }));
const withDatabaseOptions = (options: Record<string, unknown>) =>
  config({
    providers: { runtime: defineRuntime('node'), database: defineDatabase('better-sqlite3', options as never) },
  });

describe('config schema rule', () => {
  it('accepts a minimal config made with the DSL', () => {
    expect(check(config())).toEqual([]);
  });

  it('reports an unknown provider option without the word options, with a did-you-mean hint', () => {
    const [d, ...rest] = check(withDatabaseOptions({ generateID: 'uuid' }));
    expect(rest).toEqual([]);
    expect(d).toMatchObject({
      code: 'QB_VALIDATE_UNKNOWN_OPTION',
      severity: 'error',
      file: CONFIG_FILE,
      at: 'providers.database.generateID',
      hint: 'Did you mean "generateId"?',
    });
  });

  it('reports one diagnostic per unknown key, at every level', () => {
    const value = { ...config(), nmae: 'x', dev: { prot: 3000 }, auth: { roleHeirarchy: ['member'] } };
    expect(sortDiagnostics(check(value)).map((d) => [d.code, d.at, d.hint])).toEqual([
      ['QB_VALIDATE_UNKNOWN_OPTION', 'auth.roleHeirarchy', 'Did you mean "roleHierarchy"?'],
      ['QB_VALIDATE_UNKNOWN_OPTION', 'dev.prot', 'Did you mean "port"?'],
      ['QB_VALIDATE_UNKNOWN_OPTION', 'nmae', 'Did you mean "name"?'],
    ]);
  });

  it('lists the valid keys when nothing is close', () => {
    const [d] = check({ ...config(), zzzzzzzz: true });
    expect(d.code).toBe('QB_VALIDATE_UNKNOWN_OPTION');
    expect(d.hint).toContain('Valid options: name, template, providers');
  });

  it('reports a wrong enum value listing the allowed values', () => {
    const [d] = check(withDatabaseOptions({ generateId: 'uuid4' }));
    expect(d).toMatchObject({
      code: 'QB_VALIDATE_INVALID_OPTION',
      at: 'providers.database.generateId',
      hint: 'Did you mean "uuid"?',
    });
    expect(d.message).toContain('"uuid", "cuid", "nanoid", "short", "prefixed", "serial", false');
  });

  it('reports an unknown provider kind at the provider slot', () => {
    const [d] = check(
      config({ providers: { runtime: defineRuntime('deno' as never), database: defineDatabase('better-sqlite3') } }),
    );
    expect(d).toMatchObject({ code: 'QB_VALIDATE_INVALID_OPTION', at: 'providers.runtime' });
    expect(d.message).toContain('"cloudflare", "node", "bun"');
  });

  it('reports wrong types with what was expected', () => {
    const diagnostics = check(config({ dev: { port: 'eighty' as never }, trustedOrigins: 'https://x' as never }));
    expect(diagnostics.map((d) => [d.code, d.at, d.message])).toEqual([
      ['QB_VALIDATE_INVALID_OPTION', 'trustedOrigins', '`trustedOrigins` must be a list, got "https://x"'],
      ['QB_VALIDATE_INVALID_OPTION', 'dev.port', '`dev.port` must be a number, got "eighty"'],
    ]);
  });

  it('reports out-of-range numbers', () => {
    const [d] = check(config({ dev: { port: 70000 } }));
    expect(d).toMatchObject({
      code: 'QB_VALIDATE_INVALID_OPTION',
      at: 'dev.port',
      message: '`dev.port` must be at most 65535, got 70000',
    });
  });

  it('reports missing required options with an example', () => {
    const { name: _name, ...noName } = config();
    const [d] = check(noName);
    expect(d).toMatchObject({ code: 'QB_VALIDATE_MISSING_OPTION', at: 'name', hint: 'Example: name: "my-app"' });
    expect(summary(check({ name: 'x' }))).toEqual(['QB_VALIDATE_MISSING_OPTION @ providers']);
    expect(summary(check({ name: 'x', providers: {} }))).toEqual([
      'QB_VALIDATE_MISSING_OPTION @ providers.runtime',
      'QB_VALIDATE_MISSING_OPTION @ providers.database',
    ]);
  });

  it('reports a config that is not an object', () => {
    for (const value of [null, 'my-app', 42, ['x']]) {
      const diagnostics = check(value);
      expect(summary(diagnostics)).toEqual(['QB_VALIDATE_INVALID_OPTION @ ']);
      expect(diagnostics[0].file).toBe(CONFIG_FILE);
    }
  });

  it('reports a provider slot that does not hold its descriptor', () => {
    const diagnostics = check({ name: 'x', providers: { runtime: 'node', database: defineRuntime('node') } });
    expect(diagnostics.map((d) => [d.at, d.message])).toEqual([
      ['providers.runtime', '`providers.runtime` must be made with defineRuntime(kind, options)'],
      [
        'providers.database',
        '`providers.database` must be made with defineDatabase(kind, options) (it holds a runtime provider)',
      ],
    ]);
    expect(diagnostics[0].hint).toBe('Example: runtime: defineRuntime("node")');
  });

  it('reports the branch of a union that matched the type', () => {
    const auth = defineAuth('better-auth', {
      emailAndPassword: { enabled: true, minPasswordLen: 8 } as never,
      plugins: { organisation: true } as never,
    });
    const diagnostics = check(
      config({ providers: { runtime: defineRuntime('node'), database: defineDatabase('libsql'), auth } }),
    );
    expect(diagnostics.map((d) => [d.code, d.at, d.hint])).toEqual([
      [
        'QB_VALIDATE_UNKNOWN_OPTION',
        'providers.auth.emailAndPassword.minPasswordLen',
        'Did you mean "minPasswordLength"?',
      ],
      ['QB_VALIDATE_UNKNOWN_OPTION', 'providers.auth.plugins.organisation', 'Did you mean "organization"?'],
    ]);
    const [bad] = check(
      config({
        providers: {
          runtime: defineRuntime('node'),
          database: defineDatabase('libsql'),
          auth: defineAuth('better-auth', { emailAndPassword: 'yes' as never }),
        },
      }),
    );
    expect(bad.message).toBe('`providers.auth.emailAndPassword` must be true or false or an object, got "yes"');
  });

  it('accepts every option the DSL types declare (the capability rule decides what is built)', () => {
    const everything = config({
      template: 'nextjs',
      providers: {
        runtime: defineRuntime('cloudflare', {
          compatibilityDate: '2026-05-13',
          placement: { mode: 'smart' },
          routes: [{ pattern: 'api.example.com', custom_domain: true }],
          observability: {
            enabled: true,
            headSamplingRate: 1,
            logs: { enabled: true, invocationLogs: false, destinations: ['l'], headSamplingRate: 0.5, persist: true },
            traces: { enabled: true, destinations: ['t'], headSamplingRate: 0.1, persist: false },
          },
        }),
        database: defineDatabase('cloudflare-d1', {
          generateId: false,
          namingConvention: 'camelCase',
          usePlurals: true,
          splitDatabases: true,
          authBinding: 'AUTH_DB',
          featuresBinding: 'DB',
          webhooksBinding: 'W',
          auditBinding: 'A',
          databaseId: '1',
          authDatabaseId: '2',
          featuresDatabaseId: '3',
          filesDatabaseId: '4',
          webhooksDatabaseId: '5',
          auditDatabaseName: 'x-audit',
          auditDatabaseId: '6',
          kvNamespaceId: '7',
          experimentalRemote: { auth: true, features: false, audit: true, webhooks: true, files: true },
          realtime: { enabled: true, wsTicket: { role: 'attendee', requestField: 'eventId', scopeTable: 'events' } },
          webhookAdminRoles: ['member'],
          vars: { A: 'b' },
          connectionMode: 'auto',
          pooled: true,
        }),
        auth: defineAuth('better-auth', {
          emailAndPassword: true,
          session: { expiresInDays: 1, updateAgeInDays: 0 },
          rateLimit: { enabled: true, window: 1, max: 1, customRules: { '/x': { window: 1, max: 1 } } },
          socialProviders: { google: { clientId: 'a', enabled: true }, github: false, discord: true },
          debugLogs: true,
          trustedOrigins: ['x'],
          kvId: 'kv',
          plugins: [
            'organization',
            'admin',
            'apiKey',
            'anonymous',
            'upgradeAnonymous',
            'twoFactor',
            'passkey',
            'magicLink',
            'emailOtp',
            'deviceAuthorization',
            'jwt',
            'openAPI',
            'bearer',
            'oauthProvider',
          ],
        }),
        storage: defineStorage('kv', { binding: 'KV', namespaceId: 'n', url: 'redis://x' }),
        fileStorage: defineFileStorage('r2', {
          binding: 'F',
          bucketName: 'b',
          managed: true,
          maxFileSize: '10mb',
          allowedTypes: ['image/png'],
          publicDomain: 'f.example.com',
          userScopedBuckets: true,
        }),
      },
      features: { organizations: true, pinnedOrganizationId: 'org_1' },
      auth: {
        roleHierarchy: ['member'],
        jwt: { expiresIn: 60, issuer: 'i', audience: 'a', secretEnv: 'S', algorithm: 'HS256', revocationCheck: 'kv' },
        loginUrl: 'https://l',
        profileUrl: 'https://p',
      },
      trustedOrigins: ['x'],
      domain: 'api.example.com',
      dev: { port: 3000 },
      build: { outputDir: '.', packageManager: 'bun', dependencies: {} },
      compiler: { migrations: { renames: { tables: {}, columns: {} } }, securityContracts: { report: {} } },
      email: { provider: 'aws-ses', from: 'a@b.c', fromName: 'A' },
      cms: { access: 'admin' },
      account: true,
      openapi: { generate: true, publish: false, docs: 'scalar' },
      schemaRegistry: { generate: false },
      etag: { enabled: false },
      security: false,
      agents: { robotsTxt: true },
      webhooks: { allowInsecure: true },
      authz: { roles: { attendee: { via: 'guests' } } },
    });
    expect(check(everything)).toEqual([]);
    const codes = new Set(validate(project({ config: everything })).map((d) => d.code));
    // wsTicket names tables this bare project does not have.
    expect([...codes].sort()).toEqual([
      'QB_VALIDATE_NOT_SUPPORTED',
      'QB_VALIDATE_UNKNOWN_REFERENCE',
      'QB_WARN_OPTION_NO_EFFECT',
    ]);
  });

  it('maps zod paths to config paths', () => {
    expect(configPath(['providers', 'auth', 'options', 'session', 'expiresInDays'])).toBe(
      'providers.auth.session.expiresInDays',
    );
    expect(configPath(['providers', 'runtime', 'kind'])).toBe('providers.runtime');
    expect(configPath(['providers', 'auth', 'options', 'rateLimit', 'customRules', '/sign-in', 'max'])).toBe(
      'providers.auth.rateLimit.customRules["/sign-in"].max',
    );
    expect(configPath(['auth', 'roleHierarchy', 2])).toBe('auth.roleHierarchy[2]');
    expect(configPath([])).toBeUndefined();
  });

  it('keeps the schemas in step with the DSL option types', () => {
    expectTypeOf<keyof z.infer<typeof configSchema>>().toEqualTypeOf<keyof QuickbackConfigInput>();
    expectTypeOf<keyof z.infer<typeof runtimeOptionsSchema>>().toEqualTypeOf<keyof RuntimeOptions>();
    expectTypeOf<keyof z.infer<typeof databaseOptionsSchema>>().toEqualTypeOf<keyof DatabaseOptions>();
    expectTypeOf<keyof z.infer<typeof authOptionsSchema>>().toEqualTypeOf<keyof AuthOptions>();
    expectTypeOf<keyof z.infer<typeof storageOptionsSchema>>().toEqualTypeOf<keyof StorageOptions>();
    expectTypeOf<keyof z.infer<typeof fileStorageOptionsSchema>>().toEqualTypeOf<keyof FileStorageOptions>();
    expectTypeOf<keyof z.infer<typeof jwtSchema>>().toEqualTypeOf<keyof JwtOptions>();
    expectTypeOf<keyof NonNullable<z.infer<typeof configSchema>['auth']>>().toEqualTypeOf<keyof AppAuthOptions>();
  });
});
