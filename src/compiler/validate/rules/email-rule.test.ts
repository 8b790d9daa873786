import { describe, expect, it } from 'vitest';
import { defineAuth, defineDatabase, defineRuntime } from '../../../dsl/providers.js';
import { validate } from '../validate.js';
import { config, project, summary } from '../test-project.js';
import { accountPagesRule } from './account-pages-rule.js';
import { emailRule } from './email-rule.js';

const node = (rest: object = {}, auth = defineAuth('better-auth', { plugins: ['emailOtp', 'magicLink'] })) => config({
  providers: { runtime: defineRuntime('node'), database: defineDatabase('better-sqlite3'), auth },
  ...rest,
});
const workers = (rest: object = {}, auth = defineAuth('better-auth', { plugins: ['emailOtp'] })) => config({
  providers: {
    runtime: defineRuntime('cloudflare', { compatibilityDate: '2026-04-26' }),
    database: defineDatabase('cloudflare-d1', { databaseId: 'f', authDatabaseId: 'a' }),
    auth,
  },
  ...rest,
});

describe('email rule', () => {
  it('accepts SES anywhere and Cloudflare Email Sending on Workers, with no diagnostics from any rule', () => {
    expect(
      validate(
        project({ config: node({ email: { provider: 'aws-ses', from: 'noreply@example.com', fromName: 'Example' } }) }),
      ),
    ).toEqual([]);
    expect(validate(project({ config: workers({ email: { provider: 'cloudflare', from: 'noreply@example.com' } }) })))
      .toEqual([]);
    expect(validate(project({ config: node() }))).toEqual([]);
  });

  it('refuses the send_email binding off Workers and a from that is not an address', () => {
    expect(summary(emailRule(project({ config: node({ email: { provider: 'cloudflare' } }) })))).toEqual([
      'QB_VALIDATE_NOT_SUPPORTED @ email.provider',
    ]);
    const [bad] = emailRule(project({ config: node({ email: { from: 'Example <noreply@example.com>' } }) }));
    expect(bad).toMatchObject({ code: 'QB_VALIDATE_INVALID_OPTION', at: 'email.from' });
    expect(bad.hint).toContain('email.fromName');
  });

  it('warns that email does nothing with external auth', () => {
    const external = workers({ email: { from: 'a@example.com' } }, defineAuth('external', { service: 'auth' }));
    expect(emailRule(project({ config: external }))).toEqual([
      expect.objectContaining({ code: 'QB_WARN_OPTION_NO_EFFECT', severity: 'warning', at: 'email' }),
    ]);
  });
});

describe('account pages rule (auth.loginUrl, auth.profileUrl, oauthProvider pages)', () => {
  const oauth = (options: object | true = true, auth: object = {}) =>
    node({ auth }, defineAuth('better-auth', { plugins: { oauthProvider: options } as never }));
  it('accepts the seed options', () => {
    expect(
      validate(
        project({
          config: oauth(
            {
              loginPage: '/login',
              consentPage: '/consent',
              validAudiences: ['https://api.example.com'],
              scopes: ['openid', 'email'],
            },
            { loginUrl: 'https://auth.example.com/login' },
          ),
        }),
      ),
    ).toEqual([]);
  });

  it('refuses malformed targets and says when nothing redirects to them', () => {
    expect(summary(accountPagesRule(project({ config: oauth(true, { loginUrl: 'auth.example.com/login' }) })))).toEqual(
      ['QB_VALIDATE_INVALID_OPTION @ auth.loginUrl'],
    );
    expect(
      summary(
        accountPagesRule(
          project({ config: node({ auth: { loginUrl: 'https://auth.example.com/login', profileUrl: '/me' } }) }),
        ),
      ),
    )
      .toEqual(['QB_WARN_OPTION_NO_EFFECT @ auth.loginUrl', 'QB_WARN_OPTION_NO_EFFECT @ auth.profileUrl']);
    expect(
      summary(
        accountPagesRule(project({ config: oauth({ loginPage: 'login', validAudiences: [], scopes: ['open id'] }) })),
      ),
    ).toEqual([
      'QB_VALIDATE_INVALID_OPTION @ providers.auth.plugins.oauthProvider.loginPage',
      'QB_VALIDATE_INVALID_OPTION @ providers.auth.plugins.oauthProvider.validAudiences',
      'QB_VALIDATE_INVALID_OPTION @ providers.auth.plugins.oauthProvider.scopes',
    ]);
  });
});
