/**
 * The bearer token's two caches and the edges of verification: the verified-token cache answers
 * a repeat with the very context it verified (no HMAC) exactly while jose would still accept the
 * token, and never past it; minted tokens are reused within their second only. Plus the claims
 * and headers the fast path refuses.
 */
import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import type { AppContext } from '../core/context.js';
import { bearerJwt, mintToken, secretTooShort, verifyToken, type JwtSettings } from './jwt.js';

const SECRET = 'c'.repeat(64);
const settings: JwtSettings = { secret: SECRET, expiresIn: 180, issuer: 'desk-api', audience: 'desk' };
const NOW = Date.UTC(2026, 10, 26, 9, 0, 0);
const sec = NOW / 1000;
const claims = {
  orgId: 'org_1',
  teamId: null,
  role: 'member',
  userRole: 'user',
  email: 'ada@example.com',
  name: 'Ada',
};
const ctx: AppContext = {
  authenticated: true,
  userId: 'u_1',
  userRole: 'user',
  activeOrgId: 'org_1',
  activeTeamId: null,
  roles: ['member'],
  user: { id: 'u_1', email: 'ada@example.com', name: 'Ada' },
};

function forge(payload: Record<string, unknown> = {}, secret = SECRET): Promise<string> {
  const body: Record<string, unknown> = {
    sub: 'u_1',
    iat: sec,
    exp: sec + 180,
    iss: 'desk-api',
    aud: 'desk',
    ...claims,
    ...payload,
  };
  for (const k of Object.keys(body)) if (body[k] === undefined) delete body[k];
  return new SignJWT(body).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).sign(new TextEncoder().encode(secret));
}
const contextAt = async (token: string, at: number, s = settings) => {
  const result = await verifyToken(token, s, at);
  return 'ctx' in result ? result.ctx : result.failure;
};

describe('the verified-token cache', () => {
  it('a repeat under the same settings gets the same context object; other settings verify again', async () => {
    const token = await forge({ sub: 'u_same' });
    const first = await contextAt(token, NOW);
    expect(await contextAt(token, NOW + 1000)).toBe(first);
    expect(await contextAt(token, NOW, { ...settings })).toBe(first);
    // Each change on its own, from a cache filled under the base settings.
    for (const change of [{ expiresIn: 200 }, { issuer: undefined }, { audience: undefined }]) {
      const base = await contextAt(token, NOW);
      expect(await contextAt(token, NOW)).toBe(base);
      expect(await contextAt(token, NOW, { ...settings, ...change })).not.toBe(base);
    }
    expect(await contextAt(token, NOW, { ...settings, secret: 'd'.repeat(64) })).toBe('invalid');
  });

  it('answers up to the last second jose accepts: exp, nbf and iat each at their skew', async () => {
    const short = await forge({ sub: 'u_exp', exp: sec + 30 });
    const verified = await contextAt(short, NOW);
    expect(await contextAt(short, NOW + 89_000)).toBe(verified);
    expect(await contextAt(short, NOW + 90_000)).toBe('expired');

    const later = await forge({ sub: 'u_nbf', nbf: sec + 30 });
    const early = await contextAt(later, NOW + 30_000);
    expect(await contextAt(later, NOW - 30_000)).toBe(early);
    expect(await contextAt(later, NOW - 31_000)).toBe('invalid');

    const ahead = await forge({ sub: 'u_iat', iat: sec + 60, exp: sec + 200 });
    const now = await contextAt(ahead, NOW);
    expect(await contextAt(ahead, NOW)).toBe(now);
    expect(await contextAt(ahead, NOW - 1000)).toBe('invalid');
  });

  it('a token whose exp outlives the TTL is still refused once older than the TTL (+ skew)', async () => {
    const long = await forge({ sub: 'u_long', exp: sec + 3600 });
    const verified = await contextAt(long, NOW);
    expect(await contextAt(long, NOW + 240_000)).toBe(verified);
    expect(await contextAt(long, NOW + 241_000)).toBe('expired');
  });

  it('holds 1024 tokens, dropping the oldest first', async () => {
    const tokens = await Promise.all(Array.from({ length: 1025 }, (_, i) => forge({ sub: `u_many_${i}` })));
    const first = await contextAt(tokens[0], NOW);
    const contexts = [first];
    for (const token of tokens.slice(1)) contexts.push(await contextAt(token, NOW));
    expect(await contextAt(tokens[1024], NOW)).toBe(contexts[1024]);
    expect(await contextAt(tokens[2], NOW)).toBe(contexts[2]);
    expect(await contextAt(tokens[0], NOW)).not.toBe(first);
  });
});

