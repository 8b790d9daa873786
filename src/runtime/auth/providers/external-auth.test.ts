import { describe, expect, it } from 'vitest';
import { isApiError } from '../../core/errors.js';
import { externalAuth, externalMemberRoles, externalTeamMembership, type ServiceBinding } from './external-auth.js';

/** A stand-in auth Worker: records what it was asked and answers from a table of paths. */
function service(answers: Record<string, () => Response | Promise<Response>>) {
  const seen: Request[] = [];
  const binding: ServiceBinding = {
    async fetch(request) {
      seen.push(request);
      const url = new URL(request.url);
      const answer = answers[url.pathname + url.search] ?? answers[url.pathname];
      return answer ? answer() : new Response('not found', { status: 404 });
    },
  };
  return { binding, seen };
}

const json = (body: unknown, status = 200) => () =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
const ada = {
  user: { id: 'u1', email: 'ada@example.com', name: 'Ada', role: 'admin' },
  session: { activeOrganizationId: 'o1', activeTeamId: null },
};
const caller = new Headers({
  cookie: 'better-auth.session_token=abc',
  authorization: 'Bearer t',
  'cf-connecting-ip': '203.0.113.9',
  'x-other': 'kept out',
});

async function apiErrorOf(promise: Promise<unknown>) {
  const err = await promise.then(() => undefined, (e: unknown) => e);
  if (!isApiError(err)) throw new Error(`expected an ApiError, got ${String(err)}`);
  return err.toBody();
}

describe('externalAuth: sessions', () => {
  it("asks {basePath}/get-session with the caller's credentials only, and returns the session", async () => {
    const s = service({ '/api/auth/get-session': json(ada) });
    const session = await externalAuth(s.binding, { basePath: '/api/auth', proxy: true }).api.getSession({
      headers: caller,
    });
    expect(session).toEqual(ada);
    const sent = s.seen[0];
    expect(sent.method).toBe('GET');
    expect(sent.headers.get('cookie')).toBe('better-auth.session_token=abc');
    expect(sent.headers.get('authorization')).toBe('Bearer t');
    expect(sent.headers.get('cf-connecting-ip')).toBe('203.0.113.9');
    expect(sent.headers.get('x-other')).toBeNull();
  });

  it('treats a null session and a 401 as anonymous', async () => {
    for (const answer of [json(null), json({ code: 'UNAUTHORIZED' }, 401)]) {
      const s = service({ '/auth/v1/get-session': answer });
      expect(await externalAuth(s.binding, { basePath: '/auth/v1', proxy: true }).api.getSession({ headers: caller }))
        .toBeNull();
    }
  });

  it('answers 503 AUTH_SERVICE_UNAVAILABLE when the service fails, is misconfigured or answers nonsense', async () => {
    const broken: [string, () => Response | Promise<Response>][] = [
      ['answered 500', () => new Response('boom', { status: 500 })],
      ['answered 404', () => new Response('nope', { status: 404 })],
      ['did not answer JSON', () => new Response('<html>', { status: 200 })],
      ['did not answer a Better Auth session', json({ user: { id: 7 }, session: {} })],
      ['failed', () => Promise.reject(new Error('connection reset'))],
    ];
    for (const [reason, answer] of broken) {
      const s = service({ '/auth/v1/get-session': answer });
      const body = await apiErrorOf(
        externalAuth(s.binding, { basePath: '/auth/v1', proxy: true }).api.getSession({ headers: caller }),
      );
      expect(body).toMatchObject({ code: 'AUTH_SERVICE_UNAVAILABLE', layer: 'authentication' });
      expect(body.details).toEqual({ reason: expect.stringContaining(reason) });
    }
  });

  it('passes a 429 on as AUTH_RATE_LIMITED', async () => {
    const s = service({ '/auth/v1/get-session': () => new Response('slow down', { status: 429 }) });
    expect(
      await apiErrorOf(
        externalAuth(s.binding, { basePath: '/auth/v1', proxy: true }).api.getSession({ headers: caller }),
      ),
    ).toMatchObject({ code: 'AUTH_RATE_LIMITED' });
  });
});

