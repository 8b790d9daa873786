import { describe, expect, it } from 'vitest';
import {
  defineAuth,
  defineDatabase,
  defineRuntime,
  type AuthOptions,
  type RuntimeKind,
} from '../../../dsl/providers.js';
import { validate } from '../validate.js';
import { config, project, summary } from '../test-project.js';
import { externalAuthRule } from './external-auth-rule.js';

const cfg = (auth: AuthOptions, runtime: RuntimeKind = 'cloudflare', database: object = { databaseId: 'f' }) => config({
  providers: {
    runtime: defineRuntime(runtime, runtime === 'cloudflare' ? { compatibilityDate: '2026-04-26' } : undefined),
    database: runtime === 'cloudflare' ? defineDatabase('cloudflare-d1', database) : defineDatabase('better-sqlite3'),
    auth: defineAuth('external', auth),
  },
});
const check = (c: ReturnType<typeof config>) => externalAuthRule(project({ config: c }));

describe('external auth rule', () => {
  it('accepts a named service on Workers, with no other diagnostics from any rule', () => {
    expect(
      validate(
        project({ config: cfg({ service: 'accounts', binding: 'ACCOUNTS', basePath: '/api/auth', proxy: false }) }),
      ),
    ).toEqual([]);
  });

  it('needs the cloudflare runtime (a service binding exists only between Workers)', () => {
    const [d] = check(cfg({ service: 'accounts' }, 'node'));
    expect(d).toMatchObject({
      code: 'QB_VALIDATE_NOT_SUPPORTED',
      at: 'providers.auth',
      message: 'External auth (a Cloudflare service binding) is not supported yet for the node runtime',
    });
    expect(d.hint).toContain('defineRuntime("cloudflare")');
  });

  it('needs the name of the auth Worker', () => {
    for (const options of [{}, { service: '' }]) {
      const [d] = check(cfg(options));
      expect(d).toMatchObject({ code: 'QB_VALIDATE_MISSING_OPTION', at: 'providers.auth.service', severity: 'error' });
      expect(d.hint).toContain('defineAuth("external", { service: "my-auth-worker" })');
    }
  });

  it('refuses a basePath that is not a plain absolute path', () => {
    for (const bad of ['auth', '/auth/', '/auth?x=1', '/my auth']) {
      expect(summary(check(cfg({ service: 'a', basePath: bad })))).toEqual([
        'QB_VALIDATE_INVALID_OPTION @ providers.auth.basePath',
      ]);
    }
    expect(check(cfg({ service: 'a', basePath: '/' }))).toEqual([]);
  });

  it('warns that the auth database options have no effect', () => {
    const out = check(
      cfg({ service: 'a' }, 'cloudflare', {
        databaseId: 'f',
        splitDatabases: true,
        authBinding: 'A',
        authDatabaseId: 'x',
        experimentalRemote: { auth: true },
      }),
    );
    expect(out.map((d) => [d.code, d.severity, d.at])).toEqual(
      ['splitDatabases', 'authBinding', 'authDatabaseId', 'experimentalRemote.auth'].map((
        o,
      ) => ['QB_WARN_OPTION_NO_EFFECT', 'warning', `providers.database.${o}`]),
    );
  });

  it('the service binding takes part in the binding-name checks', () => {
    const out = validate(project({ config: cfg({ service: 'a', binding: 'DB' }) }));
    expect(summary(out)).toEqual(['QB_VALIDATE_INVALID_OPTION @ providers.auth.binding']);
    expect(summary(validate(project({ config: cfg({ service: 'a', binding: 'auth-service' }) })))).toEqual([
      'QB_VALIDATE_INVALID_OPTION @ providers.auth.binding',
    ]);
  });
});
