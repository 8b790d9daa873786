import { describe, expect, it } from 'vitest';
import { defineAuth, defineDatabase, defineRuntime } from '../../../dsl/index.js';
import { config, project } from '../test-project.js';
import { validate } from '../validate.js';

/** The default test config turns organizations on; these start without them. */
const codes = (c: Parameters<typeof config>[0]) =>
  validate(project({ config: config({ features: {}, ...c }) })).map((d) => [d.code, d.at]);

describe('supabase-auth rule', () => {
  it('runs with supabase or neon on node and bun, without organizations', () => {
    expect(
      codes({
        providers: {
          runtime: defineRuntime('bun'),
          database: defineDatabase('supabase'),
          auth: defineAuth('supabase-auth'),
        },
      }),
    ).toEqual([]);
    expect(
      codes({
        providers: {
          runtime: defineRuntime('node'),
          database: defineDatabase('neon'),
          auth: defineAuth('supabase-auth'),
        },
      }),
    ).toEqual([]);
  });

  it('refuses organizations, auth.jwt, SQLite and Workers, each with a hint', () => {
    const supabase = {
      runtime: defineRuntime('node'),
      database: defineDatabase('supabase'),
      auth: defineAuth('supabase-auth'),
    };
    expect(codes({ providers: supabase, features: { organizations: true } })).toEqual([[
      'QB_VALIDATE_NOT_SUPPORTED',
      'features.organizations',
    ]]);
    expect(codes({ providers: supabase, auth: { jwt: { expiresIn: 60 } } })).toEqual([[
      'QB_VALIDATE_NOT_SUPPORTED',
      'auth.jwt',
    ]]);
    expect(codes({ providers: { ...supabase, database: defineDatabase('libsql') } })).toEqual([[
      'QB_VALIDATE_NOT_SUPPORTED',
      'providers.auth',
    ]]);
    expect(codes({ providers: { ...supabase, runtime: defineRuntime('cloudflare') } })).toEqual(
      expect.arrayContaining([
        ['QB_VALIDATE_NOT_SUPPORTED', 'providers.auth'],
        ['QB_VALIDATE_NOT_SUPPORTED', 'providers.runtime'],
      ]),
    );
    const diagnostics = validate(
      project({
        config: config({
          features: {},
          providers: { ...supabase, auth: defineAuth('supabase-auth', { plugins: ['admin'] }) },
        }),
      }),
    );
    expect(diagnostics.map((d) => d.code)).toEqual(['QB_VALIDATE_NOT_SUPPORTED']);
    expect(diagnostics[0].message).toMatch(/does not apply to auth supabase-auth/);
  });
});