describe('claims and headers', () => {
  it.each([
    ['an empty sub', { sub: '' }],
    ['a numeric sub', { sub: 7 }],
    ['no email', { email: undefined }],
    ['no name', { name: undefined }],
    ['a numeric email', { email: 7 }],
    ['a null name', { name: null }],
    ['a numeric teamId', { teamId: 1 }],
    ['a numeric role', { role: 1 }],
    ['a numeric userRole', { userRole: true }],
  ])('refuses %s', async (_, payload) => {
    expect(await contextAt(await forge({ ...payload, sub: 'sub' in payload ? payload.sub : 'u_claims' }), NOW)).toBe(
      'invalid',
    );
  });

  it('a token without userRole is a plain user; without an organization, no team or roles', async () => {
    expect(await contextAt(await forge({ sub: 'u_plain', userRole: null }), NOW)).toMatchObject({
      userRole: 'user',
      roles: ['member'],
    });
    expect(await contextAt(await forge({ sub: 'u_noorg', orgId: null, teamId: 'team_1', role: 'owner' }), NOW))
      .toMatchObject({ activeOrgId: null, activeTeamId: null, roles: [] });
  });

  it('only the canonical spelling of a signature verifies (base64url spare bits)', async () => {
    const token = await forge({ sub: 'u_canon' });
    const last = token.at(-1)!;
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const sibling = alphabet[alphabet.indexOf(last) + 1];
    expect(await contextAt(token, NOW)).toMatchObject({ userId: 'u_canon' });
    expect(await contextAt(token.slice(0, -1) + sibling, NOW)).toBe('invalid');
  });

  it('mints without iss and aud when none are configured, and re-signs when the second changes', async () => {
    const plain: JwtSettings = { secret: SECRET, expiresIn: 180 };
    const token = await mintToken({ ...ctx, roles: [] }, plain, NOW);
    const payload = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString());
    expect(payload).toEqual({
      sub: 'u_1',
      iat: sec,
      exp: sec + 180,
      orgId: 'org_1',
      teamId: null,
      role: null,
      userRole: 'user',
      email: 'ada@example.com',
      name: 'Ada',
    });
    expect(await contextAt(token, NOW, plain)).toMatchObject({ userId: 'u_1', roles: [] });
    const next = await mintToken({ ...ctx, roles: [] }, plain, NOW + 5000);
    expect(JSON.parse(Buffer.from(next.split('.')[1], 'base64url').toString()).iat).toBe(sec + 5);
  });

  it('bearerJwt: the whole header, trimmed', async () => {
    const token = await forge();
    expect(bearerJwt(`  Bearer ${token}  `)).toBe(token);
    expect(bearerJwt(`XBearer ${token}`)).toBeNull();
  });

  it('secrets are measured in UTF-8 bytes: 32 is enough, 31 is not', () => {
    expect(secretTooShort('a'.repeat(31))).toBe(true);
    expect(secretTooShort('a'.repeat(32))).toBe(false);
    expect(secretTooShort('é'.repeat(16))).toBe(false);
    expect(secretTooShort('é'.repeat(15) + 'a')).toBe(true);
  });
});
