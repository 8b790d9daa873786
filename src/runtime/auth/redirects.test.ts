import { describe, expect, it } from 'vitest';
import { loginRedirect, profileRedirect, withRedirect } from './redirects.js';

describe('browser redirects (auth.loginUrl / auth.profileUrl / account)', () => {
  it('most specific wins: explicit, then the account UI, then /account/*', () => {
    const all = {
      loginUrl: 'https://auth.example.com/login',
      profileUrl: 'https://auth.example.com/profile',
      accountUrl: 'https://account.example.com',
    };
    expect(loginRedirect(all)).toBe('https://auth.example.com/login');
    expect(profileRedirect(all)).toBe('https://auth.example.com/profile');
    expect(loginRedirect({ accountUrl: 'https://account.example.com/' })).toBe('https://account.example.com/login');
    expect(profileRedirect({ accountUrl: 'https://account.example.com' })).toBe('https://account.example.com/profile');
    expect(loginRedirect({})).toBe('/account/login');
    expect(profileRedirect({ loginUrl: 'https://auth.example.com/login' })).toBe('/account/profile');
    expect(loginRedirect({ loginUrl: '  ', accountUrl: '' })).toBe('/account/login');
  });

  it("keeps ?redirect= unchanged (encoded once), after the target's own query and before its fragment", () => {
    const back = 'https://api.example.com/cms/tickets?status=open&page=2#top';
    expect(loginRedirect({ loginUrl: 'https://auth.example.com/login' }, back))
      .toBe(`https://auth.example.com/login?redirect=${encodeURIComponent(back)}`);
    expect(new URL(loginRedirect({ loginUrl: 'https://auth.example.com/login' }, back)).searchParams.get('redirect'))
      .toBe(back);
    expect(withRedirect('https://sso.example.com/in?tenant=a#x', '/cms')).toBe(
      'https://sso.example.com/in?tenant=a&redirect=%2Fcms#x',
    );
    expect(loginRedirect({}, '/cms')).toBe('/account/login?redirect=%2Fcms');
  });
});
