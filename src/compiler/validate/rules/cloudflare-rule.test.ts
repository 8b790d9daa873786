import { describe, expect, it } from 'vitest';
import {
  defineAuth,
  defineDatabase,
  defineFileStorage,
  defineRuntime,
  defineStorage,
  type DatabaseKind,
  type RuntimeKind,
} from '../../../dsl/providers.js';
import { validate } from '../validate.js';
import { config, project, summary } from '../test-project.js';
import { cloudflareModel, DEFAULT_COMPATIBILITY_DATE } from '../../model/cloudflare.js';
import { cloudflareRule } from './cloudflare-rule.js';

const cfg = (
  runtime: RuntimeKind,
  database: DatabaseKind,
  options: { runtime?: object; database?: object; providers?: object } = {},
) => config({
  providers: {
    runtime: defineRuntime(
      runtime,
      runtime === 'cloudflare' ? { compatibilityDate: '2026-04-26', ...options.runtime } : options.runtime,
    ),
    database: defineDatabase(database, options.database),
    auth: defineAuth('better-auth'),
    ...options.providers,
  },
});
const check = (c: ReturnType<typeof config>) => cloudflareRule(project({ config: c }));

describe('cloudflare rule', () => {
  it('refuses a SQLite file driver on Workers and D1 off Workers, naming the valid choices', () => {
    for (const db of ['better-sqlite3', 'libsql'] as const) {
      const [d] = check(cfg('cloudflare', db)).filter((x) => x.severity === 'error');
      expect(d).toMatchObject({
        code: 'QB_VALIDATE_INVALID_OPTION',
        at: 'providers.database',
        hint: 'On cloudflare use one of: cloudflare-d1, neon, supabase.',
      });
    }
    for (const runtime of ['node', 'bun'] as const) {
      expect(summary(check(cfg(runtime, 'cloudflare-d1')))).toEqual([
        'QB_VALIDATE_INVALID_OPTION @ providers.database',
      ]);
    }
    expect(check(cfg('node', 'better-sqlite3'))).toEqual([]);
  });

  it('requires a real YYYY-MM-DD compatibilityDate', () => {
    for (const bad of ['2026-02-30', '2026-5-13', 'tomorrow']) {
      expect(
        summary(
          check(
            cfg('cloudflare', 'cloudflare-d1', {
              runtime: { compatibilityDate: bad },
              database: { databaseId: 'a', authDatabaseId: 'b' },
            }),
          ),
        ),
      ).toEqual(['QB_VALIDATE_INVALID_OPTION @ providers.runtime.compatibilityDate']);
    }
    expect(
      check(
        cfg('cloudflare', 'cloudflare-d1', {
          runtime: { compatibilityDate: '2026-05-13' },
          database: { databaseId: 'a', authDatabaseId: 'b' },
        }),
      ),
    ).toEqual([]);
  });

  it('warns once that a config without compatibilityDate gets the pinned default in wrangler.toml', () => {
    const bare = config({
      providers: {
        runtime: defineRuntime('cloudflare'),
        database: defineDatabase('cloudflare-d1', { databaseId: 'a', authDatabaseId: 'b' }),
        auth: defineAuth('better-auth'),
      },
    });
    const out = check(bare);
    expect(summary(out)).toEqual(['QB_WARN_DEFAULT_COMPATIBILITY_DATE @ providers.runtime']);
    expect(out[0]).toMatchObject({ severity: 'warning', message: expect.stringContaining(DEFAULT_COMPATIBILITY_DATE) });
    expect(cloudflareModel(bare, false, true)?.runtime.compatibilityDate).toBe(DEFAULT_COMPATIBILITY_DATE);
  });

  it('refuses two bindings with one name, at the later option', () => {
    const same = cfg('cloudflare', 'cloudflare-d1', {
      database: { databaseId: 'a', authDatabaseId: 'b', authBinding: 'DB' },
      providers: {
        storage: defineStorage('kv', { binding: 'FILES', namespaceId: 'n' }),
        fileStorage: defineFileStorage('r2', { binding: 'FILES' }),
      },
    });
    expect(summary(check(same))).toEqual([
      'QB_VALIDATE_INVALID_OPTION @ providers.database.featuresBinding',
      'QB_VALIDATE_INVALID_OPTION @ providers.fileStorage.binding',
    ]);
  });

  it('warns that wrangler deploy needs the ids it replaced with placeholders', () => {
    const [w] = check(cfg('cloudflare', 'cloudflare-d1', { database: { databaseId: 'a' } }));
    expect(w).toMatchObject({ code: 'QB_VALIDATE_DEPLOY_PLACEHOLDER', severity: 'warning' });
    expect(w.message).toContain('auth D1 database (AUTH_DB)');
    expect(w.message).not.toContain('features');
  });

  it('sampling rates outside 0..1 are errors with the option path', () => {
    const out = validate(
      project({
        config: cfg('cloudflare', 'cloudflare-d1', {
          runtime: { observability: { headSamplingRate: 1.5, logs: { headSamplingRate: -0.1 } } },
        }),
      }),
    );
    const paths = out.filter((d) => d.code === 'QB_VALIDATE_INVALID_OPTION').map((d) => d.at);
    expect(paths).toEqual(
      expect.arrayContaining([
        'providers.runtime.observability.headSamplingRate',
        'providers.runtime.observability.logs.headSamplingRate',
      ]),
    );
  });

  it('warns about options that have nothing to apply to (audit without unsafe actions, files, webhooks)', () => {
    const ids = { databaseId: 'a', authDatabaseId: 'b' };
    const out = check(
      cfg('cloudflare', 'cloudflare-d1', {
        database: {
          ...ids,
          filesDatabaseId: 'f',
          auditDatabaseId: 'c',
          experimentalRemote: { webhooks: true, auth: true },
        },
      }),
    );
    expect(out.every((d) => d.severity === 'warning' && d.code === 'QB_WARN_OPTION_NO_EFFECT')).toBe(true);
    expect(out.map((d) => d.at).sort()).toEqual([
      'providers.database.auditDatabaseId',
      'providers.database.experimentalRemote.webhooks',
      'providers.database.filesDatabaseId',
    ]);
    const unsafe = project({
      config: cfg('cloudflare', 'cloudflare-d1', { database: { ...ids, auditDatabaseId: 'c' } }),
      actions: [{
        file: 'quickback/features/a/actions.ts',
        feature: 'a',
        actions: { purge: { unsafe: true } },
      }] as never,
    });
    expect(cloudflareRule(unsafe)).toEqual([]);
  });
});
