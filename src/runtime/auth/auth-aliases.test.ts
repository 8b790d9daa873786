import { describe, expect, it } from 'vitest';
import { resolveAuthAlias, type AuthAlias } from './auth-aliases.js';

const ALIASES: AuthAlias[] = [
  { method: 'POST', path: '/magic-link/send', to: { method: 'POST', path: '/sign-in/magic-link' } },
  {
    method: 'POST',
    path: '/passkey/register/options',
    to: { method: 'GET', path: '/passkey/generate-register-options' },
  },
];
const post = (path: string, body?: string, headers: Record<string, string> = {}) =>
  new Request(`http://api.test/auth/v1${path}?keep=1`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie: 'a=b', ...headers },
    ...(body === undefined ? {} : { body }),
  });

describe('auth aliases', () => {
  it('leaves other requests alone (the same object)', async () => {
    const request = post('/sign-in/email', '{}');
    expect(await resolveAuthAlias(request, '/auth/v1', ALIASES)).toBe(request);
    const get = new Request('http://api.test/auth/v1/magic-link/send');
    expect(await resolveAuthAlias(get, '/auth/v1', ALIASES)).toBe(get);
  });

  it('POST → POST keeps the body, headers and query', async () => {
    const out = await resolveAuthAlias(post('/magic-link/send', '{"email":"a@b.c"}'), '/auth/v1', ALIASES);
    expect(out.method).toBe('POST');
    expect(out.url).toBe('http://api.test/auth/v1/sign-in/magic-link?keep=1');
    expect(out.headers.get('cookie')).toBe('a=b');
    expect(await out.json()).toEqual({ email: 'a@b.c' });
  });

  it('POST → GET moves scalar body fields into the query and drops the body headers', async () => {
    const out = await resolveAuthAlias(
      post('/passkey/register/options', '{"authenticatorAttachment":"platform","n":2,"nested":{"x":1}}'),
      '/auth/v1',
      ALIASES,
    );
    expect(out.method).toBe('GET');
    const url = new URL(out.url);
    expect(url.pathname).toBe('/auth/v1/passkey/generate-register-options');
    expect(Object.fromEntries(url.searchParams)).toEqual({ keep: '1', authenticatorAttachment: 'platform', n: '2' });
    expect(out.headers.get('content-type')).toBeNull();
    expect(out.headers.get('cookie')).toBe('a=b');
    for (const body of [undefined, '', '{}', 'not json', '[1]']) {
      expect(new URL((await resolveAuthAlias(post('/passkey/register/options', body), '/auth/v1', ALIASES)).url).search)
        .toBe('?keep=1');
    }
  });
});
