import fc from 'fast-check';
import { SignJWT, UnsecuredJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import type { AppContext } from '../core/context.js';
import { bearerJwt, mintToken, verifyToken, type JwtSettings } from './jwt.js';

const SECRET = 'k'.repeat(64);
const settings: JwtSettings = { secret: SECRET, expiresIn: 180, issuer: 'desk-api', audience: 'desk' };
const NOW = Date.UTC(2026, 10, 25, 12, 0, 0);
const sec = Math.floor(NOW / 1000);
const ctx: AppContext = {
  authenticated: true,
  userId: 'u_1',
  userRole: 'user',
  activeOrgId: 'org_1',
  activeTeamId: 'team_1',
  roles: ['admin', 'member'],
  user: { id: 'u_1', email: 'ada@example.com', name: 'Ada' },
};
const claims = {
  orgId: 'org_1',
  teamId: 'team_1',
  role: 'admin,member',
  userRole: 'user',
  email: 'ada@example.com',
  name: 'Ada',
};
const key = (secret = SECRET) => new TextEncoder().encode(secret);
const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** A token built by hand, for the vectors the minting side would never produce. */
async function forge(
  edit: {
    header?: Record<string, unknown>;
    payload?: Record<string, unknown>;
    secret?: string;
    alg?: 'HS256' | 'HS384' | 'HS512';
  } = {},
) {
  const payload = { sub: 'u_1', iat: sec, exp: sec + 180, iss: 'desk-api', aud: 'desk', ...claims, ...edit.payload };
  for (const [k, v] of Object.entries(payload)) if (v === undefined) delete (payload as Record<string, unknown>)[k];
  return new SignJWT(payload).setProtectedHeader(
    { alg: edit.alg ?? 'HS256', typ: 'JWT', ...edit.header } as { alg: string },
  ).sign(key(edit.secret));
}

const accepted = async (token: string) => 'ctx' in (await verifyToken(token, settings, NOW));

describe('the bearer token', () => {
  it('round-trips the context: verified organization, team, roles and user, no I/O', async () => {
    const token = await mintToken(ctx, settings, NOW);
    expect(await verifyToken(token, settings, NOW + 60_000)).toMatchObject({ ctx });
    const [header, payload] = token.split('.').slice(0, 2).map((part) =>
      JSON.parse(Buffer.from(part, 'base64url').toString())
    );
    expect(header).toEqual({ alg: 'HS256', typ: 'JWT' });
    expect(payload).toEqual({ sub: 'u_1', iat: sec, exp: sec + 180, iss: 'desk-api', aud: 'desk', ...claims });
  });

  it('tolerates 60 s of clock skew, and no more', async () => {
    const token = await mintToken(ctx, settings, NOW);
    expect(await verifyToken(token, settings, NOW + 239_000)).toMatchObject({ ctx });
    expect(await verifyToken(token, settings, NOW + 241_000)).toEqual({ failure: 'expired' });
  });

  it('a verified token is remembered for its lifetime only, and only under the same settings', async () => {
    const token = await mintToken(ctx, settings, NOW);
    expect(await verifyToken(token, settings, NOW)).toMatchObject({ ctx });
    expect(await verifyToken(token, { ...settings, audience: 'other' }, NOW)).toEqual({ failure: 'invalid' });
    expect(await verifyToken(token, { ...settings, secret: 'q'.repeat(64) }, NOW)).toEqual({ failure: 'invalid' });
    expect(await verifyToken(token, settings, NOW + 200_000)).toMatchObject({ ctx });
    expect(await verifyToken(token, settings, NOW + 300_000)).toEqual({ failure: 'expired' });
    expect(await verifyToken(token, settings, NOW - 120_000)).toEqual({ failure: 'invalid' });
  });

  it('a remembered token still expires at its own exp when that comes before the TTL', async () => {
    // Signed with the project's secret, but with a 30 s lifetime: only `exp` ends it, the TTL (180 s) would not.
    const short = await forge({ payload: { exp: sec + 30 } });
    expect(await verifyToken(short, settings, NOW)).toMatchObject({ ctx });
    expect(await verifyToken(short, settings, NOW + 89_000)).toMatchObject({ ctx });
    expect(await verifyToken(short, settings, NOW + 91_000)).toEqual({ failure: 'expired' });
    // Still refused on the next use: the cache forgot it, the full check answers again.
    expect(await verifyToken(short, settings, NOW + 91_000)).toEqual({ failure: 'expired' });
  });

  it('a remembered token with nbf is refused before it, from the cache too', async () => {
    const later = await forge({ payload: { nbf: sec + 30 } });
    expect(await verifyToken(later, settings, NOW + 30_000)).toMatchObject({ ctx });
    expect(await verifyToken(later, settings, NOW - 31_000)).toEqual({ failure: 'invalid' });
    expect(await verifyToken(later, settings, NOW - 30_000)).toMatchObject({ ctx });
  });

  it('a signed-in user without an organization carries no org, team or roles', async () => {
    const solo = { ...ctx, activeOrgId: null, activeTeamId: null, roles: [] };
    expect(await verifyToken(await mintToken(solo, settings, NOW), settings, NOW)).toMatchObject({ ctx: solo });
  });

  const unsigned = (alg: string) => {
    const token = new UnsecuredJWT({ sub: 'u_1', iat: sec, exp: sec + 180, iss: 'desk-api', aud: 'desk', ...claims })
      .encode();
    return `${b64({ alg, typ: 'JWT' })}.${token.split('.')[1]}.`;
  };
  const vectors: [string, () => Promise<string> | string][] = [
    ['alg none', () => unsigned('none')],
    ['alg None', () => unsigned('None')],
    ['alg NONE', () => unsigned('NONE')],
    ['HS384 with the right secret', () => forge({ alg: 'HS384' })],
    ['HS512 with the right secret', () => forge({ alg: 'HS512' })],
    ['RS256 header over an HMAC signature', async () => {
      const [, p, s] = (await forge()).split('.');
      return `${b64({ alg: 'RS256', typ: 'JWT' })}.${p}.${s}`;
    }],
    ['empty signature', async () => (await forge()).split('.').slice(0, 2).join('.') + '.'],
    ['truncated signature', async () => (await forge()).slice(0, -6)],
    ['payload edited under a valid header and signature', async () => {
      const [h, , s] = (await forge()).split('.');
      return `${h}.${
        b64({ sub: 'u_1', iat: sec, exp: sec + 180, iss: 'desk-api', aud: 'desk', ...claims, role: 'owner' })
      }.${s}`;
    }],
    ['missing exp', () => forge({ payload: { exp: undefined } })],
    ['missing iat', () => forge({ payload: { iat: undefined } })],
    ['expired beyond the skew', () => forge({ payload: { iat: sec - 400, exp: sec - 61 } })],
    ['nbf in the future', () => forge({ payload: { nbf: sec + 120 } })],
    ['issued in the future', () => forge({ payload: { iat: sec + 120, exp: sec + 300 } })],
    ['older than the configured TTL', () => forge({ payload: { iat: sec - 3600, exp: sec + 3600 } })],
    ['wrong iss', () => forge({ payload: { iss: 'other-api' } })],
    ['missing iss', () => forge({ payload: { iss: undefined } })],
    ['wrong aud', () => forge({ payload: { aud: 'other' } })],
    ['wrong typ', () => forge({ header: { typ: 'at+jwt' } })],
    ['missing sub', () => forge({ payload: { sub: undefined } })],
    ['missing email and name', () => forge({ payload: { email: undefined, name: undefined } })],
    ['claims of the wrong type', () => forge({ payload: { orgId: 7 } })],
    ["another project's secret", () => forge({ secret: 'z'.repeat(64) })],
  ];
  it('the hand-built token is valid as it stands (the vectors below each change one thing)', async () => {
    expect(await accepted(await forge())).toBe(true);
  });

  it.each(vectors)('refuses: %s', async (_, make) => {
    expect(await accepted(await make())).toBe(false);
  });

  it('only `Authorization: Bearer <three segments>` reaches the fast path', async () => {
    const token = await forge();
    expect(bearerJwt(`Bearer ${token}`)).toBe(token);
    expect(bearerJwt(`bearer  ${token}`)).toBe(token);
    for (const header of [
      `Basic ${token}`,
      `Token ${token}`,
      token,
      `Bearer ${token} extra`,
      'Bearer opaque-session-token',
      undefined,
    ]) expect(bearerJwt(header)).toBeNull();
  });

  it('accepts no random mutation of a valid token (10,000 runs, fixed seed)', async () => {
    const token = await mintToken(ctx, settings, NOW);
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.';
    const mutation = fc.oneof(
      fc.record({
        kind: fc.constant('replace' as const),
        at: fc.nat(token.length - 1),
        ch: fc.constantFrom(...alphabet),
      }),
      fc.record({ kind: fc.constant('delete' as const), at: fc.nat(token.length - 1), ch: fc.constant('') }),
      fc.record({ kind: fc.constant('insert' as const), at: fc.nat(token.length), ch: fc.constantFrom(...alphabet) }),
    );
    const apply = (t: string, m: { kind: 'replace' | 'delete' | 'insert'; at: number; ch: string }) => {
      const at = Math.min(m.at, Math.max(0, t.length - (m.kind === 'insert' ? 0 : 1)));
      return m.kind === 'insert'
        ? t.slice(0, at) + m.ch + t.slice(at)
        : t.slice(0, at) + (m.kind === 'replace' ? m.ch : '') + t.slice(at + 1);
    };
    const seed = 20261125;
    let tried = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(mutation, { minLength: 1, maxLength: 3 }), async (ms) => {
        const mutated = ms.reduce(apply, token);
        if (mutated === token) return;
        tried++;
        expect(await accepted(mutated)).toBe(false);
      }),
      { seed, numRuns: 10_100 },
    );
    console.log(`[jwt] ${tried} mutated tokens (seed ${seed}), 0 accepted`);
    expect(tried).toBeGreaterThanOrEqual(10_000);
  }, 60_000);
});
