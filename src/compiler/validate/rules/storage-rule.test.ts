import { describe, expect, it } from 'vitest';
import { defineAuth, defineDatabase, defineRuntime, defineStorage, type RuntimeKind } from '../../../dsl/providers.js';
import { config, project, summary } from '../test-project.js';
import { storageRule } from './storage-rule.js';

const on = (runtime: RuntimeKind, providers: object = {}, auth: object = {}) => config({
  providers: {
    runtime: defineRuntime(runtime, runtime === 'cloudflare' ? { compatibilityDate: '2026-04-26' } : {}),
    database: defineDatabase(runtime === 'cloudflare' ? 'cloudflare-d1' : 'better-sqlite3'),
    auth: defineAuth('better-auth'),
    ...providers,
  },
  auth,
});
const check = (c: ReturnType<typeof config>) => storageRule(project({ config: c }));

describe('storage rule', () => {
  it('accepts KV on Workers, and Redis or KV (which is Redis there) on Node and Bun', () => {
    expect(check(on('cloudflare', { storage: defineStorage('kv', { namespaceId: 'n' }) }))).toEqual([]);
    expect(check(on('cloudflare', { auth: defineAuth('better-auth', { kvId: 'n' }) }))).toEqual([]);
    for (const runtime of ['node', 'bun'] as const) {
      expect(check(on(runtime, { storage: defineStorage('redis', { url: 'redis://127.0.0.1:6379' }) }))).toEqual([]);
      expect(check(on(runtime, { storage: defineStorage('kv') }))).toEqual([]);
    }
  });

  it('refuses server stores on Workers and a KV namespace id off Workers, naming the way out', () => {
    for (const kind of ['memory', 'redis'] as const) {
      const [d] = check(on('cloudflare', { storage: defineStorage(kind) }));
      expect(d).toMatchObject({ code: 'QB_VALIDATE_NOT_SUPPORTED', severity: 'error', at: 'providers.storage' });
      expect(d.hint).toContain('defineStorage("kv"');
    }
    const [kvId] = check(on('bun', { auth: defineAuth('better-auth', { kvId: 'n' }) }));
    expect(kvId).toMatchObject({ code: 'QB_VALIDATE_NOT_SUPPORTED', at: 'providers.auth.kvId' });
    expect(kvId.hint).toContain('defineStorage("redis"');
  });

  it('memory storage is for development: a warning that names what is lost', () => {
    const [d] = check(on('node', { storage: defineStorage('memory') }));
    expect(d).toMatchObject({ code: 'QB_WARN_DEV_ONLY', severity: 'warning', at: 'providers.storage' });
    expect(d.message).toContain('lost on restart');
  });

  it('without Better Auth, storage only serves the revocation check', () => {
    const external = (auth: object) =>
      on('node', { auth: defineAuth('supabase-auth'), storage: defineStorage('redis') }, auth);
    expect(summary(check(external({})))).toEqual(['QB_WARN_OPTION_NO_EFFECT @ providers.storage']);
    expect(check(external({ jwt: { revocationCheck: 'kv' } }))).toEqual([]);
  });
});