describe('externalAuth: the /auth/v1 proxy', () => {
  it('forwards method, path (onto basePath), query, headers and body, and returns a response with writable headers', async () => {
    const s = service({
      '/api/auth/sign-in/email': () =>
        new Response('{"ok":true}', {
          status: 200,
          headers: { 'set-cookie': 'better-auth.session_token=xyz; Path=/; HttpOnly' },
        }),
    });
    const auth = externalAuth(s.binding, { basePath: '/api/auth', proxy: true });
    const response = await auth.handler(
      new Request('http://api.example/auth/v1/sign-in/email?x=1', {
        method: 'POST',
        headers: { origin: 'http://app.example', 'content-type': 'application/json' },
        body: '{"email":"a@b.c"}',
      }),
    );
    const sent = s.seen[0];
    expect(new URL(sent.url).pathname + new URL(sent.url).search).toBe('/api/auth/sign-in/email?x=1');
    expect(sent.method).toBe('POST');
    expect(sent.headers.get('origin')).toBe('http://app.example');
    expect(await sent.text()).toBe('{"email":"a@b.c"}');
    expect(response.headers.get('set-cookie')).toContain('better-auth.session_token=xyz');
    response.headers.set('x-frame-options', 'DENY');
    expect(await response.json()).toEqual({ ok: true });
  });

  it('passes redirects on instead of following them', async () => {
    const s = service({
      '/auth/v1/callback/github': () =>
        new Response(null, { status: 302, headers: { location: 'http://app.example/done' } }),
    });
    const response = await externalAuth(s.binding, { basePath: '/auth/v1', proxy: true }).handler(
      new Request('http://api.example/auth/v1/callback/github'),
    );
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe('http://app.example/done');
  });

  it('with proxy: false, /auth/v1 is not a route here', async () => {
    const s = service({});
    expect(
      await apiErrorOf(
        externalAuth(s.binding, { basePath: '/auth/v1', proxy: false }).handler(
          new Request('http://api.example/auth/v1/get-session'),
        ),
      ),
    ).toMatchObject({ code: 'ROUTE_NOT_FOUND' });
    expect(s.seen).toHaveLength(0);
  });
});

describe('organization roles and teams from the service', () => {
  it("reads the caller's roles in an organization; a refusal means not a member", async () => {
    const s = service({
      '/auth/v1/organization/get-active-member-role?organizationId=o%201': json({ role: 'admin,member' }),
      '/auth/v1/organization/get-active-member-role?organizationId=o2': json({
        code: 'YOU_ARE_NOT_A_MEMBER_OF_THIS_ORGANIZATION',
      }, 403),
    });
    const roles = externalMemberRoles(s.binding, '/auth/v1', caller);
    expect(await roles('o 1', 'u1')).toEqual(['admin', 'member']);
    expect(await roles('o2', 'u1')).toBeNull();
    expect(await roles('o3', 'u1')).toBeNull();
    expect(s.seen.every((r) => r.headers.get('cookie') === 'better-auth.session_token=abc')).toBe(true);
  });

  it('counts the active team only when the service lists it for that organization', async () => {
    const s = service({
      '/auth/v1/organization/list-user-teams?organizationId=o1': json([{ id: 't1', organizationId: 'o1' }]),
    });
    const inTeam = externalTeamMembership(s.binding, '/auth/v1', caller);
    expect(await inTeam('t1', 'u1', 'o1')).toBe(true);
    expect(await inTeam('t2', 'u1', 'o1')).toBe(false);
    expect(await inTeam('t1', 'u1', 'o9')).toBe(false);
  });

  it('a failing service is 503, not "no roles"', async () => {
    const s = service({ '/auth/v1/organization/get-active-member-role': () => new Response('boom', { status: 502 }) });
    expect(await apiErrorOf(externalMemberRoles(s.binding, '/auth/v1', caller)('o1', 'u1'))).toMatchObject({
      code: 'AUTH_SERVICE_UNAVAILABLE',
    });
  });
});
