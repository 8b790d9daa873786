import { describe, expect, it } from 'vitest';
import { defineAuth, defineDatabase, defineRuntime, defineStorage } from '../../../dsl/providers.js';
import { validate } from '../validate.js';
import { config, project, summary } from '../test-project.js';
import { jwtRule } from './jwt-rule.js';

const node = (providers: object = {}, auth: object = { jwt: { revocationCheck: 'kv' } }) => config({
  providers: {
    runtime: defineRuntime('node'),
    database: defineDatabase('better-sqlite3'),
    auth: defineAuth('better-auth'),
    ...providers,
  },
  auth,
});
const workers = (providers: object = {}, auth: object = { jwt: { revocationCheck: 'kv' } }) => config({
  providers: {
    runtime: defineRuntime('cloudflare', { compatibilityDate: '2026-04-26' }),
    database: defineDatabase('cloudflare-d1', { databaseId: 'f', authDatabaseId: 'a' }),
    auth: defineAuth('better-auth'),
    ...providers,
  },
  auth,
});
const check = (c: ReturnType<typeof config>) => jwtRule(project({ config: c }));

describe('jwt rule (revocationCheck and its store)', () => {
  it('accepts memory storage on Node and KV on Workers, with no diagnostics from any rule', () => {
    expect(summary(validate(project({ config: node({ storage: defineStorage('memory') }) })))).toEqual([
      'QB_WARN_DEV_ONLY @ providers.storage',
    ]);
    expect(validate(project({ config: node({ storage: defineStorage('kv') }) }))).toEqual([]);
    expect(validate(project({ config: node({ storage: defineStorage('redis', { url: 'redis://127.0.0.1:6379' }) }) })))
      .toEqual([]);
    expect(validate(project({ config: workers({ storage: defineStorage('kv', { namespaceId: 'n' }) }) }))).toEqual([]);
    expect(check(workers({ auth: defineAuth('better-auth', { kvId: 'n' }) }))).toEqual([]);
  });

  it('needs a store: a KV namespace on Workers, a storage provider on Node and Bun', () => {
    const [w] = check(workers());
    expect(w).toMatchObject({ code: 'QB_VALIDATE_MISSING_OPTION', at: 'auth.jwt.revocationCheck' });
    expect(w.hint).toContain('defineStorage("kv"');
    const [n] = check(node());
    expect(n).toMatchObject({ code: 'QB_VALIDATE_MISSING_OPTION', at: 'auth.jwt.revocationCheck' });
    expect(n.hint).toContain('defineStorage("memory")');
  });

  it('a server store on Workers is no KV namespace; the check is refused with external auth', () => {
    for (const kind of ['memory', 'redis'] as const) {
      expect(summary(check(workers({ storage: defineStorage(kind) })))).toEqual([
        'QB_VALIDATE_MISSING_OPTION @ auth.jwt.revocationCheck',
      ]);
    }
    const external = workers({
      auth: defineAuth('external', { service: 'auth' }),
      storage: defineStorage('kv', { namespaceId: 'n' }),
    });
    expect(summary(check(external))).toEqual(['QB_VALIDATE_NOT_SUPPORTED @ auth.jwt.revocationCheck']);
  });
});
